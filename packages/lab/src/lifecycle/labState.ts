import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Scenario } from '../scenario/scenario.js';
import { DEFAULT_PREFIX } from '../topology/prefix.js';
import type { Topology } from '../topology/topology.js';

export const DEFAULT_STATE_ROOT = '/run/weft-lab';

export interface LabOptions {
  prefix?: string;
  /** Where the lab keeps its state (default /run/weft-lab/<prefix>). */
  stateDir?: string;
}

export interface AgentRecord {
  id: string;
  label: string;
  configPath: string;
  pidFile: string;
  controlSocket: string;
  logPath: string;
}

export interface LabState {
  version: 1;
  prefix: string;
  slot: number;
  scenario: Scenario;
  /** The topology as run (scenario applied). */
  topology: Topology;
  status: 'building' | 'up';
  startedAt: number;
  stateDir: string;
  inventoryPath: string;
  agents: AgentRecord[];
}

export function stateDirOf(opts: LabOptions = {}): string {
  return opts.stateDir ?? join(DEFAULT_STATE_ROOT, opts.prefix ?? DEFAULT_PREFIX);
}

export const statePath = (dir: string) => join(dir, 'state.json');
export const inventoryPathOf = (dir: string) => join(dir, 'inventory.json');
export const faultsPath = (dir: string) => join(dir, 'faults.json');
export const policiesPath = (dir: string) => join(dir, 'policies.json');

/** Written through a temporary file so a reader never sees half a file. */
export async function writeJson(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, path);
}

export async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
}

export async function readState(dir: string): Promise<LabState | null> {
  return readJson<LabState>(statePath(dir));
}

export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
}
