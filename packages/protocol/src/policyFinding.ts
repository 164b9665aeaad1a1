import { type Static, Type } from 'typebox';

/** A NetworkPolicy by namespace and name. */
export const PolicyName = Type.Object({ namespace: Type.String(), name: Type.String() });
export type PolicyName = Static<typeof PolicyName>;

/**
 * What the NetworkPolicies say of a dropped or failing pair: `denied` (a policy selecting one end
 * allows nothing that matches: `policy` names it, `rule` is what it allows in that direction),
 * `not_denied` (the policies allow it: the drop came from elsewhere, the CNI or a host firewall) or
 * `unknown` (no collector has sent the cluster's policies yet).
 */
export const PolicyFinding = Type.Object({
  verdict: Type.Union([Type.Literal('denied'), Type.Literal('not_denied'), Type.Literal('unknown')]),
  policy: Type.Optional(PolicyName),
  /** Every policy selecting that end for that direction, when more than one does (they add up). */
  others: Type.Optional(Type.Array(PolicyName)),
  direction: Type.Optional(Type.Union([Type.Literal('ingress'), Type.Literal('egress')])),
  /** The denying policy's rules for that direction, as evaluated, in words. */
  rule: Type.Optional(Type.String()),
  /** The connection evaluated: `TCP 80 from shop/frontend-1 to production/api-0`. */
  flow: Type.String(),
  /** One sentence: why. */
  explanation: Type.String(),
});
export type PolicyFinding = Static<typeof PolicyFinding>;
