import { readFileSync } from 'node:fs';
import { run, tryRun } from './run.js';

/** What carries a lab's prefix on this host right now. */
export interface LabResources {
  netns: string[];
  links: string[];
  nftTables: string[];
}

export function isLabNetns(prefix: string, name: string): boolean {
  return name.startsWith(`${prefix}-`);
}

/** Pod veths `<p><node>-<n>`, bridges `<p>br<n>`, the world veth `<p>w<n>`: nothing else of the host. */
export function isLabLink(prefix: string, name: string): boolean {
  if (!name.startsWith(prefix)) return false;
  return /^(\d+-\d+|br\d+|w\d+)$/.test(name.slice(prefix.length));
}

export async function findLabResources(prefix: string): Promise<LabResources> {
  const ns = await run('ip', ['netns', 'list']);
  const netns = ns.stdout
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n && isLabNetns(prefix, n));
  const links = await run('ip', ['-j', 'link', 'show']);
  const linkNames = (JSON.parse(links.stdout || '[]') as { ifname: string }[])
    .map((l) => l.ifname)
    .filter((n) => isLabLink(prefix, n));
  const tables = await tryRun('nft', ['list', 'tables']);
  const guard = `table inet ${prefix}_guard`;
  const nftTables = tables.stdout.split('\n').some((l) => l.trim() === guard) ? [`inet ${prefix}_guard`] : [];
  return { netns, links: linkNames, nftTables };
}

export async function netnsPids(netns: string): Promise<number[]> {
  const r = await tryRun('ip', ['netns', 'pids', netns]);
  return r.stdout
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 1);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers kill(0); it is dead for us.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
}

export function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** SIGTERM, a grace period, then SIGKILL; returns how many were running. */
export async function stopProcesses(pids: readonly number[], graceMs = 3000): Promise<number> {
  const alive = [...new Set(pids)].filter(isAlive);
  for (const pid of alive) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // exited meanwhile
    }
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && alive.some(isAlive)) await new Promise((r) => setTimeout(r, 25));
  for (const pid of alive.filter(isAlive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  const killDeadline = Date.now() + 2000;
  while (Date.now() < killDeadline && alive.some(isAlive)) await new Promise((r) => setTimeout(r, 25));
  return alive.length;
}
