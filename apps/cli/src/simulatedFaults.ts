import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addFault,
  clearFaults,
  DEFAULT_PREFIX,
  type Fault,
  type FaultSpec,
  type FaultsFile,
  parseFaultSpec,
  restoreFault,
  startingFaults,
} from '@weft/lab';

/**
 * The fault switch of a simulated lab: `weft start --simulated` (or a host without eBPF) watches a
 * small file that `weft lab fault add|clear|list` edits when no real lab is up, so the same commands
 * work without root. The file lives in the temp directory, which any user can write. It holds the same
 * fault book as a real lab's faults.json (the scenario's own faults on from the start).
 */
export function simulatedFaultsPath(prefix = DEFAULT_PREFIX): string {
  return join(tmpdir(), `weft-sim-${prefix}`, 'faults.json');
}

function read(path: string): FaultsFile {
  try {
    const f = JSON.parse(readFileSync(path, 'utf8')) as FaultsFile;
    return {
      next: f.next ?? 1,
      faults: Array.isArray(f.faults) ? f.faults : [],
      ...(Array.isArray(f.scenario) ? { scenario: f.scenario } : {}),
    };
  } catch {
    return { next: 1, faults: [] };
  }
}

function write(path: string, file: FaultsFile): void {
  // Whole-file replace, so the watcher never reads half a write.
  writeFileSync(`${path}.tmp`, JSON.stringify(file));
  renameSync(`${path}.tmp`, path);
}

/** Whether a simulated lab with this prefix is running (its fault file exists). */
export function simulatedLabRunning(prefix?: string): boolean {
  return existsSync(simulatedFaultsPath(prefix));
}

export function addSimulatedFault(prefix: string | undefined, spec: FaultSpec): Fault {
  const path = simulatedFaultsPath(prefix);
  const checked = parseFaultSpec(spec as unknown as Record<string, unknown>);
  const { file, fault } = addFault(read(path), checked, Date.now());
  write(path, file);
  return fault;
}

/** Puts one of the scenario's faults back by its id (`s1`). */
export function restoreSimulatedFault(prefix: string | undefined, id: string): Fault {
  const path = simulatedFaultsPath(prefix);
  const { file, fault } = restoreFault(read(path), id, Date.now());
  write(path, file);
  return fault;
}

export function clearSimulatedFaults(prefix: string | undefined, id?: string): Fault[] {
  const path = simulatedFaultsPath(prefix);
  const { file, cleared } = clearFaults(read(path), id);
  write(path, file);
  return cleared;
}

export function listSimulatedFaults(prefix?: string): Fault[] {
  return read(simulatedFaultsPath(prefix)).faults;
}

/** Creates the switch for a running simulated lab and calls `apply` with the faults whenever they change. */
export function serveSimulatedFaults(
  prefix: string | undefined,
  apply: (faults: Fault[]) => void,
  scenario: readonly Fault[] = [],
): () => void {
  const path = simulatedFaultsPath(prefix);
  mkdirSync(join(path, '..'), { recursive: true });
  const start = startingFaults(scenario);
  write(path, start);
  // Compares contents rather than trusting change events: a write right after start, or two writes
  // within one mtime tick, must not go unseen.
  let last = JSON.stringify(start.faults);
  const timer = setInterval(() => {
    const faults = read(path).faults;
    const now = JSON.stringify(faults);
    if (now === last) return;
    last = now;
    apply(faults);
  }, 250);
  timer.unref();
  return () => {
    clearInterval(timer);
    rmSync(join(path, '..'), { recursive: true, force: true });
  };
}
