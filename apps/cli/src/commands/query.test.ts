import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type DiagnoseResponse,
  type Endpoint,
  type FlowRecord,
  type IngestBatch,
  PROTOCOL_VERSION,
  type TcpConnectRecord,
} from '@weft/protocol';
import { buildApp, parseServerConfig } from '@weft/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../cliError.js';
import { runDiagnose } from './diagnose.js';
import { runQuery } from './query.js';

const NODE = 'cli-node-1';
const pod = (name: string, ip: string, workload: string, service: string): Endpoint => ({
  ip,
  kind: 'pod',
  namespace: 'production',
  name,
  workloadKind: 'Deployment',
  workload,
  service,
  node: NODE,
});
const frontend = pod('frontend-1', '10.244.1.10', 'frontend', 'frontend');
const api = pod('api-1', '10.244.1.11', 'api', 'api');
const db = pod('db-0', '10.244.1.12', 'db', 'db');

/** Whole seconds, five of them in the past: `--at` values the CLI checks against its own clock. */
const END = Math.floor(Date.now() / 1000) * 1000 - 5000;
const SECONDS = 120;
/** db refuses frontend's connects for the last 30 s; before that they all succeed. */
const REFUSED_FROM = END - 30_000;

function batch(seq: number, start: number): IngestBatch {
  const ts = start + 1000;
  const flow = (src: Endpoint, dst: Endpoint, dport: number, bytes: number): FlowRecord => ({
    ts,
    src,
    dst,
    sport: 40000 + dport,
    dport,
    proto: 'tcp',
    dir: 'egress',
    bytes,
    packets: 10,
    tcpFlags: 0x18,
  });
  const connect = (ok: boolean): TcpConnectRecord => ({
    ts,
    src: frontend,
    dst: db,
    sport: 50000 + (seq % 10000),
    dport: 5432,
    proto: 'tcp',
    ...(ok ? { outcome: 'ok' as const, latencyUs: 2000 } : { outcome: 'fail' as const, cause: 'refused' }),
  });
  return {
    type: 'batch',
    seq,
    start,
    end: start + 1000,
    flows: [flow(frontend, api, 80, 20_000), flow(api, frontend, 80, 1000)],
    drops: [],
    tcp: [connect(ts <= REFUSED_FROM)],
    tcpStats: [],
    dns: [],
    lost: 0,
  };
}

let app: Awaited<ReturnType<typeof buildApp>>;
/** In front of the app: records each request's URL (what the CLI sent) and passes it on. */
let front: Server;
let server: string;
const urls: string[] = [];
const clock = { now: END + 200 };

