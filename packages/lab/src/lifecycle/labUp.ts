import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Inventory } from '@weft/protocol';
import { agentConfigs } from '../agent/agentConfig.js';
import { logTail, spawnAgent } from '../agent/agentProcess.js';
import { sendControl } from '../agent/controlClient.js';
import { startingFaults } from '../faults/faultBook.js';
import { applyFaults } from '../faults/faults.js';
import { installPolicies } from '../netfilter/labPolicies.js';
import { applyScenario, isScenario, type Scenario } from '../scenario/scenario.js';
import { scenarioFaults } from '../scenario/scenarioFaults.js';
import { scenarioPolicies } from '../scenario/scenarioPolicies.js';
import { type LabPlan, planLab } from '../topology/addressPlan.js';
import { defaultTopology } from '../topology/defaultTopology.js';
import { buildInventory } from '../topology/inventory.js';
import { checkPrefix, DEFAULT_PREFIX } from '../topology/prefix.js';
import type { Topology } from '../topology/topology.js';
import { validateTopology } from '../topology/validateTopology.js';
import { acquireBuildLock } from './buildLock.js';
import { labDown } from './labDown.js';
import { buildNetwork, clashingRoutes, hasIpv6ForceForwarding } from './labNetwork.js';
import { findLabResources, isAlive } from './labResources.js';
import {
  type AgentRecord,
  faultsPath,
  inventoryPathOf,
  type LabOptions,
  type LabState,
  readState,
  stateDirOf,
  statePath,
  writeJson,
} from './labState.js';

export interface LabUpOptions extends LabOptions {
  scenario?: Scenario;
  /** Default: defaultTopology() */
  topology?: Topology;
  /** Address block 0..14 (default: derived from the prefix). */
  slot?: number;
  /** Abort (Ctrl-C) rolls back what was built. */
  signal?: AbortSignal;
  /** How long agents may take to listen (default 60 s). */
  readyTimeoutMs?: number;
}

export interface LabNodeInfo {
  name: string;
  bridge: string;
  /** For the node's collector: `--iface-prefix <ifacePrefix>`. */
  ifacePrefix: string;
  podCIDRs: string[];
}

export interface LabHandle {
  prefix: string;
  scenario: Scenario;
  stateDir: string;
  inventoryPath: string;
  inventory: Inventory;
  plan: LabPlan;
  nodes: LabNodeInfo[];
  /** Things that work differently on this host than described (old kernel...). */
  warnings: string[];
  down(): ReturnType<typeof labDown>;
}

export class LabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabError';
  }
}

export function nodeInfo(plan: LabPlan): LabNodeInfo[] {
  return plan.nodes.map((n) => ({
    name: n.name,
    bridge: n.bridge,
    ifacePrefix: n.ifacePrefix,
    podCIDRs: [n.cidr4, n.cidr6],
  }));
}

