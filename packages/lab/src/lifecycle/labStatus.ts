import { readFile } from 'node:fs/promises';
import { sendControl } from '../agent/controlClient.js';
import type { FaultsFile } from '../faults/faultBook.js';
import type { Fault } from '../faults/faultSpec.js';
import type { PoliciesFile } from '../netfilter/labPolicies.js';
import type { Scenario } from '../scenario/scenario.js';
import { planLab } from '../topology/addressPlan.js';
import { checkPrefix, DEFAULT_PREFIX } from '../topology/prefix.js';
import { isAlive } from './labResources.js';
import { faultsPath, type LabOptions, policiesPath, readJson, readState, stateDirOf } from './labState.js';
import { type LabNodeInfo, nodeInfo } from './labUp.js';

export interface AgentStatus {
  id: string;
  label: string;
  pid: number | null;
  running: boolean;
  /** The agent's own counters (generators, servers, DNS), when it answered. */
  stats: unknown;
}

export type LabStatus =
  | { up: false; prefix: string; message: string }
  | {
      up: true;
      prefix: string;
      scenario: Scenario;
      status: 'building' | 'up';
      startedAt: number;
      stateDir: string;
      inventoryPath: string;
      nodes: LabNodeInfo[];
      pods: { namespace: string; name: string; node: string; ips: string[]; hostIfname: string }[];
      agents: AgentStatus[];
      faults: Fault[];
      /** NetworkPolicies the lab enforces (`weft lab apply`). */
      policies: { namespace: string; name: string; appliedAt: number }[];
      message: string;
    };

/** What is up under a prefix, with each agent's counters (asked over its control socket). */
export async function labStatus(opts: LabOptions = {}): Promise<LabStatus> {
  const prefix = checkPrefix(opts.prefix ?? DEFAULT_PREFIX);
  const dir = stateDirOf({ ...opts, prefix });
  const state = await readState(dir);
  if (!state) return { up: false, prefix, message: `no lab "${prefix}" is up` };
  const plan = planLab(state.topology, state.prefix, state.slot);
  const agents = await Promise.all(
    state.agents.map(async (a): Promise<AgentStatus> => {
      const pid = Number((await readFile(a.pidFile, 'utf8').catch(() => '')).trim()) || null;
      const running = pid !== null && isAlive(pid);
      const stats = running
        ? await sendControl(a.controlSocket, { op: 'stats' }, 3000).catch(() => null)
        : null;
      return { id: a.id, label: a.label, pid, running, stats };
    }),
  );
  const faults = (await readJson<FaultsFile>(faultsPath(dir)))?.faults ?? [];
  const policies = ((await readJson<PoliciesFile>(policiesPath(dir)))?.policies ?? []).map((p) => ({
    namespace: p.namespace,
    name: p.name,
    appliedAt: p.appliedAt,
  }));
  const dead = agents.filter((a) => !a.running).length;
  return {
    up: true,
    prefix,
    scenario: state.scenario,
    status: state.status,
    startedAt: state.startedAt,
    stateDir: dir,
    inventoryPath: state.inventoryPath,
    nodes: nodeInfo(plan),
    pods: plan.pods.map((p) => ({
      namespace: p.namespace,
      name: p.name,
      node: p.node,
      ips: [p.ipv4, p.ipv6],
      hostIfname: p.hostIfname,
    })),
    agents,
    faults,
    policies,
    message: `lab "${prefix}" ${state.status === 'up' ? 'is up' : 'is being built'}: ${plan.pods.length} pods on ${plan.nodes.length} nodes, scenario ${state.scenario}, ${faults.length} faults, ${policies.length} network policies${dead ? `, ${dead} agents not running` : ''}`,
  };
}
