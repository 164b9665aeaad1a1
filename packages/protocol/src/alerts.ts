import { type Static, Type } from 'typebox';

/** `/api/v1/alerts`: the seed's rules evaluated by the server. */
export const AlertState = Type.Union([
  Type.Literal('inactive'),
  Type.Literal('pending'),
  Type.Literal('firing'),
]);
export type AlertState = Static<typeof AlertState>;

export const AlertRule = Type.Object({
  name: Type.String(),
  /** The PromQL the same rule uses in Prometheus (exported by /api/v1/export/prometheus-rules). */
  expr: Type.String(),
  threshold: Type.Number(),
  /** seconds */
  for: Type.Number(),
  severity: Type.String(),
  summary: Type.String(),
  state: AlertState,
  /** Current value of the expression, null when there is no data. */
  value: Type.Union([Type.Number(), Type.Null()]),
  /** When the current pending/firing period began. */
  activeSince: Type.Union([Type.Number(), Type.Null()]),
  lastEvaluated: Type.Union([Type.Number(), Type.Null()]),
  history: Type.Array(
    Type.Object({ state: Type.String(), at: Type.Number(), value: Type.Union([Type.Number(), Type.Null()]) }),
  ),
});
export type AlertRule = Static<typeof AlertRule>;

export const AlertsResponse = Type.Object({ rules: Type.Array(AlertRule) });
export type AlertsResponse = Static<typeof AlertsResponse>;
