import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PREFIX, type Fault, FaultError, type FaultSpec, parseFaultSpec } from '@weft/lab';

/**
 * The fault switch of a simulated lab: `weft start --simulated` (or a host without eBPF) watches a
 * small file that `weft lab fault add|clear|list` edits when no real lab is up, so the same commands
 * work without root. The file lives in the temp directory, which any user can write.
 */
interface FaultsFile {
  next: number;
  faults: Fault[];
}

export function simulatedFaultsPath(prefix = DEFAULT_PREFIX): string {
  return join(tmpdir(), `weft-sim-${prefix}`, 'faults.json');
}

function read(path: string): FaultsFile {
  try {
    const f = JSON.parse(readFileSync(path, 'utf8')) as FaultsFile;
    return { next: f.next ?? 1, faults: Array.isArray(f.faults) ? f.faults : [] };
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
  const file = read(path);
  const fault: Fault = {
    ...parseFaultSpec(spec as unknown as Record<string, unknown>),
    id: `f${file.next}`,
    since: Date.now(),
  };
  write(path, { next: file.next + 1, faults: [...file.faults, fault] });
  return fault;
}

export function clearSimulatedFaults(prefix: string | undefined, id?: string): Fault[] {
  const path = simulatedFaultsPath(prefix);
  const file = read(path);
  const cleared = file.faults.filter((f) => id === undefined || f.id === id || f.kind === id);
  if (id !== undefined && cleared.length === 0) {
    const active = file.faults.map((f) => `${f.id} (${f.kind})`).join(', ') || 'none';
    throw new FaultError(`no active fault "${id}" (active: ${active})`);
  }
  write(path, { next: file.next, faults: file.faults.filter((f) => !cleared.includes(f)) });
  return cleared;
}

export function listSimulatedFaults(prefix?: string): Fault[] {
  return read(simulatedFaultsPath(prefix)).faults;
}

/** Creates the switch for a running simulated lab and calls `apply` with the faults whenever they change. */
export function serveSimulatedFaults(
  prefix: string | undefined,
  apply: (faults: FaultSpec[]) => void,
): () => void {
  const path = simulatedFaultsPath(prefix);
  mkdirSync(join(path, '..'), { recursive: true });
  write(path, { next: 1, faults: [] });
  // Compares contents rather than trusting change events: a write right after start, or two writes
  // within one mtime tick, must not go unseen.
  let last = JSON.stringify([]);
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
