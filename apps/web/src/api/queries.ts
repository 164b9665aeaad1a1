import { useQuery } from '@tanstack/react-query';
import { type FilterState, resolveTime, type TimeseriesGroupBy, type TimeseriesMetric } from '@weft/protocol';
import { useLive } from '../app/LiveContext.js';
import { edgeTotalsState } from '../domain/edgeTotals.js';
import { apiParams } from '../domain/focus.js';
import { api, stepFor } from './client.js';

/** TanStack Query hooks over the REST client. In live mode they refresh on their own; paused or history, they don't. */
function useRefresh(ms: number): number | false {
  const live = useLive();
  return live.active ? ms : false;
}

export function useStatus() {
  return useQuery({
    queryKey: ['status'],
    queryFn: ({ signal }) => api.status(signal),
    refetchInterval: 3000,
  });
}

export function useAlerts() {
  return useQuery({
    queryKey: ['alerts'],
    queryFn: ({ signal }) => api.alerts(signal),
    refetchInterval: 5000,
  });
}

/** `refreshMs` 0: fetched once (the diagnose view's list of pods need not follow every second). */
export function useGraph(state: FilterState, enabled: boolean, refreshMs = 2000) {
  const live = useRefresh(refreshMs);
  const refetchInterval = refreshMs > 0 ? live : false;
  return useQuery({
    queryKey: ['graph', apiParams(state).toString()],
    queryFn: ({ signal }) => api.graph(state, signal),
    refetchInterval,
    enabled,
  });
}

export function useFlows(state: FilterState, limit: number, enabled = true) {
  const refetchInterval = useRefresh(2000);
  return useQuery({
    queryKey: ['flows', apiParams(state).toString(), limit],
    queryFn: ({ signal }) => api.flows(state, limit, signal),
    refetchInterval,
    enabled,
  });
}

export function useTimeseries(state: FilterState, metric: TimeseriesMetric, groupBy: TimeseriesGroupBy) {
  const refetchInterval = useRefresh(2000);
  const w = resolveTime(state, Date.now()).range;
  const step = stepFor(w.start, w.end);
  return useQuery({
    queryKey: ['timeseries', apiParams(state).toString(), metric, groupBy, step],
    queryFn: ({ signal }) => api.timeseries(state, metric, groupBy, step, signal),
    refetchInterval,
  });
}

export function useDns(state: FilterState) {
  const refetchInterval = useRefresh(2000);
  return useQuery({
    queryKey: ['dns', apiParams(state).toString()],
    queryFn: ({ signal }) => api.dns(state, signal),
    refetchInterval,
  });
}

export function useDrops(state: FilterState) {
  const refetchInterval = useRefresh(2000);
  return useQuery({
    queryKey: ['drops', apiParams(state).toString()],
    queryFn: ({ signal }) => api.drops(state, signal),
    refetchInterval,
  });
}

export function useDiagnose(src: string, dst: string) {
  const refetchInterval = useRefresh(5000);
  return useQuery({
    queryKey: ['diagnose', src, dst],
    queryFn: ({ signal }) => api.diagnose(src, dst, signal),
    enabled: !!src && !!dst,
    refetchInterval,
  });
}

/** Diagnose over the selected time (live by default, refreshed like the map; a past window once). */
export function useDiagnoseOver(state: FilterState) {
  const refetchInterval = useRefresh(2000);
  const time = { from: state.from, to: state.to, at: state.at };
  return useQuery({
    queryKey: ['diagnose', state.src, state.dst, time.from, time.to, time.at],
    queryFn: ({ signal }) => api.diagnoseOver(state.src, state.dst, time, signal),
    enabled: !!state.src && !!state.dst,
    refetchInterval,
  });
}

/**
 * One edge's figures over the selection's range (its totals, beside the rates of the window): the graph
 * over that range, with the edge as focus (so only its ends' namespaces are asked for). Fetched only while
 * `enabled` (the edge panel is open); live, it follows every 10 s, which is plenty for an hour's sums.
 */
export function useEdgeTotals(state: FilterState, edgeId: string, enabled: boolean) {
  const refetchInterval = useRefresh(10_000);
  const q = edgeTotalsState(state, edgeId, Date.now());
  return useQuery({
    queryKey: ['edge-totals', apiParams(q).toString(), edgeId],
    queryFn: ({ signal }) => api.graph(q, signal),
    select: (g) => ({ start: g.start, end: g.end, edge: g.edges.find((e) => e.id === edgeId) ?? null }),
    refetchInterval,
    enabled,
  });
}
