import { type Static, Type } from 'typebox';
import { PolicyFinding } from './policyFinding.js';

/** `/api/v1/diagnose?from=<ns/pod>&to=<ns/pod|ns/service|ip:port>`: the seed's four debugging steps. */
export const DiagnoseStepId = Type.Union([
  Type.Literal('policy_drops'),
  Type.Literal('dns'),
  Type.Literal('tcp'),
  Type.Literal('latency'),
]);
export type DiagnoseStepId = Static<typeof DiagnoseStepId>;

export const DiagnoseStep = Type.Object({
  id: DiagnoseStepId,
  title: Type.String(),
  status: Type.Union([Type.Literal('ok'), Type.Literal('problem'), Type.Literal('no_data')]),
  summary: Type.String(),
  /** The seed's PromQL for this step, filled in for this pair, to run in Prometheus. */
  query: Type.String(),
  evidence: Type.Array(Type.Object({ label: Type.String(), value: Type.String() })),
  /** The policy_drops step of a dropped or failing pair: which NetworkPolicy denies it, or that none does. */
  policyFinding: Type.Optional(PolicyFinding),
});
export type DiagnoseStep = Static<typeof DiagnoseStep>;

export const DiagnoseVerdict = Type.Union([
  Type.Literal('blocked'),
  Type.Literal('dns_failure'),
  Type.Literal('refused'),
  Type.Literal('timeout'),
  Type.Literal('reset'),
  Type.Literal('degraded'),
  Type.Literal('healthy'),
  Type.Literal('no_traffic'),
  Type.Literal('unknown_endpoint'),
]);
export type DiagnoseVerdict = Static<typeof DiagnoseVerdict>;

/** One stretch of the pair's history over the selected range: when it started failing, when it recovered. */
export const DiagnosePeriod = Type.Object({
  state: Type.Union([Type.Literal('failing'), Type.Literal('healthy'), Type.Literal('no_traffic')]),
  start: Type.Number(),
  end: Type.Number(),
});
export type DiagnosePeriod = Static<typeof DiagnosePeriod>;

export const DiagnoseResponse = Type.Object({
  from: Type.String(),
  to: Type.String(),
  /** Which form of time answered (live by default); start/end are the window the verdict is over. */
  mode: Type.Union([Type.Literal('live'), Type.Literal('at'), Type.Literal('range')]),
  start: Type.Number(),
  end: Type.Number(),
  /** The pair over the selection's range, oldest first, adjacent periods of one state merged. */
  history: Type.Array(DiagnosePeriod),
  verdict: DiagnoseVerdict,
  /** Plain words: "blocked by network policy", "reachable, p95 connect latency 3 ms". */
  summary: Type.String(),
  steps: Type.Array(DiagnoseStep),
});
export type DiagnoseResponse = Static<typeof DiagnoseResponse>;
