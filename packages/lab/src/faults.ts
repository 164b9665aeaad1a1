import { type LabPlan, planLab } from './addressPlan.js';
import { sendControl } from './controlClient.js';
import { agentFaults, checkFaultTargets } from './faultPlan.js';
import { type Fault, FaultError, type FaultSpec, parseFaultSpec } from './faultSpec.js';
import {
  type FaultsFile,
  faultsPath,
  type LabOptions,
  type LabState,
  readJson,
  readState,
  stateDirOf,
  writeJson,
} from './labState.js';
import { applyNetnsFaults } from './netfilterApply.js';
import { checkPrefix, DEFAULT_PREFIX } from './prefix.js';
import { withStateLock } from './stateLock.js';

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

async function apply(state: LabState, plan: LabPlan, before: Fault[], after: Fault[]): Promise<void> {
  await applyNetnsFaults(plan, before, after);
  const perAgent = agentFaults(plan, after);
  const failures: string[] = [];
  await Promise.all(
    state.agents.map(async (a) => {
      const faults = perAgent.get(a.id) ?? { closedPorts: [], dns: [], spikes: [] };
      try {
        await sendControl(a.controlSocket, { op: 'faults', faults });
      } catch (err) {
        failures.push(`${a.label}: ${(err as Error).message}`);
      }
    }),
  );
  if (failures.length) throw new FaultError(`some agents did not take the change: ${failures.join('; ')}`);
}

/** Switches a fault on; returns it with its id (for faultClear). */
export async function faultAdd(opts: LabOptions, spec: FaultSpec | Record<string, unknown>): Promise<Fault> {
  const checked = parseFaultSpec(spec as Record<string, unknown>);
  const { state, plan, dir } = await upLab(opts);
  checkFaultTargets(plan, checked);
  return withLock(dir, async () => {
    const file = (await readJson<FaultsFile>(faultsPath(dir))) ?? { next: 1, faults: [] };
    const fault: Fault = { ...checked, id: `f${file.next}`, since: Date.now() };
    const after = [...file.faults, fault];
    await writeJson(faultsPath(dir), { next: file.next + 1, faults: after });
    await apply(state, plan, file.faults, after);
    return fault;
  });
}

/** Switches off one fault (by id, e.g. `f2`), every fault of a kind (e.g. `dns-slow`), or all (no id). */
export async function faultClear(opts: LabOptions & { id?: string }): Promise<Fault[]> {
  const { state, plan, dir } = await upLab(opts);
  return withLock(dir, async () => {
    const file = (await readJson<FaultsFile>(faultsPath(dir))) ?? { next: 1, faults: [] };
    const id = opts.id;
    const cleared = file.faults.filter((f) => id === undefined || f.id === id || f.kind === id);
    if (id !== undefined && cleared.length === 0) {
      const active = file.faults.map((f) => `${f.id} (${f.kind})`).join(', ') || 'none';
      throw new FaultError(`no active fault "${id}" (active: ${active})`);
    }
    const after = file.faults.filter((f) => !cleared.includes(f));
    await writeJson(faultsPath(dir), { next: file.next, faults: after });
    await apply(state, plan, file.faults, after);
    return cleared;
  });
}

export async function faultList(opts: LabOptions = {}): Promise<Fault[]> {
  const { dir } = await upLab(opts);
  return (await readJson<FaultsFile>(faultsPath(dir)))?.faults ?? [];
}
