import { type Static, Type } from 'typebox';
import { SourceFields } from './dataSource.js';

/** `/api/v1/timeseries?metric=...&groupBy=...&step=...` */
export const TIMESERIES_METRICS = [
  'bytes',
  'packets',
  'drops',
  'dns_requests',
  'dns_errors',
  'dns_latency',
  'tcp_connects',
  'tcp_failures',
  'tcp_latency',
  'rtt',
] as const;
export type TimeseriesMetric = (typeof TIMESERIES_METRICS)[number];

export const TIMESERIES_GROUP_BY = [
  'none',
  'reason',
  'direction',
  'rcode',
  'namespace',
  'source_namespace',
  'destination_namespace',
  'pod',
  'quantile',
] as const;
export type TimeseriesGroupBy = (typeof TIMESERIES_GROUP_BY)[number];

export const SeriesPoint = Type.Tuple([Type.Number(), Type.Union([Type.Number(), Type.Null()])]);

export const Series = Type.Object({
  /** Group value (`policy_drop`, `p95`, `production`, ...) or `total`. */
  key: Type.String(),
  /** Per second for counters, milliseconds for latencies. */
  points: Type.Array(SeriesPoint),
});
export type Series = Static<typeof Series>;

export const TimeseriesResponse = Type.Object({
  metric: Type.String(),
  groupBy: Type.String(),
  /** seconds */
  step: Type.Number(),
  unit: Type.Union([Type.Literal('per_second'), Type.Literal('bytes_per_second'), Type.Literal('ms')]),
  start: Type.Number(),
  end: Type.Number(),
  series: Type.Array(Series),
  ...SourceFields,
});
export type TimeseriesResponse = Static<typeof TimeseriesResponse>;
