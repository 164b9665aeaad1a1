import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseCollectorConfig, type RunningCollector, startCollector } from '@weft/collector';
import { faultAdd, faultClear, type LabHandle, labDown, labUp, parseFaultArgs } from '@weft/lab';
import type { DropsResponse, FlowRow, FlowsResponse } from '@weft/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerConfig } from './config.js';
import { type RunningServer, startServer } from './server.js';

/**
 * Issue 18's "done when" on the real lab: the flow search (`GET /api/v1/flows`) finds every
 * policy-dropped flow of the last 5 minutes (its packets are the drops view's), a cross-node connection
 * is one row with `merge=connection`, flows to a name their source resolved carry it (`dns=` finds them), and `weft observe --verdict dropped -f --output json` prints a new
 * drop after a fault is added, as JSON lines. Real network namespaces, the real probe on both lab nodes,
 * two collectors streaming to this server. Root and eBPF required. Prefix `wflow`.
 *
 * Latencies are printed, not asserted (a shared machine's scheduling is not the product's).
 */
const prefix = 'wflow';
const POLL_MS = 100;
/** The CLI's source entry, run as a user would run the built one (tsx, the workspace's sources). */
const CLI_MAIN = fileURLToPath(new URL('../../cli/src/main.ts', import.meta.url));
let lab: LabHandle;
let server: RunningServer;
const collectors: RunningCollector[] = [];
let observer: ChildProcess | undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function get<T>(path: string, params: Record<string, string>): Promise<T> {
  const res = await fetch(`${server.url}${path}?${new URLSearchParams(params)}`);
  const body = await res.text();
  expect(res.status, `${path}: ${body.slice(0, 300)}`).toBe(200);
  return JSON.parse(body) as T;
}

/** Polls `read` until it gives a value (not undefined); that value and the ms it took. */
async function until<T>(what: string, read: () => Promise<T | undefined>, deadlineMs: number) {
  const t0 = Date.now();
  while (Date.now() - t0 < deadlineMs) {
    const v = await read();
    if (v !== undefined) return { ms: Date.now() - t0, value: v };
    await sleep(POLL_MS);
  }
  throw new Error(`${what}: not within ${deadlineMs} ms`);
}

/** Every page of a search, through the cursor; checks each page's `total` against the first. */
async function allPages(params: Record<string, string>) {
  const rows: FlowRow[] = [];
  let total = -1;
  let pages = 0;
  let cursor: string | undefined;
  do {
    const page = await get<FlowsResponse>('/api/v1/flows', { ...params, ...(cursor ? { cursor } : {}) });
    if (total < 0) total = page.total;
    expect(page.total, 'total changed between pages of a fixed past window').toBe(total);
    rows.push(...page.flows);
    cursor = page.next;
    pages++;
  } while (cursor);
  return { rows, total, pages };
}

beforeAll(async () => {
  await labDown({ prefix });
  lab = await labUp({ prefix, scenario: 'clean' });
  server = await startServer(
    parseServerConfig({
      WEFT_PORT: '0',
      WEFT_LOG_LEVEL: 'warn',
      WEFT_WEB_ROOT: '/nonexistent/wflow',
      // Every row of the test's minutes stays in the ring, so the search and the drops view see the same.
      WEFT_MAX_FLOW_ROWS: '500000',
    }),
  );
  const ingest = `${server.url.replace('http', 'ws')}/api/v1/ingest`;
  for (const n of lab.nodes) {
    const parsed = parseCollectorConfig(
      [
        ...['--node', n.name, '--server', ingest, '--identity', 'inventory'],
        ...['--inventory', lab.inventoryPath, '--iface-prefix', n.ifacePrefix],
        ...['--metrics-host', '127.0.0.1', '--metrics-port', '0'],
      ],
      {},
    );
    if (parsed.kind !== 'config') throw new Error(parsed.kind === 'error' ? parsed.message : 'help');
    collectors.push(await startCollector(parsed.config, { log: () => {} }));
  }
});

afterAll(async () => {
  if (observer && observer.exitCode === null && observer.signalCode === null) {
    const exited = new Promise((r) => observer!.once('exit', r));
    observer.kill('SIGTERM');
    await exited;
  }
  for (const c of collectors) await c.stop();
  await server?.close();
  await labDown({ prefix });
});

