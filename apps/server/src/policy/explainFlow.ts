import {
  describePolicy,
  type Flow,
  type NetworkPolicy,
  type PolicyEvaluator,
  type PolicyRef,
} from '@weft/policy';
import type { Endpoint, PolicyFinding } from '@weft/protocol';

/** A connection as the store keeps it: client, server, protocol and the server's port. */
export interface ObservedFlow {
  client: Endpoint;
  server: Endpoint;
  proto: string;
  port: number;
}

const PROTOCOLS: Record<string, 'TCP' | 'UDP' | 'SCTP'> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };

export const NONE_DENIES_DROPPED =
  'dropped by netfilter, and no NetworkPolicy denies this pair: look at the CNI or host firewall';
export const NONE_DENIES = 'no NetworkPolicy denies this pair';

const endName = (e: Endpoint) => (e.kind === 'pod' ? `${e.namespace}/${e.name}` : e.ip || e.name);
const flowEnd = (e: Endpoint) =>
  e.kind === 'pod' ? { namespace: e.namespace, name: e.name, ...(e.ip ? { ip: e.ip } : {}) } : { ip: e.ip };

/** A connection as the evaluator takes it; null for a protocol NetworkPolicy rules do not name. */
export function flowOf(f: ObservedFlow): Flow | null {
  const protocol = PROTOCOLS[f.proto.toLowerCase()];
  return protocol ? { src: flowEnd(f.client), dst: flowEnd(f.server), protocol, port: f.port } : null;
}

/**
 * What the NetworkPolicies say of one connection: which policy denies it (the egress side first, where
 * the kernel drops first), with its rules for that direction in words, or that none does (`dropped`:
 * the kernel dropped it, so the cause is elsewhere).
 */
export function explainFlow(
  evaluator: PolicyEvaluator | null,
  policyOf: (ref: PolicyRef) => NetworkPolicy | undefined,
  f: ObservedFlow,
  dropped: boolean,
): PolicyFinding {
  const protocol = PROTOCOLS[f.proto.toLowerCase()];
  const flow = `${protocol ?? f.proto.toUpperCase()}${protocol ? ` ${f.port}` : ''} from ${endName(f.client)} to ${endName(f.server)}`;
  if (!evaluator)
    return {
      verdict: 'unknown',
      flow,
      explanation: 'no collector has sent the NetworkPolicies yet, so none can be named',
    };
  if (!protocol)
    return {
      verdict: 'unknown',
      flow,
      explanation: `NetworkPolicy rules name TCP, UDP and SCTP ports; ${f.proto.toUpperCase()} is not evaluated`,
    };
  const v = evaluator.evaluate({ src: flowEnd(f.client), dst: flowEnd(f.server), protocol, port: f.port });
  if (v.allowed)
    return {
      verdict: 'not_denied',
      flow,
      explanation: `${dropped ? NONE_DENIES_DROPPED : NONE_DENIES} (${v.explanation})`,
    };
  const d = v.egress.allowed ? v.ingress : v.egress;
  const [first, ...rest] = d.policies;
  const policy = first ? policyOf(first) : undefined;
  return {
    verdict: 'denied',
    ...(first ? { policy: { namespace: first.namespace, name: first.name } } : {}),
    ...(rest.length ? { others: d.policies.map((p) => ({ namespace: p.namespace, name: p.name })) } : {}),
    direction: d.direction,
    ...(policy ? { rule: describePolicy(policy, d.direction) } : {}),
    flow,
    explanation: v.explanation,
  };
}
