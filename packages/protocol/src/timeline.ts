import { type Static, Type } from 'typebox';
import { ChangedObjectKind } from './objectChange.js';
import { PolicyName } from './policyFinding.js';

/**
 * `/api/v1/timeline` (the shared filter): the strip chart across the top of every view. Its span is the
 * selection's `range` (timeSelection.ts); every point is a complete step (no dip to zero at now).
 */
export const IncidentKind = Type.Union([
  Type.Literal('alert_fired'),
  Type.Literal('alert_resolved'),
  /** Drops rose from none to some (or by the change threshold) in this step. */
  Type.Literal('drops_started'),
  Type.Literal('drops_stopped'),
  /** What changed: a NetworkPolicy appeared, changed or went (as the collectors report them). */
  Type.Literal('policy_created'),
  Type.Literal('policy_updated'),
  Type.Literal('policy_deleted'),
  /** What changed besides policies (objectChange.ts): a Service created, updated or deleted. */
  Type.Literal('service_changed'),
  /** An EndpointSlice's ready endpoints or ports changed. */
  Type.Literal('endpoints_changed'),
  /** A Deployment, StatefulSet or DaemonSet's pod template changed (a rollout), or it was created or deleted. */
  Type.Literal('workload_changed'),
  /** A pod's containers restarted. */
  Type.Literal('pod_restarted'),
  /** A pod was deleted (a controller's pod is replaced). */
  Type.Literal('pod_deleted'),
]);
export type IncidentKind = Static<typeof IncidentKind>;

/** Whether an incident says what changed in the cluster (a marker neither good nor bad). */
export function isChangeIncident(kind: IncidentKind): boolean {
  return (
    kind.startsWith('policy_') ||
    kind === 'service_changed' ||
    kind === 'endpoints_changed' ||
    kind === 'workload_changed' ||
    kind.startsWith('pod_')
  );
}

export const Incident = Type.Object({
  kind: IncidentKind,
  /** ms since epoch: the step's start, or the alert's transition. */
  at: Type.Number(),
  /** Plain words: "DropsHigh fired (3.2/s)", "policy_drop drops started on api -> db". */
  label: Type.String(),
  /** The alert rule's name, for alert incidents. */
  rule: Type.Optional(Type.String()),
  severity: Type.Optional(Type.String()),
  /** The map edge (`<source>-><target>` at the request's level) most involved, when one is. */
  edge: Type.Optional(Type.String()),
  /** The NetworkPolicy, for policy incidents. */
  policy: Type.Optional(PolicyName),
  /** The changed object, for the other change incidents. */
  object: Type.Optional(
    Type.Object({ kind: ChangedObjectKind, namespace: Type.String(), name: Type.String() }),
  ),
});
export type Incident = Static<typeof Incident>;

export const TimelineResponse = Type.Object({
  start: Type.Number(),
  end: Type.Number(),
  /** seconds between points */
  step: Type.Number(),
  /** Point i covers [t[i], t[i] + step). Columns of equal length, per second over the step. */
  t: Type.Array(Type.Number()),
  bytesPerSec: Type.Array(Type.Number()),
  dropsPerSec: Type.Array(Type.Number()),
  dnsErrorsPerSec: Type.Array(Type.Number()),
  tcpFailuresPerSec: Type.Array(Type.Number()),
  /** Oldest first. */
  incidents: Type.Array(Incident),
});
export type TimelineResponse = Static<typeof TimelineResponse>;
