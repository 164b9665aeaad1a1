import type {
  FilterState,
  Series,
  TimeseriesGroupBy,
  TimeseriesMetric,
  TimeseriesResponse,
  TimeWindow,
} from '@weft/protocol';
import { bucketQuantile } from './bucketQuantile.js';
import type { PromMatrixSeries } from './prometheusClient.js';
import { M } from './promQueries.js';

const MAX_GROUPS = 50;

/** Labels a grouping reads, by whether the metric names a pair (source_/destination_) or a DNS client. */
function groupLabels(metric: TimeseriesMetric, groupBy: TimeseriesGroupBy): string[] {
  const dns = metric.startsWith('dns_');
  switch (groupBy) {
    case 'namespace':
      return [dns ? 'namespace' : 'source_namespace'];
    case 'source_namespace':
      return ['source_namespace'];
    case 'destination_namespace':
      return ['destination_namespace'];
    case 'pod':
      return dns ? ['namespace', 'pod'] : ['source_namespace', 'source_pod'];
    case 'reason':
      return metric === 'drops' ? ['reason'] : [];
    case 'direction':
      return ['direction'];
    case 'rcode':
      return ['response_code'];
    default:
      return [];
  }
}

const sel = (metric: string, matchers: string[]) => {
  const m = matchers.filter(Boolean);
  return m.length > 0 ? `${metric}{${m.join(', ')}}` : metric;
};

/**
 * `increase(metric[range])` over the series the filter keeps: with namespaces, a pair metric is kept when
 * either end is in them (as the store matches), as two disjoint selectors joined by `or`.
 */
function increase(f: FilterState, metric: string, matchers: string[], range: string, pair: boolean): string {
  if (f.namespace.length === 0) return `increase(${sel(metric, matchers)}${range})`;
  const ns = `"${f.namespace.join('|')}"`;
  if (!pair) return `increase(${sel(metric, [...matchers, `namespace=~${ns}`])}${range})`;
  const src = sel(metric, [...matchers, `source_namespace=~${ns}`]);
  const dst = sel(metric, [...matchers, `source_namespace!~${ns}`, `destination_namespace=~${ns}`]);
  return `increase(${src}${range}) or increase(${dst}${range})`;
}

/**
 * The PromQL for one timeseries metric at `stepS` (a range query: each point is the step ending there),
 * and the notice when part of the request can't be answered from the metrics.
 */
export function timeseriesQuery(
  metric: TimeseriesMetric,
  groupBy: TimeseriesGroupBy,
  stepS: number,
  f: FilterState,
): { expr: string; labels: string[]; quantiles?: number[]; notice?: string } {
  const labels = groupLabels(metric, groupBy);
  const by = (extra: string[] = []) => `sum by (${[...labels, ...extra].join(', ')})`;
  const r = `[${stepS}s]`;
  const pair = !metric.startsWith('dns_');
  const inc = (m: string, ...matchers: string[]) => increase(f, m, matchers, r, pair);
  // Each packet once (DESIGN counting rule): egress, and ingress from senders behind no veth.
  const once = (m: string) =>
    `${by()} (${inc(m, 'direction="egress"')} or ${inc(m, 'direction="ingress"', 'source_namespace=""')}) / ${stepS}`;
  const rate = (m: string, ...matchers: string[]) => `${by()} (${inc(m, ...matchers)}) / ${stepS}`;
  const notice =
    groupBy === 'reason' && metric === 'tcp_failures'
      ? 'failure reasons are not in the collectors’ metrics; the total is shown'
      : groupBy === 'rcode' && metric === 'dns_requests'
        ? 'unanswered queries (TIMEOUT) are not in the rcode series from the collectors’ metrics'
        : undefined;
  switch (metric) {
    case 'bytes':
      return { expr: once(M.forwardBytes), labels };
    case 'packets':
      return { expr: once(M.forwardCount), labels };
    case 'drops':
      return { expr: rate(M.dropCount, f.reason ? `reason="${f.reason}"` : ''), labels };
    case 'tcp_connects':
      return { expr: rate(M.tcpConnections), labels };
    case 'tcp_failures':
      return { expr: rate(M.tcpFailed), labels, notice };
    case 'dns_requests':
      return groupBy === 'rcode'
        ? { expr: rate(M.dnsResponses), labels, notice }
        : { expr: rate(M.dnsRequests), labels };
    case 'dns_errors': {
      if (groupBy === 'rcode') return { expr: rate(M.dnsResponses, 'response_code!="NOERROR"'), labels };
      // Every query without a NOERROR answer: errors and timeouts, as the store counts them.
      const asked = rate(M.dnsRequests);
      const ok = rate(M.dnsResponses, 'response_code="NOERROR"');
      return { expr: `(${asked} - ${ok}) or ${asked}`, labels };
    }
    case 'rtt':
      return {
        expr: `1000 * ${by()} (${inc(`${M.tcpRtt}_sum`)}) / ${by()} (${inc(`${M.tcpRtt}_count`)})`,
        labels,
      };
    default: {
      const hist = metric === 'dns_latency' ? M.dnsLatency : 'networkobservability_tcp_connection_latency';
      const buckets = `${by(['le'])} (${inc(`${hist}_bucket`)})`;
      if (groupBy === 'quantile') return { expr: buckets, labels: [], quantiles: [0.5, 0.95, 0.99] };
      return { expr: `1000 * histogram_quantile(0.95, ${buckets})`, labels };
    }
  }
}

