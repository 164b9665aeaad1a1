import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServerConfig } from '../apps/server/src/config.js';
import { type RunningServer, startServer } from '../apps/server/src/server.js';
import { parseCollectorConfig } from '../packages/collector/src/config.js';
import type { BatchContent } from '../packages/collector/src/stream/batchParts.js';
import { IngestFanout } from '../packages/collector/src/stream/ingestFanout.js';
import { worldEndpoint } from '../packages/protocol/src/endpointHelpers.js';
import type { FlowRecord } from '../packages/protocol/src/records.js';

/**
 * What deploy/kubernetes/overlays/replicas promises: a collector given both replicas' URLs streams
 * to each, so each holds the whole live view, and a replica that was away catches up from the
 * collector's spool for it. Two real servers on loopback, one collector's ingest streams.
 */
const TOKEN = 'replicas-test-token-0123456789abcdef';
const NODE = 'node-a';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function replica(port = 0): Promise<RunningServer> {
  const s = await startServer(
    parseServerConfig({
      WEFT_HOST: '127.0.0.1',
      WEFT_PORT: String(port),
      WEFT_LOG_LEVEL: 'silent',
      WEFT_WEB_ROOT: '/nonexistent/wsv',
      WEFT_INGEST_TOKEN: TOKEN,
    }),
  );
  let closed = false;
  const close = s.close;
  s.close = async () => {
    if (closed) return;
    closed = true;
    await close();
  };
  cleanups.push(() => s.close());
  return s;
}

const port = (s: RunningServer) => Number(new URL(s.url).port);
const ingestUrl = (s: RunningServer) => `${s.url.replace(/^http/, 'ws')}/api/v1/ingest`;

interface CollectorRow {
  node: string;
  connected: boolean;
  batches: number;
  recordsLost: number;
}
async function collectorRow(s: RunningServer): Promise<CollectorRow | undefined> {
  const body = (await s.app.inject({ url: '/api/v1/status' })).json() as { collectors: CollectorRow[] };
  return body.collectors.find((c) => c.node === NODE);
}

/** Polls `cond` (bounded by attempts, not by a time budget a loaded machine might miss). */
async function eventually(cond: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (await cond()) return;
    await sleep(20);
  }
  throw new Error(`never saw ${what}`);
}

const base = Date.now() - 60_000;
/** Interval i: one flow of 1000 + i bytes, a second each, in time order (the server checks it). */
function interval(i: number): BatchContent {
  const flow: FlowRecord = {
    ts: base + i * 1000,
    src: worldEndpoint('198.51.100.1'),
    dst: worldEndpoint('198.51.100.2'),
    sport: 40_000 + i,
    dport: 80,
    proto: 'tcp',
    dir: 'egress',
    bytes: 1000 + i,
    packets: 1,
    tcpFlags: 0,
  };
  const start = base + i * 1000;
  return { start, end: start + 1000, flows: [flow], drops: [], tcp: [], tcpStats: [], dns: [], lost: 0 };
}

describe('two server replicas', () => {
  it('each receive every batch; one away, the other keeps receiving; back, it catches up from the spool', async () => {
    const a = await replica();
    let b = await replica();
    const parsed = parseCollectorConfig(['--node', NODE], {
      WEFT_SERVER_URL: `${ingestUrl(a)},${ingestUrl(b)}`,
      WEFT_INGEST_TOKEN: TOKEN,
    });
    if (parsed.kind !== 'config') throw new Error(JSON.stringify(parsed));
    const cfg = parsed.config;
    const fanout = new IngestFanout({
      servers: cfg.servers,
      token: cfg.token,
      node: cfg.node,
      collectorVersion: 'test',
      simulated: false,
      hooks: () => ['tc:eth0'],
      spoolSeconds: cfg.spoolSeconds,
      spoolMaxBytes: cfg.spoolMaxBytes,
      backoff: { initialMs: 50, maxMs: 200 },
    });
    cleanups.push(() => fanout.stop());
    fanout.start();

    let n = 0;
    for (; n < 5; n++) fanout.enqueue(interval(n));
    expect(await fanout.drain(30_000)).toBe(true);
    expect(await collectorRow(a)).toMatchObject({ connected: true, batches: 5, recordsLost: 0 });
    expect(await collectorRow(b)).toMatchObject({ connected: true, batches: 5, recordsLost: 0 });

    const bPort = port(b);
    await b.close();
    await eventually(() => !fanout.stats[1]!.connected, "the collector to see replica B's connection go");
    for (; n < 12; n++) fanout.enqueue(interval(n));
    await eventually(
      async () => (await collectorRow(a))?.batches === 12 && fanout.stats[0]!.spoolBatches === 0,
      'replica A to store all 12 batches while B is away',
    );
    expect(fanout.stats[1]).toMatchObject({ connected: false, spoolBatches: 7, givenUp: 0 });

    // B comes back on the same address, empty (a new process): its spool is all it gets.
    b = await replica(bPort);
    expect(await fanout.drain(30_000)).toBe(true);
    expect(await collectorRow(b)).toMatchObject({ connected: true, batches: 7, recordsLost: 0 });
    for (; n < 15; n++) fanout.enqueue(interval(n));
    expect(await fanout.drain(30_000)).toBe(true);
    expect(await collectorRow(a)).toMatchObject({ connected: true, batches: 15, recordsLost: 0 });
    expect(await collectorRow(b)).toMatchObject({ connected: true, batches: 10, recordsLost: 0 });
    // Every batch acknowledged by each replica: B's first process took 5, its second the other 10.
    expect(fanout.stats.map((s) => [s.server, s.acked, s.givenUp])).toEqual([
      [ingestUrl(a), 15, 0],
      [ingestUrl(b), 15, 0],
    ]);
  });

  it('says so when two entries reach the same replica (the server refuses the second stream of the node)', async () => {
    const a = await replica();
    const logs: string[] = [];
    const parsed = parseCollectorConfig(['--node', NODE], {
      // Two spellings the collector cannot tell apart from two replicas: one server behind both.
      WEFT_SERVER_URL: `${ingestUrl(a)},ws://localhost:${port(a)}/api/v1/ingest`,
      WEFT_INGEST_TOKEN: TOKEN,
    });
    if (parsed.kind !== 'config') throw new Error(JSON.stringify(parsed));
    const fanout = new IngestFanout({
      servers: parsed.config.servers,
      token: TOKEN,
      node: NODE,
      collectorVersion: 'test',
      simulated: false,
      hooks: () => ['tc:eth0'],
      spoolSeconds: 60,
      backoff: { initialMs: 50, maxMs: 200 },
      log: (m) => logs.push(m),
    });
    cleanups.push(() => fanout.stop());
    fanout.start();
    await eventually(
      () => logs.some((l) => l.includes('do two entries of WEFT_SERVER_URL reach the same replica')),
      `the hint in the log (log: ${logs.join(' | ')})`,
    );
    expect(logs.find((l) => l.includes('same replica'))).toMatch(
      /^ingest ws:\/\/(127\.0\.0\.1|localhost):\d+\/api\/v1\/ingest: .*\(4409: /,
    );
  });
});