beforeAll(async () => {
  app = await buildApp(parseServerConfig({ WEFT_LOG_LEVEL: 'silent', WEFT_WEB_ROOT: '/nonexistent/cli' }), {
    now: () => clock.now,
    timers: false,
  });
  app.weft.collectors.connect(
    {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      node: NODE,
      boot: 'boot-cli',
      collectorVersion: '0.1.0',
      hooks: [],
      simulated: false,
    },
    END - SECONDS * 1000,
  );
  for (let s = 0; s < SECONDS; s++) app.weft.store.ingest(batch(s, END - (SECONDS - s) * 1000), NODE);
  app.weft.alerts.evaluate();
  const appUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  front = createServer((req, res) => {
    urls.push(req.url ?? '');
    fetch(`${appUrl}${req.url}`).then(
      async (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text()),
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  server = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => front.close(resolve));
  await app.close();
});

/** `weft query ...` against the server; what it printed. */
async function query(...args: string[]): Promise<string> {
  let out = '';
  const code = await runQuery([...args, '--server', server], { write: (s: string) => (out += s) });
  expect(code).toBe(0);
  return out;
}

async function refused(...args: string[]): Promise<string> {
  const before = urls.length;
  const e = await runQuery([...args, '--server', server], { write: () => true }).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(CliError);
  expect(urls.length, 'no request is made').toBe(before);
  return (e as CliError).message;
}

const lastUrl = () => urls[urls.length - 1]!;
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

describe('weft query', () => {
  it('prints the live graph with the window it used', async () => {
    const text = await query('graph', '--level', 'workload');
    expect(lastUrl()).toBe('/api/v1/graph?level=workload');
    expect(text).toMatch(/^graph at workload level, live, over the last 10 s: \d+ nodes, \d+ edges\n/);
    expect(text).toMatch(/^EDGE +BYTES\/S +DROPS\/S +TCP FAILED +DNS ERRORS$/m);
    expect(text).toMatch(/^frontend -> api +\d+(\.\d)? kB\/s +0 +0\/0 +0$/m);
    expect(text).toMatch(/^frontend -> db +0 B\/s +0 +(\d+)\/\1 +0$/m);
  });

  it('carries at, from/to and compare to the API as the web URL does, and says which window answered', async () => {
    const at = iso(END - 60_000);
    const g = JSON.parse(await query('graph', '--at', at, '--json'));
    expect(lastUrl()).toBe(`/api/v1/graph?at=${encodeURIComponent(at)}`);
    expect(g).toMatchObject({ mode: 'at', end: END - 60_000, start: END - 70_000 });

    const r = JSON.parse(await query('graph', '--from', 'now-1h', '--to', 'now', '--json'));
    expect(lastUrl()).toBe('/api/v1/graph?from=now-1h&to=now');
    // Older than the 1 s tier, the range's start widens to its whole minute (the window actually used).
    expect(r).toMatchObject({
      mode: 'range',
      end: clock.now,
      start: Math.floor((clock.now - 3_600_000) / 60_000) * 60_000,
    });

    const c = await query('graph', '--compare', 'previous', '--namespace', 'production');
    expect(lastUrl()).toBe('/api/v1/graph?namespace=production&compare=previous');
    expect(c).toMatch(/^graph at namespace level, live, over the last 10 s/);
  });

  it('refuses a bad value with the notice that names it, before any request', async () => {
    expect(await refused('graph', '--at', 'yesterday')).toBe(
      'at: must be now, now-<n>s|m|h|d, or an RFC 3339 time (got "yesterday")',
    );
    expect(await refused('graph', '--from', 'now', '--to', 'now-1h')).toMatch(/^from: must be before to/);
    expect(await refused('graph', '--compare', 'last-week')).toMatch(/^compare: must be previous or/);
    expect(await refused('graph', '--level', 'cluster')).toMatch(/^level: must be one of node, namespace/);
    expect(await refused('diagnose', '--src', 'production/frontend-1')).toMatch(/--dst required/);
    expect(await refused('graph', '--at')).toMatch(/--at needs a value/);
    expect(await refused('topology')).toMatch(/unknown view "topology"/);
  });

  it('diagnoses a pair now and says since when it fails, with its history', async () => {
    const text = await query('diagnose', '--src', 'production/frontend-1', '--dst', 'production/db');
    expect(lastUrl()).toBe('/api/v1/diagnose?src=production%2Ffrontend-1&dst=production%2Fdb');
    const lines = text.split('\n');
    expect(lines[0]).toBe('production/frontend-1 -> production/db: refused');
    expect(lines[1]).toMatch(
      /^failing since \S+ UTC \(29 s\): connection refused: (\d+) of \1 connections answered with RST \(nothing listening\), over the last 10 s$/,
    );
    expect(lines[2]).toMatch(/^window: live, /);
    expect(text).toMatch(/^1\. refused: connection refused: (\d+) of \1 connections answered with RST/m);
    expect(text).toMatch(
      /^Check TCP connection attempts +problem +connection refused: (\d+) of \1 connections answered with RST/m,
    );
    expect(text).toContain(
      `See the TCP connections of this pair: ${server}/?view=tcp&focus=pod%3Aproduction%2Ffrontend-1-%3Epod%3Aproduction%2Fdb-0`,
    );
    expect(text).toMatch(/^history:\n.*\n.*no traffic.*\n.*healthy +1 min 30 s\n.*failing +29 s\n$/m);

    const before = JSON.parse(
      await query(
        'diagnose',
        '--src',
        'production/frontend-1',
        '--dst',
        'production/db',
        '--at',
        iso(END - 60_000),
        '--json',
      ),
    );
    expect(before).toMatchObject({ mode: 'at', verdict: 'healthy' });
  });

  it('lists drops, DNS, flows and alerts over the selection', async () => {
    expect(await query('drops', '--from', 'now-15m')).toMatch(
      // The start, at the 1 s tier's edge, widens to its whole minute.
      /^drops range, over the last 15 min( \d+ s)?: 0 packets/,
    );
    expect(await query('dns')).toMatch(/^DNS live, over the last 10 s: 0 queries/);
    const flows = await query('flows', '--limit', '2');
    expect(lastUrl()).toBe('/api/v1/flows?limit=2');
    expect(flows).toMatch(/^flows \(live\): 2 of \d+, newest first\n/);
    const alerts = await query('alerts');
    expect(alerts).toMatch(/^RULE +STATE +VALUE +THRESHOLD +LAST FIRED +LAST RESOLVED$/m);
    expect(alerts).toMatch(/^HighPacketDropRate +inactive +0 +100 +- +-$/m);
  });

  it('says when the server cannot be reached', async () => {
    // A port that was just free: nothing listens there now.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const e = await runQuery(['alerts', '--server', `http://127.0.0.1:${port}`], { write: () => true }).catch(
      (x: unknown) => x,
    );
    expect((e as Error).message).toBe(`cannot reach the server at http://127.0.0.1:${port}: ECONNREFUSED`);
  });
});

/** `weft diagnose ...` against the server; what it printed. */
async function diagnose(...args: string[]): Promise<string> {
  let out = '';
  const code = await runDiagnose([...args, '--server', server], { write: (s: string) => (out += s) });
  expect(code).toBe(0);
  return out;
}

describe('weft diagnose', () => {
  it('asks the API with src/dst and the time, and prints the verdict, the problems worst first and where to look', async () => {
    const text = await diagnose('production/frontend-1', 'production/db');
    expect(lastUrl()).toBe('/api/v1/diagnose?src=production%2Ffrontend-1&dst=production%2Fdb');
    expect(text.split('\n')[0]).toBe('production/frontend-1 -> production/db: refused');
    expect(text).toMatch(/^problems, worst first:\n1\. refused: /m);
    expect(text).toMatch(/^next:\n {2}See the TCP connections of this pair: http/m);

    const json = JSON.parse(
      await diagnose('production/frontend-1', '10.244.1.12:5432', '--since', '5m', '--json'),
    );
    expect(lastUrl()).toBe('/api/v1/diagnose?src=production%2Ffrontend-1&dst=10.244.1.12%3A5432&from=now-5m');
    const api = (await (
      await fetch(`${server}/api/v1/diagnose?src=production/frontend-1&dst=10.244.1.12:5432&from=now-5m`)
    ).json()) as DiagnoseResponse;
    expect(json).toMatchObject({ verdict: api.verdict, problems: api.problems, dstKind: 'ip' });

    const at = JSON.parse(
      await diagnose('production/frontend-1', 'production/db', '--at', iso(END - 60_000), '--json'),
    );
    expect(at).toMatchObject({ mode: 'at', verdict: 'healthy', problems: [] });
  });

  it("refuses bad input before any request, and passes on the server's word for an unknown subject", async () => {
    const refusedWith = async (...args: string[]) => {
      const before = urls.length;
      const e = await runDiagnose([...args, '--server', server], { write: () => true }).catch(
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(CliError);
      return { message: (e as CliError).message, requests: urls.length - before };
    };
    expect(await refusedWith('production/frontend-1')).toMatchObject({
      message: expect.stringMatching(/got 1 subjects/),
      requests: 0,
    });
    expect(await refusedWith('a/b', 'c/d', '--since', 'forever')).toMatchObject({ requests: 0 });
    expect(await refusedWith('a/b', 'c/d', '--since', '5m', '--at', 'now-1m')).toMatchObject({ requests: 0 });
    expect(await refusedWith('a/b', '1.2.3', '--json')).toMatchObject({
      message: expect.stringMatching(/^diagnose: DST "1.2.3" must be/),
      requests: 0,
    });
    const unknown = await refusedWith('production/frontnd-1', 'production/db');
    expect(unknown.message).toContain(
      'src: no pod, workload or service "production/frontnd-1" seen; did you mean production/frontend-1',
    );
  });
});