describe('flow search on the real lab', () => {
  it('shows a cross-node connection as one row, seen on both nodes', async () => {
    let last = '';
    // api's replica on lab-node-2 talks to db-0 on lab-node-1: its egress is seen by node 2's collector,
    // db's ingress by node 1's.
    const found = await until(
      'a merged api -> db row seen on both nodes',
      async () => {
        const r = await get<FlowsResponse>('/api/v1/flows', {
          from: 'now-1m',
          pod: 'production/db-0',
          port: '5432',
          merge: 'connection',
          limit: '500',
        });
        const cross = r.flows.filter(
          (f) => f.dport === 5432 && f.src.workload === 'api' && f.src.node !== f.dst.node,
        );
        const merged = cross.find((f) => new Set(f.seen?.map((o) => o.node)).size === 2);
        // On failure, one connection's rows say why its ends stayed apart (their times, nodes, directions).
        const one = cross[0];
        const itsRows = one
          ? r.flows.filter((f) => f.src.ip === one.src.ip && f.sport === one.sport && f.dport === one.dport)
          : [];
        last = `${r.total} rows; one connection's: ${JSON.stringify(itsRows.map((f) => [f.ts, f.node, f.dir, f.seen?.length]))}`;
        return merged ? { merged, cross, flows: r.flows } : undefined;
      },
      60_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; the search last read ${last}`);
    });
    const { merged, cross, flows } = found.value;
    expect(merged.src.node).toBe('lab-node-2');
    expect(merged.dst.name).toBe('db-0');
    expect(new Set(merged.seen!.map((o) => o.node))).toEqual(new Set(['lab-node-1', 'lab-node-2']));
    expect(new Set(merged.seen!.map((o) => o.dir))).toEqual(new Set(['egress', 'ingress']));
    // One row for the connection in that interval: no other row of the page has its addresses and ports
    // within half a second of it (the next interval's is a second later).
    const same = flows.filter(
      (f) =>
        Math.abs(f.ts - merged.ts) < 500 &&
        f.src.ip === merged.src.ip &&
        f.sport === merged.sport &&
        f.dst.ip === merged.dst.ip &&
        f.dport === merged.dport,
    );
    expect(same).toHaveLength(1);
    const both = cross.filter((f) => new Set(f.seen?.map((o) => o.node)).size === 2).length;
    process.stdout.write(
      `flow search, merge=connection: a cross-node api -> db row seen on ${merged.seen!.length} points ` +
        `(${merged.seen!.map((o) => `${o.node} ${o.dir}`).join(', ')}) after ${found.ms} ms of polling; ` +
        `${both} of ${cross.length} cross-node api -> db:5432 rows of the last minute merged both ends\n`,
    );
  });

  it('names the flows to a service their source resolved, and dns= finds them; DNS flows carry their query', async () => {
    // frontend looks up api.production's name before each request (the lab's resolver, as glibc would)
    const name = 'api.production.svc.cluster.local';
    const found = await until(
      `flows named ${name}`,
      async () => {
        const r = await get<FlowsResponse>('/api/v1/flows', { from: 'now-1m', dns: name, limit: '2000' });
        const toApi = r.flows.filter((f) => f.src.workload === 'frontend' && f.dport === 80);
        const queries = r.flows.filter((f) => f.dns?.qtype !== undefined);
        return toApi.length > 0 && queries.length > 0 ? { r, toApi, queries } : undefined;
      },
      60_000,
    );
    const { r, toApi, queries } = found.value;
    for (const f of r.flows) expect(f.dns?.name, JSON.stringify(f)).toBe(name);
    // a flow named by an answer goes to what the answer named: api's service or its pods
    for (const f of r.flows.filter((x) => x.dns?.qtype === undefined)) {
      expect(f.dst.service, JSON.stringify(f)).toBe('api');
      expect(['frontend', 'legacy-worker', 'prometheus']).toContain(f.src.workload);
    }
    for (const q of queries) {
      expect(q.proto).toBe('udp');
      expect(q.dport === 53 || q.sport === 53).toBe(true);
      expect(['A', 'AAAA']).toContain(q.dns!.qtype);
      expect(q.dns!.rcode).toBe('NOERROR');
    }
    // every request frontend sent to api in a settled past window (from when names were first seen)
    // carries the name it looked up
    const from = Date.now();
    await sleep(12_000);
    const to = Date.now() - 2_000;
    const window = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const sent = await allPages({
      ...window,
      workload: 'production/frontend',
      port: '80',
      dir: 'egress',
      limit: '500',
    });
    const requests = sent.rows.filter((f) => f.src.workload === 'frontend' && f.dport === 80);
    expect(requests.length).toBeGreaterThan(0);
    const unnamed = requests.filter((f) => f.dns?.name !== name);
    expect(unnamed.map((f) => JSON.stringify(f)).slice(0, 3)).toEqual([]);
    process.stdout.write(
      `flow search, dns=${name}: ${r.total} rows of the last minute (${toApi.length} frontend -> api:80, ` +
        `${queries.length} DNS flows with their query), found after ${found.ms} ms of polling; ` +
        `${requests.length} of ${requests.length} frontend egress rows to :80 in a 10 s window named\n`,
    );
  });

  it('finds every policy-dropped flow of the last 5 minutes: the drops view counts the same packets', async () => {
    const fault = await faultAdd(
      { prefix },
      parseFaultArgs(['policy-drop', '--from', 'production/api', '--to', 'production/db']),
    );
    let cleared = false;
    try {
      const shown = await until(
        'policy drops in the flow search',
        async () => {
          const r = await get<FlowsResponse>('/api/v1/flows', {
            from: 'now-1m',
            verdict: 'dropped',
            reason: 'policy_drop',
          });
          return r.total > 0 ? r : undefined;
        },
        30_000,
      );
      // Let it drop for a while, so the window holds many rows (more than a page).
      await sleep(20_000);
      await faultClear({ prefix, id: fault.id });
      cleared = true;
      // A fixed past window, ending after the last drop arrived: both answers read the same seconds.
      await sleep(5_000);
      const to = Math.floor(Date.now() / 1000) * 1000 - 2_000;
      const window = { from: new Date(to - 300_000).toISOString(), to: new Date(to).toISOString() };
      const filter = { ...window, verdict: 'dropped', reason: 'policy_drop' };
      const { rows, total, pages } = await allPages({ ...filter, limit: '100' });
      expect(rows.length).toBe(total);
      expect(new Set(rows.map((r) => r.seq)).size).toBe(rows.length);
      for (const r of rows) {
        expect(r.verdict).toBe('dropped');
        expect(r.reason).toBe('policy_drop');
        expect(r.ts).toBeGreaterThanOrEqual(to - 300_000);
        expect(r.ts).toBeLessThan(to);
      }
      const packets = rows.reduce((s, r) => s + r.packets, 0);
      const drops = await get<DropsResponse>('/api/v1/drops', filter);
      expect(drops.start).toBe(to - 300_000);
      expect(drops.end).toBe(to);
      const policy = drops.byReason.find((b) => b.reason === 'policy_drop');
      expect(policy, JSON.stringify(drops.byReason)).toBeDefined();
      expect(packets).toBe(policy!.packets);
      expect(packets).toBe(drops.packets);
      expect(rows.some((r) => r.src.workload === 'api' && r.dst.workload === 'db')).toBe(true);
      process.stdout.write(
        `flow search, policy_drop over 5 min: ${total} rows in ${pages} pages of 100, ${packets} packets; ` +
          `drops view ${policy!.packets} packets; first seen in the search ${shown.ms} ms after the fault command\n`,
      );
    } finally {
      if (!cleared) await faultClear({ prefix, id: fault.id });
    }
  });

  it('weft observe --verdict dropped -f --output json prints a new drop after a fault, as JSON lines', async () => {
    // The earlier drops are in the last hour, so the command's first page shows it is up before the fault.
    const earlier = await get<FlowsResponse>('/api/v1/flows', { from: 'now-1h', verdict: 'dropped' });
    expect(
      earlier.total,
      'this case follows the policy-drop case, whose drops show it running',
    ).toBeGreaterThan(0);
    observer = spawn(
      process.execPath,
      [
        ...['--conditions=weft-source', '--import', 'tsx', CLI_MAIN, 'observe'],
        ...['--verdict', 'dropped', '-f', '--output', 'json', '--server', server.url],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WEFT_SERVER: '' } },
    );
    const lines: { at: number; text: string }[] = [];
    let partial = '';
    let stderr = '';
    observer.stdout!.on('data', (d: Buffer) => {
      const parts = (partial + d.toString()).split('\n');
      partial = parts.pop()!;
      for (const text of parts) lines.push({ at: Date.now(), text });
    });
    observer.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = () => observer!.exitCode !== null || observer!.signalCode !== null;
    const up = await until(
      "observe's first page",
      async () => {
        if (exited()) throw new Error(`weft observe exited ${observer!.exitCode}: ${stderr}`);
        return lines.length > 0 ? true : undefined;
      },
      60_000,
    );
    const firstLines = lines.length;
    // Between the first page and the follow's first poll; the pair the fault drops is new, so any
    // line about it is a row that arrived after the fault.
    await sleep(1_500);
    const commanded = Date.now();
    const fault = await faultAdd(
      { prefix },
      parseFaultArgs(['policy-drop', '--from', 'production/frontend', '--to', 'production/api']),
    );
    const added = Date.now();
    let cleared = false;
    try {
      const seen = await until(
        'a frontend -> api drop line from weft observe',
        async () => {
          if (exited()) throw new Error(`weft observe exited ${observer!.exitCode}: ${stderr}`);
          return lines.find((l) => {
            const r = JSON.parse(l.text) as FlowRow;
            return r.reason === 'policy_drop' && r.src.workload === 'frontend' && r.dst.workload === 'api';
          });
        },
        30_000,
      );
      await faultClear({ prefix, id: fault.id });
      cleared = true;
      const rows = lines.map((l) => JSON.parse(l.text) as FlowRow);
      for (const r of rows) {
        expect(r.verdict).toBe('dropped');
        expect(typeof r.seq).toBe('number');
      }
      expect(partial).toBe('');
      process.stdout.write(
        `weft observe -f: first line ${up.ms} ms after spawn (${firstLines} by then); ` +
          `a new frontend -> api drop printed ${seen.value.at - added} ms after the fault command returned ` +
          `(${seen.value.at - commanded} ms after it was given; target 2000 ms); ${rows.length} JSON lines parsed\n`,
      );
    } finally {
      if (!cleared) await faultClear({ prefix, id: fault.id });
    }
  });
});
