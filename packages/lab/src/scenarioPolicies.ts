import type { NetworkPolicy } from '@weft/policy';
import type { LabPlan } from './addressPlan.js';
import { denyFromPolicy } from './denyFromPolicy.js';

/**
 * The scenario's policies (the topology's `policies`: pods selected by label refusing one workload)
 * as the NetworkPolicies the lab enforces and lists.
 */
export function scenarioPolicies(plan: LabPlan): NetworkPolicy[] {
  return (plan.topology.policies ?? []).map((pol) =>
    denyFromPolicy(
      pol.namespace,
      pol.name,
      pol.podSelector,
      plan.pods.filter((p) => p.namespace === pol.denyFrom.namespace && p.workload === pol.denyFrom.workload),
    ),
  );
}
