import { readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkPrefix, DEFAULT_PREFIX } from '../topology/prefix.js';
import { cmdlineOf, findLabResources, netnsPids, stopProcesses } from './labResources.js';
import { DEFAULT_STATE_ROOT, type LabOptions, stateDirOf } from './labState.js';
import { tryRun } from './run.js';

export interface LabDownResult {
  prefix: string;
  /** False when there was nothing to take down. */
  wasUp: boolean;
  removed: { processes: number; netns: number; links: number; nftTables: number; stateDir: boolean };
  message: string;
}

async function pidFilePids(stateDir: string): Promise<number[]> {
  const dir = join(stateDir, 'agents');
  let files: string[];
  try {
    files = await readdir(dir);
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const f of files.filter((x) => x.endsWith('.pid'))) {
    const pid = Number((await readFile(join(dir, f), 'utf8').catch(() => '')).trim());
    // Only our agents: a pid file can outlive its process, and the pid be reused by anything.
    if (
      Number.isInteger(pid) &&
      pid > 1 &&
      cmdlineOf(pid).includes('agentMain') &&
      cmdlineOf(pid).includes(stateDir)
    )
      pids.push(pid);
  }
  return pids;
}

/**
 * Takes down everything carrying the prefix: processes in the lab's namespaces (and agents from pid
 * files), namespaces, links, the nft safety net, the state dir. Idempotent, and works from nothing but
 * the prefix, so it also cleans up after a crash or Ctrl-C.
 */
export async function labDown(opts: LabOptions = {}): Promise<LabDownResult> {
  const prefix = checkPrefix(opts.prefix ?? DEFAULT_PREFIX);
  const stateDir = stateDirOf({ ...opts, prefix });
  const found = await findLabResources(prefix);
  const pids = [...(await pidFilePids(stateDir))];
  for (const ns of found.netns) pids.push(...(await netnsPids(ns)));
  const processes = await stopProcesses(pids);

  const batch = [
    ...found.netns.map((n) => `netns del ${n}`),
    // Deleting a netns takes its veth ends with it; bridges and the world veth are in the host.
    ...found.links.map((l) => `link del ${l}`),
  ];
  if (batch.length) await tryRun('ip', ['-force', '-batch', '-'], `${batch.join('\n')}\n`);
  for (const t of found.nftTables) await tryRun('nft', ['delete', 'table', ...t.split(' ')]);

  // veths of deleted namespaces disappear asynchronously: wait, and remove stragglers.
  const deadline = Date.now() + 10_000;
  let left = await findLabResources(prefix);
  while (left.netns.length + left.links.length + left.nftTables.length > 0 && Date.now() < deadline) {
    for (const l of left.links) await tryRun('ip', ['link', 'del', l]);
    for (const n of left.netns) await stopProcesses(await netnsPids(n));
    for (const n of left.netns) await tryRun('ip', ['netns', 'del', n]);
    await new Promise((r) => setTimeout(r, 100));
    left = await findLabResources(prefix);
  }
  if (left.netns.length + left.links.length + left.nftTables.length > 0) {
    throw new Error(
      `lab "${prefix}" could not be removed completely: ${[...left.netns, ...left.links, ...left.nftTables].join(', ')}`,
    );
  }
  let stateRemoved = false;
  try {
    await readdir(stateDir);
    await rm(stateDir, { recursive: true, force: true });
    stateRemoved = true;
    // The shared root goes when the last lab does (rmdir only removes it empty).
    if (dirname(stateDir) === DEFAULT_STATE_ROOT) await rmdir(DEFAULT_STATE_ROOT).catch(() => {});
  } catch {
    stateRemoved = false;
  }
  const removed = {
    processes,
    netns: found.netns.length,
    links: found.links.length,
    nftTables: found.nftTables.length,
    stateDir: stateRemoved,
  };
  const wasUp = processes + removed.netns + removed.links + removed.nftTables > 0 || stateRemoved;
  return {
    prefix,
    wasUp,
    removed,
    message: wasUp
      ? `lab "${prefix}" is down (stopped ${processes} processes, removed ${removed.netns} namespaces, ${removed.links} links, ${removed.nftTables} nft tables)`
      : `no lab "${prefix}" is up: nothing to do`,
  };
}
