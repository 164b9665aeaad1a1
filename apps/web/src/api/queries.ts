import { type QueryKey, useQuery } from '@tanstack/react-query';
import { type FilterState, resolveTime, type TimeseriesGroupBy, type TimeseriesMetric } from '@weft/protocol';
import { useLive } from '../app/LiveContext.js';
import { edgeTotalsState } from '../domain/edgeTotals.js';
import { apiParams } from '../domain/focus.js';
import { sameQuestion } from '../domain/sameQuestion.js';
import { timelineParams } from '../domain/timelineParams.js';
import { api, stepFor } from './client.js';

/**
 * TanStack Query hooks over the REST client. Live (not paused) and ranges ending now refresh on their
 * own; a moment (`at`) or a closed range does not.
 */
function useRefresh(ms: number): number | false {
  const live = useLive();
  return live.follows ? ms : false;
}

/** While only the time changes (a replay frame, a click on the timeline), the previous answer stays up. */
function keepAcrossTime<T>(
  prev: T | undefined,
  prevQuery: { queryKey: QueryKey } | undefined,
  params: string,
) {
  return prevQuery && sameQuestion(String(prevQuery.queryKey[1]), params) ? prev : undefined;
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
  const params = apiParams(state).toString();
  return useQuery({
    queryKey: ['graph', params],
    queryFn: ({ signal }) => api.graph(state, signal),
    refetchInterval,
    enabled,
    placeholderData: (prev, prevQuery) => keepAcrossTime(prev, prevQuery, params),
    // A replay asks for a new moment every second; those answers are not worth keeping for long.
    gcTime: state.at ? 15_000 : undefined,
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

/** Diagnose over the selected time (live by default, refreshed like the map; a past window once). */
export function useDiagnose(state: FilterState) {
  const refetchInterval = useRefresh(2000);
  const time = { from: state.from, to: state.to, at: state.at };
  return useQuery({
    queryKey: ['diagnose', state.src, state.dst, time.from, time.to, time.at],
    queryFn: ({ signal }) => api.diagnose(state.src, state.dst, time, signal),
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

/**
 * The timeline strip's data: one request per refresh for the whole app (every caller with the same
 * selection shares it), keyed without the moment so moving it costs nothing.
 */
export function useTimeline(state: FilterState) {
  const refetchInterval = useRefresh(5000);
  const params = timelineParams(state, Date.now()).toString();
  return useQuery({
    queryKey: ['timeline', params],
    queryFn: ({ signal }) => api.timeline(state, Date.now(), signal),
    refetchInterval,
    placeholderData: (prev, prevQuery) => keepAcrossTime(prev, prevQuery, params),
    retry: 1,
  });
}