/** As the store's answer: bytes/s, ms for latencies and RTT, per second for the other counters. */
export function unitOf(metric: TimeseriesMetric): TimeseriesResponse['unit'] {
  if (metric === 'bytes') return 'bytes_per_second';
  if (metric === 'dns_latency' || metric === 'tcp_latency' || metric === 'rtt') return 'ms';
  return 'per_second';
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function keyOf(m: Record<string, string>, labels: string[]): string {
  if (labels.length === 0) return 'total';
  if (labels.length === 2) return `${m[labels[0]!] ?? ''}/${m[labels[1]!] ?? ''}`;
  return m[labels[0]!] || (labels[0]!.endsWith('namespace') ? 'world' : '');
}

/**
 * A range query's matrix as the store's TimeseriesResponse: one point per step at the step's start
 * (Prometheus stamps the step's end), null where the series had no value.
 */
export function timeseriesFromProm(
  matrix: PromMatrixSeries[],
  metric: TimeseriesMetric,
  groupBy: TimeseriesGroupBy,
  stepS: number,
  win: TimeWindow,
  q: ReturnType<typeof timeseriesQuery>,
): TimeseriesResponse {
  const unit = unitOf(metric);
  const stepMs = stepS * 1000;
  const start = Math.floor(win.start / stepMs) * stepMs;
  const n = Math.max(1, Math.ceil((win.end - start) / stepMs));
  const slot = (tS: number) => Math.round((tS * 1000 - stepMs - start) / stepMs);
  const groups = new Map<string, (number | null)[]>();
  const row = (k: string) => {
    let r = groups.get(k);
    if (!r) {
      r = new Array(n).fill(null);
      groups.set(k, r);
    }
    return r;
  };
  if (q.quantiles) {
    // Bucket counts per step, then a quantile per step (Prometheus' histogram_quantile, in ms).
    const perStep: Map<number, number>[] = Array.from({ length: n }, () => new Map());
    for (const s of matrix) {
      const le = s.metric.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.metric.le);
      for (const [t, v] of s.values) {
        const i = slot(t);
        const x = Number(v);
        if (i < 0 || i >= n || !Number.isFinite(x)) continue;
        perStep[i]!.set(le, (perStep[i]!.get(le) ?? 0) + x);
      }
    }
    for (const qq of q.quantiles) {
      const r = row(`p${Math.round(qq * 100)}`);
      perStep.forEach((b, i) => {
        r[i] = bucketQuantile(qq, b);
      });
    }
  } else
    for (const s of matrix) {
      const r = row(keyOf(s.metric, q.labels));
      for (const [t, v] of s.values) {
        const i = slot(t);
        const x = Number(v);
        if (i < 0 || i >= n || !Number.isFinite(x)) continue;
        r[i] = round((r[i] ?? 0) + x);
      }
    }
  const counter = unit !== 'ms';
  let series: Series[] = [...groups].map(([key, values]) => ({
    key,
    points: values.map((v, i) => [start + i * stepMs, counter ? (v ?? 0) : v] as [number, number | null]),
  }));
  if (series.length > MAX_GROUPS) {
    const weight = (s: Series) => s.points.reduce((a, p) => a + (p[1] ?? 0), 0);
    series.sort((a, b) => weight(b) - weight(a));
    series = series.slice(0, MAX_GROUPS);
  }
  series.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    metric,
    groupBy,
    step: stepS,
    unit,
    start: win.start,
    end: win.end,
    series,
    source: 'prometheus',
    ...(q.notice ? { sourceNotice: q.notice } : {}),
  };
}
