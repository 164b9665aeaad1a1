import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCollectorConfig, type RunningCollector, startCollector } from '@weft/collector';
import { freeLoopbackPort } from '@weft/collector/testing/prometheus';
import { type LabHandle, labDown, labUp } from '@weft/lab';
import type { GraphResponse, StatusResponse } from '@weft/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 14's durable history on the real lab: the server runs as a process of its own (`node
 * server.ts`, WEFT_DATA_DIR in a scratch directory) so that it can be stopped with SIGINT and killed
 * with SIGKILL; the lab's two collectors stream to it and reconnect to each new process on the same
 * port. Root and eBPF required. Prefix `wdh`.
 */
const prefix = 'wdh';
const serverTs = fileURLToPath(new URL('./server.ts', import.meta.url));
let lab: LabHandle;
let dataDir = '';
let port = 0;
let url = '';
let proc: { child: ChildProcess; log: () => string; exited: Promise<unknown> } | undefined;
const collectors: RunningCollector[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const iso = (t: number) => new Date(t).toISOString();
// biome-ignore lint/suspicious/noExplicitAny: JSON responses read in assertions
const get = async (path: string): Promise<any> => (await fetch(url + path)).json();

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; server log:\n${proc?.log()}`);
    await sleep(250);
  }
}

/** The server on `port`, ready (its history read back). */
async function startServerProcess(): Promise<void> {
  const child = spawn(process.execPath, ['--conditions=weft-source', '--import', 'tsx', serverTs], {
    env: {
      ...process.env,
      WEFT_HOST: '127.0.0.1',
      WEFT_PORT: String(port),
      WEFT_DATA_DIR: dataDir,
      WEFT_LOG_LEVEL: 'info',
      WEFT_WEB_ROOT: '/nonexistent/wdh',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  proc = { child, log: () => out, exited };
  await until('the server to be ready', async () => ((await fetch(`${url}/readyz`)).ok ? true : undefined));
}

async function stopServerProcess(signal: NodeJS.Signals): Promise<void> {
  const p = proc!;
  p.child.kill(signal);
  await p.exited;
}

/** Both collectors connected to the current process, each with `batches` stored since it started. */
async function streaming(batches: number): Promise<void> {
  await until('both collectors to stream', async () => {
    const s: StatusResponse = await get('/api/v1/status');
    return s.collectors.filter((c) => c.connected && c.batches >= batches).length === 2 ? true : undefined;
  });
}

const graph = async (from: number, to: number): Promise<GraphResponse['edges']> =>
  ((await get(`/api/v1/graph?level=workload&from=${iso(from)}&to=${iso(to)}`)) as GraphResponse).edges;

/** The same edges with every figure equal, bytes and DNS queries exact. */
function expectSameGraph(actual: GraphResponse['edges'], expected: GraphResponse['edges']): void {
  expect(actual).toEqual(expected);
}

beforeAll(async () => {
  await labDown({ prefix });
  dataDir = mkdtempSync(join(tmpdir(), 'weft-wdh-'));
  port = await freeLoopbackPort();
  url = `http://127.0.0.1:${port}`;
  await startServerProcess();
  lab = await labUp({ prefix, scenario: 'default' });
  for (const n of lab.nodes) {
    const parsed = parseCollectorConfig(
      [
        ...['--node', n.name, '--server', `ws://127.0.0.1:${port}/api/v1/ingest`],
        ...['--identity', 'inventory', '--inventory', lab.inventoryPath, '--iface-prefix', n.ifacePrefix],
        ...['--metrics-host', '127.0.0.1', '--metrics-port', '0'],
      ],
      {},
    );
    if (parsed.kind !== 'config') throw new Error(parsed.kind === 'error' ? parsed.message : 'help');
    collectors.push(await startCollector(parsed.config, { log: () => {} }));
  }
  await streaming(5);
}, 180_000);

afterAll(async () => {
  for (const c of collectors) await c.stop();
  if (proc && proc.child.exitCode === null && proc.child.signalCode === null)
    await stopServerProcess('SIGTERM');
  await labDown({ prefix });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe('history that outlives the server (real lab, server as its own process)', () => {
  let stopped: { from: number; to: number; edges: GraphResponse['edges'] };
  let killed: { from: number; to: number; edges: GraphResponse['edges'] };

  it('after SIGINT and a start on the same data directory, a past window answers the same, bytes exact', async () => {
    // Whole seconds that have fully arrived from both collectors (they send a batch a second).
    const from = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    const to = from + 30_000;
    while (Date.now() < to + 6_000) await sleep(1_000);
    const edges = await graph(from, to);
    expect(edges.length).toBeGreaterThan(5);
    stopped = { from, to, edges };
    await stopServerProcess('SIGINT');
    expect(proc!.child.exitCode).toBe(0);
    await startServerProcess();
    const status: StatusResponse = await get('/api/v1/status');
    expect(status.history?.mode).toBe('disk');
    expect(status.history?.replayedBatches).toBeGreaterThan(60);
    expect(status.history?.skippedFiles).toBe(0);
    // Before any collector is back, and after.
    expectSameGraph(await graph(from, to), edges);
    await streaming(5);
    expectSameGraph(await graph(from, to), edges);
  }, 120_000);

  it('after SIGKILL at most the last 5 s are missing', async () => {
    // Long enough that the window below is wholly this process's (the next test damages the first's file).
    await streaming(40);
    const kill = Date.now();
    const from = Math.floor(kill / 1000) * 1000 - 30_000;
    const to = Math.floor(kill / 1000) * 1000 - 5_000;
    const edges = await graph(from, to);
    expect(edges.length).toBeGreaterThan(5);
    killed = { from, to, edges };
    await stopServerProcess('SIGKILL');
    expect(proc!.child.signalCode).toBe('SIGKILL');
    await startServerProcess();
    expectSameGraph(await graph(from, to), edges);
    // The SIGINT window too.
    expectSameGraph(await graph(stopped.from, stopped.to), stopped.edges);
  }, 120_000);

  it('a data file damaged by hand is skipped, named in the log and the status, and the rest is served', async () => {
    await streaming(5);
    await stopServerProcess('SIGINT');
    // The first run's segment holds the SIGINT window; the second's the SIGKILL one.
    const files = readdirSync(dataDir)
      .filter((f) => f.endsWith('.wjl'))
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(3);
    const damaged = join(dataDir, files[0]!);
    const bytes = readFileSync(damaged);
    const at = Math.floor(bytes.length / 2);
    bytes.write('this is not what was written', at, 'latin1');
    writeFileSync(damaged, bytes);
    expect(statSync(damaged).size).toBe(bytes.length);
    await startServerProcess();
    const status: StatusResponse = await get('/api/v1/status');
    expect(status.history?.skippedFiles).toBe(1);
    expect(status.history?.skipped[0]?.file).toBe(damaged);
    expect(status.history?.skipped[0]?.offset).toBeLessThanOrEqual(at);
    expect(proc!.log()).toContain(`history: skipped ${damaged} from byte`);
    // The other files are served whole.
    expectSameGraph(await graph(killed.from, killed.to), killed.edges);
  }, 120_000);
});
