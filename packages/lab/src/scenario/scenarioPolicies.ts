import type { NetworkPolicy } from '@weft/policy';
import { parseFaultSpec } from '../faults/faultSpec.js';
import { denyFromPolicy } from '../netfilter/denyFromPolicy.js';
import type { LabPlan } from '../topology/addressPlan.js';
import type { Topology, TopologyPolicy } from '../topology/topology.js';

type FaultLike = { kind: string; policy?: string };

const policyOf = (f: FaultLike) => (f.kind === 'policy-drop' ? (f.policy ?? null) : null);

/**
 * The topology's policies in force: a policy that one of the topology's faults names (`policy-drop`
 * with `policy`) is that fault, in force only while a fault naming it is on; the others always are.
 */
export function policiesInForce(t: Topology, faults: readonly FaultLike[]): TopologyPolicy[] {
  const owned = new Set((t.faults ?? []).map((f) => policyOf(parseFaultSpec(f.fault))));
  const on = new Set(faults.map(policyOf));
  return (t.policies ?? []).filter(
    (pol) => !owned.has(`${pol.namespace}/${pol.name}`) || on.has(`${pol.namespace}/${pol.name}`),
  );
}

/**
 * The scenario's policies in force (pods selected by label refusing one workload) as the
 * NetworkPolicies the lab enforces and lists.
 */
export function scenarioPolicies(plan: LabPlan, faults: readonly FaultLike[]): NetworkPolicy[] {
  return policiesInForce(plan.topology, faults).map((pol) =>
    denyFromPolicy(
      pol.namespace,
      pol.name,
      pol.podSelector,
      plan.pods.filter((p) => p.namespace === pol.denyFrom.namespace && p.workload === pol.denyFrom.workload),
    ),
  );
}