async function waitReady(
  agents: AgentRecord[],
  pids: number[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(agents.map((_, i) => i));
  while (pending.size > 0) {
    if (signal?.aborted) throw new LabError('lab up was interrupted');
    for (const i of [...pending]) {
      const a = agents[i]!;
      try {
        await sendControl(a.controlSocket, { op: 'ping' }, 1000);
        pending.delete(i);
      } catch {
        if (!isAlive(pids[i]!)) {
          throw new LabError(
            `agent of ${a.label} exited while starting:\n${logTail(a.logPath) || '(no output)'}`,
          );
        }
      }
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline) {
      const names = [...pending].map((i) => agents[i]!.label).join(', ');
      throw new LabError(`agents did not start within ${timeoutMs} ms: ${names}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Builds the lab: checks first (root, not already up, no clashing routes), then the safety net, the
 * network, the scenario's policies, the inventory, and one agent per pod. Any failure (or an abort) rolls
 * everything back, so a failed `up` leaves nothing behind.
 */
export async function labUp(opts: LabUpOptions = {}): Promise<LabHandle> {
  const prefix = checkPrefix(opts.prefix ?? DEFAULT_PREFIX);
  const scenario = opts.scenario ?? 'default';
  if (!isScenario(scenario))
    throw new LabError(`unknown scenario "${String(scenario)}" (known: default, clean)`);
  const topology = applyScenario(validateTopology(opts.topology ?? defaultTopology()), scenario);
  const stateDir = stateDirOf({ ...opts, prefix });
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    throw new LabError(
      'the lab needs root (it creates network namespaces); without root use the simulated mode',
    );

  const existing = await readState(stateDir).catch(() => null);
  if (existing)
    throw new LabError(
      `lab "${prefix}" is already up (since ${new Date(existing.startedAt).toISOString()}, scenario ${existing.scenario}); run \`weft lab down\` first`,
    );
  const leftovers = await findLabResources(prefix);
  const left = [...leftovers.netns, ...leftovers.links, ...leftovers.nftTables];
  if (left.length > 0)
    throw new LabError(
      `leftovers of an earlier lab "${prefix}" are on this host (${left.slice(0, 5).join(', ')}${left.length > 5 ? ', ...' : ''}); run \`weft lab down\` first`,
    );
  // Unix socket paths are limited to 107 bytes; the agents' control sockets live in the state dir.
  if (Buffer.byteLength(join(stateDir, 'agents', '999.sock')) > 107)
    throw new LabError(
      `the state dir path ${stateDir} is too long for the agents' control sockets (at most about 90 bytes)`,
    );
  const warnings: string[] = [];
  const release = await acquireBuildLock(opts.signal).catch((err: Error) => {
    throw new LabError(err.message);
  });
  let plan: LabPlan;
  try {
    plan = await choosePlan(topology, prefix, opts.slot, warnings);
  } catch (err) {
    await release();
    throw err;
  }

  try {
    // An exclusive mkdir is the lock: two `up`s of one prefix cannot both get past it.
    await mkdir(join(stateDir, '..'), { recursive: true });
    await mkdir(stateDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      await release();
      throw new LabError(
        `lab "${prefix}" is being built by another command, or an earlier one stopped half-way (${stateDir} exists); run \`weft lab down\` if no other weft command is running`,
      );
    }
    await release();
    throw new LabError(`cannot create the lab's state dir ${stateDir}: ${(err as Error).message}`);
  }
  const agentsDir = join(stateDir, 'agents');
  const inventoryPath = inventoryPathOf(stateDir);
  const configs = agentConfigs(plan, {
    controlSocket: (i) => join(agentsDir, `${i}.sock`),
    pidFile: (i) => join(agentsDir, `${i}.pid`),
  });
  if (!hasIpv6ForceForwarding()) {
    // The host cannot route IPv6 between the nodes without turning on forwarding for all of it: keep
    // the lab's connections on IPv4 rather than touch the host's global switch.
    for (const c of configs) for (const g of c.generators) g.family = 4;
    warnings.push('this kernel has no per-interface IPv6 forwarding (Linux 6.17+): IPv6 flows run over IPv4');
  }
  const agents: AgentRecord[] = configs.map((c, i) => ({
    id: c.id,
    label: c.label,
    configPath: join(agentsDir, `${i}.json`),
    pidFile: c.pidFile,
    controlSocket: c.controlSocket,
    logPath: join(agentsDir, `${i}.log`),
  }));
  const state: LabState = {
    version: 1,
    prefix,
    slot: plan.slot,
    scenario,
    topology,
    status: 'building',
    startedAt: Date.now(),
    stateDir,
    inventoryPath,
    agents,
  };
  const inventory = buildInventory(plan);
  try {
    await mkdir(agentsDir);
    await writeJson(statePath(stateDir), state);
    const abort = () => {
      if (opts.signal?.aborted) throw new LabError('lab up was interrupted');
    };
    abort();
    await buildNetwork(plan);
    // The routes exist now: the next build sees them and picks other ranges.
    await release();
    abort();
    await writeJson(inventoryPath, inventory);
    // The scenario's policies are real NetworkPolicies, enforced and listed like applied ones; its
    // faults are faults like those `weft lab fault add` makes, on from the start.
    const faults = startingFaults(scenarioFaults(plan));
    await installPolicies(plan, stateDir, 'scenario', scenarioPolicies(plan, faults.faults));
    await writeJson(faultsPath(stateDir), faults);
    for (let i = 0; i < configs.length; i++) await writeJson(agents[i]!.configPath, configs[i]);
    const pids = configs.map((c, i) => spawnAgent(c.id, agents[i]!));
    await waitReady(agents, pids, opts.readyTimeoutMs ?? 60_000, opts.signal);
    await applyFaults(agents, plan, stateDir, [], faults.faults);
    // Every server listens now; traffic starts everywhere at once.
    await Promise.all(agents.map((a) => sendControl(a.controlSocket, { op: 'start' })));
    state.status = 'up';
    await writeJson(statePath(stateDir), state);
  } catch (err) {
    await release();
    await labDown({ prefix, stateDir }).catch(() => {});
    const message = (err as Error).message ?? String(err);
    throw new LabError(`lab "${prefix}" could not be built, rolled back: ${message}`);
  }
  return {
    prefix,
    scenario,
    stateDir,
    inventoryPath,
    inventory,
    plan,
    nodes: nodeInfo(plan),
    warnings,
    down: () => labDown({ prefix, stateDir }),
  };
}

/**
 * The prefix's own address block if it is free, else the first free one (the default prefix keeps
 * block 0 to itself, so the documented addresses stay the real lab's). An explicit slot is used or refused.
 */
async function choosePlan(
  topology: Topology,
  prefix: string,
  slot: number | undefined,
  warnings: string[],
): Promise<LabPlan> {
  const first = planLab(topology, prefix, slot);
  const candidates =
    slot !== undefined
      ? [first.slot]
      : [first.slot, ...Array.from({ length: 14 }, (_, i) => i + 1).filter((s) => s !== first.slot)];
  let firstClashes: string[] = [];
  for (const candidate of candidates) {
    const plan = candidate === first.slot ? first : planLab(topology, prefix, candidate);
    const clashes = await clashingRoutes(plan);
    if (clashes.length === 0) {
      if (candidate !== first.slot)
        warnings.push(
          `addresses ${first.ranges4.join(', ')} are in use on this host: the lab uses ${plan.ranges4.join(', ')}`,
        );
      return plan;
    }
    if (candidate === first.slot) firstClashes = clashes;
  }
  throw new LabError(
    `the lab's addresses (${[...first.ranges4, ...first.ranges6].join(', ')}) clash with routes on this host: ${firstClashes.join(', ')}${slot === undefined ? ', and no other address block is free' : ''}; choose another slot or prefix`,
  );
}
