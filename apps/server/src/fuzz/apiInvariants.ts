import { LEVELS, TIMESERIES_METRICS } from '@weft/protocol';
import type { FastifyInstance } from 'fastify';
import { GROUPS_FOR } from '../store/timeseriesQuery.js';

/** Response fields the protocol lets be null (a quantile or a value with nothing measured yet). */
const NULLABLE = new Set([
  'value',
  'activeSince',
  'lastEvaluated',
  'p50Ms',
  'p95Ms',
  'p99Ms',
  'connectLatencyP50Ms',
  'connectLatencyP95Ms',
  'rttMs',
]);

/**
 * Where a JSON body holds a null the protocol does not allow: a NaN or an Infinity reaches JSON as
 * null (or as a 500 when the route's serializer refuses it), so a stray null is a rate gone bad.
 * Timeseries points are `[t, value|null]`: their value may be null (a gap).
 */
export function strayNulls(body: unknown, path = ''): string[] {
  if (body === null) return [path || '/'];
  if (Array.isArray(body)) {
    const isPoint = body.length === 2 && typeof body[0] === 'number' && path.includes('/points/');
    return body.flatMap((v, i) => (isPoint && i === 1 && v === null ? [] : strayNulls(v, `${path}/${i}`)));
  }
  if (typeof body === 'object') {
    return Object.entries(body as Record<string, unknown>).flatMap(([k, v]) =>
      v === null && NULLABLE.has(k) ? [] : strayNulls(v, `${path}/${k}`),
    );
  }
  return [];
}

/** Stray nulls as a stable text: their places with indices left out, so one bug reads the same each time. */
export function nullsText(nulls: string[]): string {
  return [...new Set(nulls.map((p) => p.replace(/\/\d+/g, '/*')))].sort().slice(0, 4).join(', ');
}

/**
 * The reads a dashboard makes. `full`: every graph level and every timeseries metric by each of its
 * groupings; else one level and two metrics with one grouping, turning with `round`, so that successive
 * sweeps cover them all at a fraction of the cost.
 */
export function readUrls(round = 0, full = true): string[] {
  const levels = full ? LEVELS : [LEVELS[round % LEVELS.length]!];
  const n = TIMESERIES_METRICS.length;
  const metrics = full
    ? TIMESERIES_METRICS
    : [TIMESERIES_METRICS[round % n]!, TIMESERIES_METRICS[(round + 5) % n]!];
  const urls = [
    '/api/v1/status',
    ...levels.map((l) => `/api/v1/graph?level=${l}`),
    '/api/v1/drops',
    '/api/v1/dns',
    '/api/v1/flows?limit=5000',
    '/api/v1/alerts',
  ];
  for (const m of metrics) {
    const groups = GROUPS_FOR[m];
    for (const g of full ? groups : [groups[Math.floor(round / n) % groups.length]!])
      urls.push(`/api/v1/timeseries?metric=${m}&groupBy=${g}`);
  }
  return urls;
}

/**
 * The server's answers after hostile input: each read is a 200 whose JSON has no stray null, health
 * and readiness answer, and the metrics text holds no NaN. Returns what is wrong (empty when all holds).
 */
export async function apiProblems(app: FastifyInstance, urls: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const url of ['/healthz', '/readyz']) {
    const res = await app.inject(url);
    if (res.statusCode !== 200) problems.push(`${url} answered ${res.statusCode}`);
  }
  for (const url of urls) {
    const res = await app.inject(url);
    if (res.statusCode !== 200) {
      problems.push(`${url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
      continue;
    }
    const nulls = strayNulls(res.json());
    if (nulls.length > 0) problems.push(`${url} has null at ${nullsText(nulls)}`);
  }
  const metrics = await app.inject('/metrics');
  if (metrics.statusCode !== 200) problems.push(`/metrics answered ${metrics.statusCode}`);
  const bad = metrics.body.split('\n').filter((l) => !l.startsWith('#') && /\s(NaN|[+-]?Inf)$/.test(l));
  if (bad.length > 0) problems.push(`/metrics has ${bad.slice(0, 3).join(' | ')}`);
  return problems;
}
