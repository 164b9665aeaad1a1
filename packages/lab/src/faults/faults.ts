import { sendControl } from '../agent/controlClient.js';
import {
  faultsPath,
  type LabOptions,
  type LabState,
  readJson,
  readState,
  stateDirOf,
  writeJson,
} from '../lifecycle/labState.js';
import { withStateLock } from '../lifecycle/stateLock.js';
import { installPolicies } from '../netfilter/labPolicies.js';
import { applyNetnsFaults } from '../netfilter/netfilterApply.js';
import { scenarioPolicies } from '../scenario/scenarioPolicies.js';
import { type LabPlan, planLab } from '../topology/addressPlan.js';
import { checkPrefix, DEFAULT_PREFIX } from '../topology/prefix.js';
import { addFault, clearFaults, type FaultsFile, NO_FAULTS, restoreFault } from './faultBook.js';
import { agentFaults, checkFaultTargets } from './faultPlan.js';
import { type Fault, FaultError, type FaultSpec, parseFaultSpec } from './faultSpec.js';

async function upLab(opts: LabOptions): Promise<{ state: LabState; plan: LabPlan; dir: string }> {
  const prefix = checkPrefix(opts.prefix ?? DEFAULT_PREFIX);
  const dir = stateDirOf({ ...opts, prefix });
  const state = await readState(dir);
  if (state?.status !== 'up') throw new FaultError(`no lab "${prefix}" is up: run \`weft lab up\` first`);
  return { state, plan: planLab(state.topology, state.prefix, state.slot), dir };
}

/** Fault changes from two shells at once would race on faults.json: serialize them. */
function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  return withStateLock(dir, 'faults', (message) => new FaultError(message), fn);
}

const keyOf = (policies: readonly { namespace: string; name: string }[]) =>
  policies.map((p) => `${p.namespace}/${p.name}`).join(',');

/**
 * Brings the lab from one fault list to the next: netfilter and routing in the pods, each agent's
 * part (closed ports, DNS rules, the faults' own clients), and the scenario's NetworkPolicies that
 * are faults (a policy-drop naming a policy).
 */
export async function applyFaults(
  agents: LabState['agents'],
  plan: LabPlan,
  dir: string,
  before: readonly Fault[],
  after: readonly Fault[],
): Promise<void> {
  await applyNetnsFaults(plan, before, after);
  const policies = scenarioPolicies(plan, after);
  if (keyOf(scenarioPolicies(plan, before)) !== keyOf(policies))
    await withStateLock(
      dir,
      'policies',
      (m) => new FaultError(m),
      () => installPolicies(plan, dir, 'scenario', policies),
    );
  const perAgent = agentFaults(plan, after);
  const failures: string[] = [];
  await Promise.all(
    agents.map(async (a) => {
      const faults = perAgent.get(a.id) ?? { closedPorts: [], dns: [], generators: [] };
      try {
        await sendControl(a.controlSocket, { op: 'faults', faults });
      } catch (err) {
        failures.push(`${a.label}: ${(err as Error).message}`);
      }
    }),
  );
  if (failures.length) throw new FaultError(`some agents did not take the change: ${failures.join('; ')}`);
}

/** Reads faults.json, changes it with `edit`, writes it and brings the lab to it, under the lock. */
async function change<T>(
  opts: LabOptions,
  edit: (file: FaultsFile, plan: LabPlan) => { file: FaultsFile; result: T },
): Promise<T> {
  const { state, plan, dir } = await upLab(opts);
  return withLock(dir, async () => {
    const file = (await readJson<FaultsFile>(faultsPath(dir))) ?? NO_FAULTS;
    const next = edit(file, plan);
    await writeJson(faultsPath(dir), next.file);
    await applyFaults(state.agents, plan, dir, file.faults, next.file.faults);
    return next.result;
  });
}

/** Switches a fault on; returns it with its id (for faultClear). */
export async function faultAdd(opts: LabOptions, spec: FaultSpec | Record<string, unknown>): Promise<Fault> {
  const checked = parseFaultSpec(spec as Record<string, unknown>);
  return change(opts, (file, plan) => {
    checkFaultTargets(plan, checked);
    const { file: next, fault } = addFault(file, checked, Date.now());
    return { file: next, result: fault };
  });
}

/** Puts one of the scenario's own faults back by its id (`s1`), after a clear. */
export async function faultRestore(opts: LabOptions, id: string): Promise<Fault> {
  return change(opts, (file) => {
    const { file: next, fault } = restoreFault(file, id, Date.now());
    return { file: next, result: fault };
  });
}

/** Switches off one fault (by id, e.g. `f2` or `s1`), every fault of a kind (e.g. `dns-slow`), or all (no id). */
export async function faultClear(opts: LabOptions & { id?: string }): Promise<Fault[]> {
  return change(opts, (file) => {
    const { file: next, cleared } = clearFaults(file, opts.id);
    return { file: next, result: cleared };
  });
}

/** Where a lab keeps its faults (the server reads it for its status: WEFT_LAB_FAULTS_FILE). */
export function labFaultsPath(opts: LabOptions = {}): string {
  const prefix = checkPrefix(opts.prefix ?? DEFAULT_PREFIX);
  return faultsPath(stateDirOf({ ...opts, prefix }));
}

export async function faultList(opts: LabOptions = {}): Promise<Fault[]> {
  const { dir } = await upLab(opts);
  return (await readJson<FaultsFile>(faultsPath(dir)))?.faults ?? [];
}
