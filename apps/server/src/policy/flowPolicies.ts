import type { FlowsResponse } from '@weft/protocol';
import { FlowExplainer } from './pairFinding.js';
import type { PolicyContexts } from './policyContexts.js';

/** Flow rows dropped by netfilter get the NetworkPolicy that denies their connection, or that none does. */
export function withFlowPolicies(answer: FlowsResponse, contexts: PolicyContexts): FlowsResponse {
  if (!answer.flows.some((r) => r.reason === 'policy_drop')) return answer;
  const explainer = new FlowExplainer(contexts);
  return {
    ...answer,
    flows: answer.flows.map((r) =>
      r.reason === 'policy_drop'
        ? {
            ...r,
            policy: explainer.explain({ client: r.src, server: r.dst, proto: r.proto, port: r.dport }, true),
          }
        : r,
    ),
  };
}
