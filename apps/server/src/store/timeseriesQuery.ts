import {
  type FilterState,
  type Series,
  TIMESERIES_GROUP_BY,
  TIMESERIES_METRICS,
  type TimeseriesGroupBy,
  type TimeseriesMetric,
  type TimeseriesResponse,
  type TimeWindow,
} from '@weft/protocol';
import { COARSE_MS, FINE_MS, type Tier } from './buckets.js';
import type { DnsBucket } from './dnsBucket.js';
import { dnsClientMatches } from './dnsQuery.js';
import type { EdgeBucket } from './edgeBucket.js';
import { Histogram } from './histogram.js';
import { pairMatcher } from './match.js';
import type { Store } from './store.js';
import { round } from './window.js';

export const MAX_POINTS = 2_000;
const MAX_GROUPS = 50;
const STEPS = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400];

const DNS_METRICS = new Set<TimeseriesMetric>(['dns_requests', 'dns_errors', 'dns_latency']);

/** Which groupings make sense for each metric (the rest are a 400 naming `groupBy`). */
export const GROUPS_FOR: Record<TimeseriesMetric, readonly TimeseriesGroupBy[]> = {
  bytes: ['none', 'namespace', 'source_namespace', 'destination_namespace', 'pod'],
  packets: ['none', 'namespace', 'source_namespace', 'destination_namespace', 'pod'],
  drops: ['none', 'reason', 'direction', 'namespace', 'source_namespace', 'destination_namespace', 'pod'],
  dns_requests: ['none', 'rcode', 'namespace', 'pod'],
  dns_errors: ['none', 'rcode', 'namespace', 'pod'],
  dns_latency: ['none', 'quantile', 'namespace', 'pod'],
  tcp_connects: ['none', 'namespace', 'source_namespace', 'destination_namespace', 'pod'],
  tcp_failures: ['none', 'reason', 'namespace', 'source_namespace', 'destination_namespace', 'pod'],
  tcp_latency: ['none', 'quantile', 'namespace', 'source_namespace', 'destination_namespace', 'pod'],
  rtt: ['none', 'namespace', 'source_namespace', 'destination_namespace', 'pod'],
};

export function isMetric(m: string): m is TimeseriesMetric {
  return (TIMESERIES_METRICS as readonly string[]).includes(m);
}

export function isGroupBy(g: string): g is TimeseriesGroupBy {
  return (TIMESERIES_GROUP_BY as readonly string[]).includes(g);
}

/** Step in seconds: the requested one, else ~120 points; whole minutes once the 1 s tier can't cover it. */
export function chooseStep(win: TimeWindow, requested: number | undefined, fineFrom: number): number {
  let step = requested ?? STEPS.find((s) => (win.end - win.start) / 1000 / s <= 120) ?? 86400;
  if (win.start < fineFrom && step < 60) step = 60;
  if (step > 60 && step % 60 !== 0) step = Math.ceil(step / 60) * 60;
  return step;
}

type Cell = { sum: number; hist: Histogram | null; rttSum: number; rttCount: number };

function unitOf(metric: TimeseriesMetric): TimeseriesResponse['unit'] {
  if (metric === 'bytes') return 'bytes_per_second';
  if (metric === 'dns_latency' || metric === 'tcp_latency' || metric === 'rtt') return 'ms';
  return 'per_second';
}

/**
 * The whole steps of `stepMs` inside `win`: a step reaching past the window's end (the second still
 * arriving, "now") or before its start holds only part of its seconds, and its rate would dip towards
 * zero. A window shorter than a step gets the whole step ending at or before its end.
 */
export function wholeSteps(win: TimeWindow, stepMs: number): TimeWindow {
  const end = Math.floor(win.end / stepMs) * stepMs;
  const start = Math.ceil(win.start / stepMs) * stepMs;
  return end > start ? { start, end } : { start: end - stepMs, end };
}

/**
 * One metric over time, grouped. Counters become per-second rates per step; latencies are quantiles of
 * merged histograms per step (so they are right across pods), RTT the mean of smoothed RTTs. Points are
 * the whole steps inside `win` (wholeSteps), then the whole seconds after the last of them as one
 * shorter step whose rate is over the seconds it holds; the answer's start/end are the span they
 * cover, ending at the window's end floored to a second: give the newest complete second as the end
 * (the route passes liveEnd) and the chart never dips at "now".
 */
