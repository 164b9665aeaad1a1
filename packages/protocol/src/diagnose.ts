import { type Static, Type } from 'typebox';
import { PolicyFinding } from './policyFinding.js';

/** `/api/v1/diagnose?src=<subject>&dst=<subject>`: the seed's four debugging steps, each with its rule. */
export const DiagnoseStepId = Type.Union([
  Type.Literal('policy_drops'),
  Type.Literal('dns'),
  Type.Literal('tcp'),
  Type.Literal('latency'),
]);
export type DiagnoseStepId = Static<typeof DiagnoseStepId>;

export const DiagnoseEvidence = Type.Object({ label: Type.String(), value: Type.String() });
export type DiagnoseEvidence = Static<typeof DiagnoseEvidence>;

/**
 * What a step found wrong, worst first in `DIAGNOSE_PROBLEM_ORDER`: the cause nearest the start of the
 * path comes first (a packet the kernel drops never reaches DNS or TCP; a name that does not resolve
 * never connects), then what makes a working path slow.
 */
export const DIAGNOSE_PROBLEM_ORDER = [
  'blocked',
  'dropped',
  'dns_failure',
  'refused',
  'timeout',
  'reset',
  'dns_slow',
  'degraded',
] as const;
export const DiagnoseProblemKind = Type.Union([
  Type.Literal('blocked'),
  Type.Literal('dropped'),
  Type.Literal('dns_failure'),
  Type.Literal('refused'),
  Type.Literal('timeout'),
  Type.Literal('reset'),
  Type.Literal('dns_slow'),
  Type.Literal('degraded'),
]);
export type DiagnoseProblemKind = (typeof DIAGNOSE_PROBLEM_ORDER)[number];

export const DiagnoseStep = Type.Object({
  id: DiagnoseStepId,
  title: Type.String(),
  /** `problem` exactly when the step has at least one entry in the response's `problems`. */
  status: Type.Union([Type.Literal('ok'), Type.Literal('problem'), Type.Literal('no_data')]),
  /** The rule this step applies, in words with its thresholds: "problem when p95 lookup time > 200 ms". */
  rule: Type.String(),
  summary: Type.String(),
  /** The seed's PromQL for this step, filled in for this pair, to run in Prometheus. */
  query: Type.String(),
  evidence: Type.Array(DiagnoseEvidence),
  /** The policy_drops step of a dropped or failing pair: which NetworkPolicy denies it, or that none does. */
  policyFinding: Type.Optional(PolicyFinding),
});
export type DiagnoseStep = Static<typeof DiagnoseStep>;

export const DiagnoseVerdict = Type.Union([
  Type.Literal('blocked'),
  Type.Literal('dropped'),
  Type.Literal('dns_failure'),
  Type.Literal('refused'),
  Type.Literal('timeout'),
  Type.Literal('reset'),
  Type.Literal('dns_slow'),
  Type.Literal('degraded'),
  Type.Literal('healthy'),
  Type.Literal('no_traffic'),
]);
export type DiagnoseVerdict = Static<typeof DiagnoseVerdict>;

/** The next thing a person would open: a dashboard URL (path and query) with the filters set. */
export const DiagnoseNextStep = Type.Object({
  label: Type.String(),
  href: Type.String(),
});
export type DiagnoseNextStep = Static<typeof DiagnoseNextStep>;

/** One problem a step found, with the figures that show it and where to look next. */
export const DiagnoseProblem = Type.Object({
  kind: DiagnoseProblemKind,
  step: DiagnoseStepId,
  summary: Type.String(),
  evidence: Type.Array(DiagnoseEvidence),
  next: Type.Array(DiagnoseNextStep),
});
export type DiagnoseProblem = Static<typeof DiagnoseProblem>;

/** One stretch of the pair's history over the selected range: when it started failing, when it recovered. */
export const DiagnosePeriod = Type.Object({
  state: Type.Union([Type.Literal('failing'), Type.Literal('healthy'), Type.Literal('no_traffic')]),
  start: Type.Number(),
  end: Type.Number(),
});
export type DiagnosePeriod = Static<typeof DiagnosePeriod>;

/** How a subject was read: `production/api` may be a pod, a workload or a service (or all of them). */
export const DiagnoseSubjectKind = Type.Union([
  Type.Literal('name'),
  Type.Literal('namespace'),
  Type.Literal('node'),
  Type.Literal('ip'),
  Type.Literal('dns_name'),
]);
export type DiagnoseSubjectKind = Static<typeof DiagnoseSubjectKind>;

/** One pair between two aggregated subjects (namespaces, nodes) and its own verdict. */
export const DiagnosePair = Type.Object({
  src: Type.String(),
  dst: Type.String(),
  verdict: DiagnoseVerdict,
  summary: Type.String(),
});
export type DiagnosePair = Static<typeof DiagnosePair>;

export const DiagnoseResponse = Type.Object({
  src: Type.String(),
  dst: Type.String(),
  srcKind: DiagnoseSubjectKind,
  dstKind: DiagnoseSubjectKind,
  /** Which form of time answered (live by default); start/end are the window the verdict is over. */
  mode: Type.Union([Type.Literal('live'), Type.Literal('at'), Type.Literal('range')]),
  start: Type.Number(),
  end: Type.Number(),
  /** The pair over the selection's range, oldest first, adjacent periods of one state merged. */
  history: Type.Array(DiagnosePeriod),
  /** The worst of `problems` (its first); healthy or no_traffic when there are none. */
  verdict: DiagnoseVerdict,
  /** Plain words with the evidence: "DNS slow: p95 805 ms for 120 lookups (over 200 ms)". */
  summary: Type.String(),
  /** Every problem the steps found, worst first. */
  problems: Type.Array(DiagnoseProblem),
  /** Where to look next for the verdict (the first problem's links, or the pair's flows). */
  next: Type.Array(DiagnoseNextStep),
  /**
   * For aggregated subjects (namespace, node): the pod pairs between them that failed, worst first,
   * at most `DIAGNOSE_MAX_PAIRS`; empty otherwise.
   */
  pairs: Type.Array(DiagnosePair),
  steps: Type.Array(DiagnoseStep),
});
export type DiagnoseResponse = Static<typeof DiagnoseResponse>;

export const DIAGNOSE_MAX_PAIRS = 20;

/** The subject forms, one example each: the web's placeholders and the CLI's usage say the same. */
export const DIAGNOSE_SUBJECT_EXAMPLES = [
  'production/frontend-7d9f8c6b5-x2k4p',
  'production/api',
  'ns:monitoring',
  'node:lab-node-1',
  '10.0.1.5',
  '10.0.1.5:80',
  'api.payments.example',
] as const;
