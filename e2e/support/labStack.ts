import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { namespaceNodeId } from '@weft/protocol';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'apps/cli/dist/main.js');

/** The lab's name prefix for these specs: no other engineer's or user's lab shares it. */
export const LAB_PREFIX = 'wee';

/**
 * `weft start` as users run it (the built CLI, not sources), on free ports and its own lab prefix.
 * With root and a probe that loads it builds the real lab (namespaces, servers, eBPF, one collector
 * per node); otherwise it runs the simulated lab and says why.
 */
export interface LabStack {
  url: string;
  mode: 'lab' | 'simulated';
  /** The CLI's own words for the mode it chose. */
  why: string;
  /** Everything the CLI said on stderr so far (bounded), for failure messages. */
  log(): string;
  /** SIGTERM, then waits for the exit: the CLI tears down the lab before it exits. */
  stop(): Promise<{ code: number | null; signal: string | null }>;
}

const LOG_LINES = 400;

export async function startLabStack(
  opts: { simulated?: boolean; timeoutMs?: number } = {},
): Promise<LabStack> {
  if (!existsSync(cli))
    throw new Error(
      `${cli} is missing: build the CLI first (pnpm exec turbo run build --filter '@weft/cli...')`,
    );
  const args = [cli, 'start', '--port', '0', '--metrics-port', '0', '--lab-prefix', LAB_PREFIX];
  if (opts.simulated) args.push('--simulated');
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WEFT_LOG_LEVEL: process.env.WEFT_LOG_LEVEL ?? 'warn' },
  });
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > LOG_LINES) lines.splice(0, lines.length - LOG_LINES);
  };
  // Both pipes are drained for the whole run: a full pipe would stall the server's logging.
  createInterface({ input: child.stdout! }).on('line', keep);
  const stderr = createInterface({ input: child.stderr! });
  stderr.on('line', keep);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const ready = await new Promise<{ url: string; mode: 'lab' | 'simulated'; why: string }>(
    (resolve, reject) => {
      let mode: 'lab' | 'simulated' | undefined;
      let why = '';
      const timer = setTimeout(
        () =>
          reject(
            new Error(`weft start was not ready within ${opts.timeoutMs ?? 90_000} ms:\n${lines.join('\n')}`),
          ),
        opts.timeoutMs ?? 90_000,
      );
      stderr.on('line', (line) => {
        const real = /^weft: real lab with eBPF: (.*)$/.exec(line);
        const sim = /^weft: simulated lab: (.*)$/.exec(line);
        if (real && !mode) [mode, why] = ['lab', real[1]!];
        if (sim && !mode) [mode, why] = ['simulated', sim[1]!];
        const dash = /^weft: dashboard: (http:\/\/\S+)/.exec(line);
        if (!dash) return;
        clearTimeout(timer);
        if (!mode) reject(new Error(`weft start did not say which lab it runs:\n${lines.join('\n')}`));
        else resolve({ url: dash[1]!, mode, why });
      });
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`weft start exited (${code ?? signal}) before it was ready:\n${lines.join('\n')}`));
      });
    },
  ).catch(async (err: unknown) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    throw err;
  });

  return {
    ...ready,
    log: () => lines.join('\n'),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** `weft lab <args> --prefix wee`, the command a user types in a second shell. */
export async function labCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, 'lab', ...args, '--prefix', LAB_PREFIX], {
      cwd: root,
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string; message: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

/**
 * Everything on the host that carries the prefix: network namespaces (`wee-<ns>-<pod>`, `wee-world`),
 * links (`wee1-3`, `weebr1`, `weew0`), nft tables (`wee_guard`) and the state directory.
 */
export async function labLeftovers(): Promise<string[]> {
  const out: string[] = [];
  const mine = (name: string) => name.startsWith(LAB_PREFIX);
  const netns = await run('ip', ['netns', 'list']).catch(() => ({ stdout: '' }));
  for (const line of netns.stdout.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    if (name && mine(name)) out.push(`netns ${name}`);
  }
  const links = await run('ip', ['-o', 'link', 'show']).catch(() => ({ stdout: '' }));
  for (const line of links.stdout.split('\n')) {
    const name = (line.split(': ')[1] ?? '').split('@')[0] ?? '';
    if (name && mine(name)) out.push(`link ${name}`);
  }
  const tables = await run('nft', ['list', 'tables']).catch(() => ({ stdout: '' }));
  for (const line of tables.stdout.split('\n')) {
    const name = line.trim().split(' ').pop() ?? '';
    if (name.startsWith(`${LAB_PREFIX}_`)) out.push(`nft ${line.trim()}`);
  }
  if (existsSync(`/run/weft-lab/${LAB_PREFIX}`)) out.push(`state /run/weft-lab/${LAB_PREFIX}`);
  return out;
}

/**
 * Waits until the server's graph holds traffic of every given namespace: the stack is "running" for
 * the specs once the collectors' first intervals have arrived.
 */
export async function waitForTraffic(url: string, namespaces: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/api/v1/graph?level=namespace`);
      const graph = (await res.json()) as { nodes: { id: string }[]; edges: { source: string }[] };
      const sources = new Set(graph.edges.map((e) => e.source));
      const missing = namespaces.filter((ns) => !graph.nodes.some((n) => n.id === namespaceNodeId(ns)));
      if (missing.length === 0 && sources.size > 0) return;
      last = `missing namespaces: ${missing.join(', ')}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no lab traffic at ${url} within ${timeoutMs} ms (${last})`);
}