export function queryTimeseries(
  store: Store,
  f: FilterState,
  asked: TimeWindow,
  metric: TimeseriesMetric,
  groupBy: TimeseriesGroupBy,
  stepS: number,
): TimeseriesResponse {
  const stepMs = stepS * 1000;
  const whole = wholeSteps(asked, stepMs);
  const start = whole.start;
  // The whole seconds after the last whole step (the step still filling up, live): one more point,
  // its rate over the seconds it holds, so a chart draws "now" without dipping and is not empty
  // for the first step of a new cluster.
  const tailMs = Math.max(0, Math.floor(asked.end / 1000) * 1000 - whole.end);
  const win = { start, end: whole.end + tailMs };
  const n = (whole.end - start) / stepMs + (tailMs > 0 ? 1 : 0);
  const secondsOf = (i: number) => (tailMs > 0 && i === n - 1 ? tailMs / 1000 : stepS);
  const useFine = stepMs < COARSE_MS || stepMs % COARSE_MS !== 0;
  const tierMs = useFine ? FINE_MS : COARSE_MS;
  const groups = new Map<string, Cell[]>();
  const cells = (key: string) => {
    let c = groups.get(key);
    if (!c) {
      c = Array.from({ length: n }, () => ({ sum: 0, hist: null, rttSum: 0, rttCount: 0 }));
      groups.set(key, c);
    }
    return c;
  };
  const visit = <B>(tier: Tier<B>, each: (b: B, i: number) => void) => {
    for (let i = tier.lowerBound(start); i < tier.length; i++) {
      const t = tier.timeAt(i);
      if (t >= win.end) break;
      if (t + tierMs <= win.start) continue;
      each(tier.at(i), Math.floor((t - start) / stepMs));
    }
  };
  const addHist = (c: Cell, h: Histogram | null) => {
    if (!h || h.total === 0) return;
    if (!c.hist) c.hist = new Histogram();
    c.hist.merge(h);
  };

  if (DNS_METRICS.has(metric)) {
    for (const s of store.dns.values()) {
      if (s.lastSeen < win.start - 120_000 || !dnsClientMatches(f, s.client)) continue;
      const groupKey =
        groupBy === 'namespace'
          ? s.client.namespace
          : groupBy === 'pod'
            ? `${s.client.namespace}/${s.client.name}`
            : 'total';
      visit<DnsBucket>(useFine ? s.fine : s.coarse, (b, i) => {
        if (metric === 'dns_latency') {
          addHist(cells(groupKey)[i]!, b.latency);
        } else if (groupBy === 'rcode') {
          const ok = b.queries - b.errors;
          if (metric === 'dns_requests' && ok > 0) cells('NOERROR')[i]!.sum += ok;
          if (b.rcodes) for (const [rc, v] of b.rcodes) cells(rc)[i]!.sum += v;
        } else {
          cells(groupKey)[i]!.sum += metric === 'dns_requests' ? b.queries : b.errors;
        }
      });
    }
  } else {
    const match = pairMatcher(f);
    for (const s of store.edges.values()) {
      if (s.lastSeen < win.start - 120_000 || !match(s.client, s.server, s.proto, s.port)) continue;
      const groupKey =
        groupBy === 'namespace' || groupBy === 'source_namespace'
          ? s.client.namespace || s.client.kind
          : groupBy === 'destination_namespace'
            ? s.server.namespace || s.server.kind
            : groupBy === 'pod'
              ? `${s.client.namespace}/${s.client.name}`
              : 'total';
      visit<EdgeBucket>(useFine ? s.fine : s.coarse, (b, i) => {
        switch (metric) {
          case 'bytes':
            cells(groupKey)[i]!.sum += b.bytes;
            break;
          case 'packets':
            cells(groupKey)[i]!.sum += b.packets;
            break;
          case 'drops':
            if (!b.drops) break;
            for (const c of b.drops.values()) {
              if (f.reason && c.reason !== f.reason) continue;
              const k = groupBy === 'reason' ? c.reason : groupBy === 'direction' ? c.dir : groupKey;
              cells(k)[i]!.sum += c.packets;
            }
            break;
          case 'tcp_connects':
            if (b.connects) cells(groupKey)[i]!.sum += b.connects;
            break;
          case 'tcp_failures':
            if (!b.failures) break;
            if (groupBy === 'reason') {
              if (b.refused) cells('refused')[i]!.sum += b.refused;
              if (b.timeouts) cells('timeout')[i]!.sum += b.timeouts;
              if (b.resets) cells('reset')[i]!.sum += b.resets;
            } else cells(groupKey)[i]!.sum += b.failures;
            break;
          case 'tcp_latency':
            addHist(cells(groupKey)[i]!, b.connectLatency);
            break;
          case 'rtt':
            if (b.rttCount) {
              const c = cells(groupKey)[i]!;
              c.rttSum += b.rttSumUs;
              c.rttCount += b.rttCount;
            }
            break;
        }
      });
    }
  }

  const points = (cs: Cell[], value: (c: Cell, i: number) => number | null) =>
    cs.map((c, i) => [start + i * stepMs, value(c, i)] as [number, number | null]);
  let series: Series[] = [];
  const latency = metric === 'dns_latency' || metric === 'tcp_latency';
  for (const [key, cs] of groups) {
    if (latency && groupBy === 'quantile') {
      for (const q of [0.5, 0.95, 0.99])
        series.push({
          key: `p${Math.round(q * 100)}`,
          points: points(cs, (c) => (c.hist ? round(c.hist.quantile(q)! / 1000) : null)),
        });
    } else if (latency) {
      series.push({ key, points: points(cs, (c) => (c.hist ? round(c.hist.quantile(0.95)! / 1000) : null)) });
    } else if (metric === 'rtt') {
      series.push({
        key,
        points: points(cs, (c) => (c.rttCount ? round(c.rttSum / c.rttCount / 1000) : null)),
      });
    } else {
      series.push({ key, points: points(cs, (c, i) => round(c.sum / secondsOf(i))) });
    }
  }
  if (series.length > MAX_GROUPS) {
    const weight = (s: Series) => s.points.reduce((a, p) => a + (p[1] ?? 0), 0);
    series.sort((a, b) => weight(b) - weight(a));
    series = series.slice(0, MAX_GROUPS);
  }
  series.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { metric, groupBy, step: stepS, unit: unitOf(metric), start: win.start, end: win.end, series };
}
