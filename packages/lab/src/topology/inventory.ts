import { networkPolicyObject } from '@weft/policy';
import type { Inventory } from '@weft/protocol';
import type { Fault } from '../faults/faultSpec.js';
import { namespaceLabels } from '../lifecycle/labWorld.js';
import { applyScenario, type Scenario } from '../scenario/scenario.js';
import { scenarioFaults } from '../scenario/scenarioFaults.js';
import { scenarioPolicies } from '../scenario/scenarioPolicies.js';
import { type LabPlan, planLab } from './addressPlan.js';
import type { Topology } from './topology.js';

/** The inventory the collector's identity source reads: every pod with its addresses and host-side veth. */
export function buildInventory(plan: LabPlan, simulated = false): Inventory {
  return {
    version: 1,
    ...(simulated ? { simulated: true } : {}),
    nodes: plan.nodes.map((n) => ({
      name: n.name,
      ips: [n.gateway4, n.gateway6],
      podCIDRs: [n.cidr4, n.cidr6],
    })),
    pods: plan.pods.map((p) => ({
      name: p.name,
      namespace: p.namespace,
      ips: [p.ipv4, p.ipv6],
      node: p.node,
      workloadKind: p.workloadKind,
      workload: p.workload,
      labels: { ...p.labels },
      hostIfname: p.hostIfname,
      // The lab's nodes share this kernel: each collector counts the drops in its own pods' namespaces.
      ...(simulated ? {} : { netns: p.netns }),
    })),
    services: plan.topology.services.map((s) => ({
      name: s.name,
      namespace: s.namespace,
      // Lab services are headless: DNS answers the backend pods' addresses.
      clusterIPs: [],
      ports: s.ports.map((p) => ({ port: p.port, protocol: p.protocol })),
      selector: { ...s.selector },
    })),
    namespaces: plan.topology.namespaces.map((name) => ({ name, labels: namespaceLabels(name) })),
  };
}

/**
 * The inventory of the simulated lab (default prefix's addresses), marked simulated, with the
 * scenario's policies in force with `faults` (default: the scenario's own), so the simulated drops they
 * stand for are explained as on the real lab.
 */
export function simulatedInventory(
  topology: Topology,
  scenario: Scenario = 'default',
  faults?: readonly Fault[],
): Inventory {
  const plan = planLab(applyScenario(topology, scenario));
  const policies = scenarioPolicies(plan, faults ?? scenarioFaults(plan)).map((p) => networkPolicyObject(p));
  return { ...buildInventory(plan, true), ...(policies.length ? { policies } : {}) };
}
