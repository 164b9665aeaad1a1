import { checkFaultTargets } from '../faults/faultPlan.js';
import { type Fault, parseFaultSpec } from '../faults/faultSpec.js';
import type { LabPlan } from '../topology/addressPlan.js';

/**
 * The faults a lab starts with: its topology's `faults` (the default scenario's six), each a fault like
 * those `weft lab fault add` makes, with its own id and `origin: 'scenario'`. Throws FaultError when one
 * names a pod, workload or service the lab does not have.
 */
export function scenarioFaults(plan: LabPlan, since = Date.now()): Fault[] {
  return (plan.topology.faults ?? []).map((f) => {
    const spec = parseFaultSpec(f.fault);
    checkFaultTargets(plan, spec);
    return { ...spec, id: f.id, since, origin: 'scenario' as const };
  });
}
