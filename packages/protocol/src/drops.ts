import { type Static, Type } from 'typebox';
import { SourceFields } from './dataSource.js';
import { PolicyFinding, PolicyName } from './policyFinding.js';

/** `/api/v1/drops` */
export const DropPair = Type.Object({
  source: Type.String(),
  destination: Type.String(),
  reason: Type.String(),
  direction: Type.String(),
  packets: Type.Integer(),
  bytes: Type.Integer(),
  /** For policy_drop pairs: the NetworkPolicy that denies them, or that none does. */
  policy: Type.Optional(PolicyFinding),
});
export type DropPair = Static<typeof DropPair>;

export const DropsResponse = Type.Object({
  start: Type.Number(),
  end: Type.Number(),
  packets: Type.Integer(),
  bytes: Type.Integer(),
  byReason: Type.Array(
    Type.Object({ reason: Type.String(), packets: Type.Integer(), bytes: Type.Integer() }),
  ),
  byDirection: Type.Array(Type.Object({ direction: Type.String(), packets: Type.Integer() })),
  topPairs: Type.Array(DropPair),
  /**
   * policy_drop packets by the NetworkPolicy that denies them (no `policy`: none denies them, or the
   * policies are not known), most first. Absent when answered from Prometheus.
   */
  byPolicy: Type.Optional(
    Type.Array(
      Type.Object({
        policy: Type.Optional(PolicyName),
        verdict: PolicyFinding.properties.verdict,
        packets: Type.Integer(),
        pairs: Type.Integer(),
      }),
    ),
  ),
  ...SourceFields,
});
export type DropsResponse = Static<typeof DropsResponse>;
