import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COLLECTOR_V8_FLAGS, missingV8Flags } from '@weft/collector/launch';
import { afterEach, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'weft-cli-collector-'));
const inventory = join(dir, 'inventory.json');
writeFileSync(inventory, JSON.stringify({ version: 1, nodes: [], pods: [], services: [] }));
let running: ChildProcess | undefined;
/** The re-executed collector is in a process group of its own: a failed test must end it too. */
let rerun: number[] = [];
afterEach(() => {
  running?.kill('SIGKILL');
  running = undefined;
  for (const pid of rerun) if (existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGKILL');
  rerun = [];
});

/** `weft collector` run from source with NODE_OPTIONS as given, up to its "running" line. */
async function startCollector(nodeOptions: string) {
  const child = spawn(
    process.execPath,
    [
      '--conditions=weft-source',
      '--import',
      'tsx',
      main,
      'collector',
      '--node',
      'cli-test',
      '--inventory',
      inventory,
      // Nothing listens there: the collector keeps retrying, which is all this test needs.
      '--server',
      'ws://127.0.0.1:9/api/v1/ingest',
      '--metrics-host',
      '127.0.0.1',
      '--metrics-port',
      '0',
      '--probe',
      join(dir, 'no-probe-here'),
    ],
    { env: { ...process.env, NODE_OPTIONS: nodeOptions }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  running = child;
  let log = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('weft collector running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${log}`)));
  });
  const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  rerun = children;
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(`${code ?? signal}: ${log}`)),
  );
  return { child, children, exited };
}

const argvOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);

describe('weft collector', () => {
  it('starts again with the collector heap flags when Node has none, and passes SIGTERM on', async () => {
    const { child, children, exited } = await startCollector('');
    // The collector is the one child; the first process only waits for it.
    const nodeChildren = children.filter((pid) => argvOf(pid).includes('collector'));
    expect(nodeChildren).toHaveLength(1);
    const argv = argvOf(nodeChildren[0]!);
    for (const f of COLLECTOR_V8_FLAGS) expect(argv).toContain(f);
    expect(argv.slice(-2)).toEqual(['--probe', join(dir, 'no-probe-here')]);
    child.kill('SIGTERM');
    expect(await exited).toMatch(/^0:/);
    expect(existsSync(`/proc/${nodeChildren[0]}`)).toBe(false);
  }, 60_000);

  it('runs in place when NODE_OPTIONS already sets the heap flags', async () => {
    const { child, children, exited } = await startCollector(COLLECTOR_V8_FLAGS.join(' '));
    expect(children.filter((pid) => argvOf(pid).includes('collector'))).toEqual([]);
    child.kill('SIGTERM');
    expect(await exited).toMatch(/^0:/);
  }, 60_000);
});

describe('the collector image and manifests', () => {
  const repo = fileURLToPath(new URL('../../../../', import.meta.url));
  const read = (path: string) => readFileSync(join(repo, path), 'utf8');
  const semiSpace = COLLECTOR_V8_FLAGS.find((f) => f.startsWith('--max-semi-space-size='));

  it('start Node with the heap flags, so the collector runs in place with the young generation measured', () => {
    const settings = [
      /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(read('deploy/images/collector.Dockerfile'))?.[1],
      ...[
        'base/collector-daemonset.yaml',
        'overlays/small/collector.yaml',
        'overlays/large/collector.yaml',
      ].map((f) => /- name: NODE_OPTIONS\n\s+value: (.*)$/m.exec(read(`deploy/kubernetes/${f}`))?.[1]),
    ];
    for (const nodeOptions of settings) {
      expect(nodeOptions).toBeDefined();
      expect(missingV8Flags([], nodeOptions)).toEqual([]);
      expect(nodeOptions?.split(/\s+/)).toContain(semiSpace);
    }
  });
});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
