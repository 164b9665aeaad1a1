import { type Fault, FaultError, type FaultSpec } from './faultSpec.js';

/** The faults of a lab (real or simulated), as its faults.json holds them. */
export interface FaultsFile {
  /** The next user fault's number (`f<next>`). */
  next: number;
  faults: Fault[];
  /** The scenario's own faults as the lab started with them: what `add s1` puts back. */
  scenario?: Fault[];
}

export const NO_FAULTS: FaultsFile = { next: 1, faults: [] };

/** A lab's faults at start: its scenario's, on. */
export function startingFaults(scenario: readonly Fault[]): FaultsFile {
  return { next: 1, faults: [...scenario], scenario: [...scenario] };
}

/** Adds a checked fault spec as `f<next>`. */
export function addFault(file: FaultsFile, spec: FaultSpec, now: number): { file: FaultsFile; fault: Fault } {
  const fault: Fault = { ...spec, id: `f${file.next}`, since: now };
  return { file: { ...file, next: file.next + 1, faults: [...file.faults, fault] }, fault };
}

/** Puts one of the scenario's faults back by its id (`s1`), as it was when the lab started. */
export function restoreFault(file: FaultsFile, id: string, now: number): { file: FaultsFile; fault: Fault } {
  const builtIn = (file.scenario ?? []).find((f) => f.id === id);
  if (!builtIn) {
    const known = (file.scenario ?? []).map((f) => f.id).join(', ') || 'none in this lab';
    throw new FaultError(`no built-in fault "${id}" (the scenario's: ${known})`);
  }
  if (file.faults.some((f) => f.id === id)) throw new FaultError(`fault ${id} is already on`);
  const fault: Fault = { ...builtIn, since: now };
  return { file: { ...file, faults: [...file.faults, fault] }, fault };
}

/** Clears one fault (by id, e.g. `f2` or `s1`), every fault of a kind (e.g. `dns-slow`), or all (no id). */
export function clearFaults(
  file: FaultsFile,
  id: string | undefined,
): { file: FaultsFile; cleared: Fault[] } {
  const cleared = file.faults.filter((f) => id === undefined || f.id === id || f.kind === id);
  if (id !== undefined && cleared.length === 0) {
    const active = file.faults.map((f) => `${f.id} (${f.kind})`).join(', ') || 'none';
    throw new FaultError(`no active fault "${id}" (active: ${active})`);
  }
  return { file: { ...file, faults: file.faults.filter((f) => !cleared.includes(f)) }, cleared };
}

/** `s1`, `s12`: the id of one of a scenario's faults (user faults are `f1`, ...). */
export function isScenarioFaultId(s: string): boolean {
  return /^s[1-9][0-9]?$/.test(s);
}
