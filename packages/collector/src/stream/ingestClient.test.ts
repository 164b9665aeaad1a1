import { setTimeout as sleep } from 'node:timers/promises';
import type { FlowRecord } from '@weft/protocol';
import { PROTOCOL_VERSION, worldEndpoint } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../fixtures/cleanups.js';
import { IngestTestServer } from '../fixtures/ingestTestServer.js';
import { until } from '../fixtures/until.js';
import type { BatchContent } from './batchParts.js';
import { IngestClient } from './ingestClient.js';

/** Record n: its bytes say n, and its source is one of 40 addresses, so batches add endpoints now and then. */
function record(n: number): FlowRecord {
  return {
    ts: n,
    src: worldEndpoint(`198.51.100.${n % 40}`),
    dst: worldEndpoint('198.51.100.2'),
    sport: n % 65536,
    dport: 80,
    proto: 'tcp',
    dir: 'egress',
    bytes: n,
    packets: 1,
    tcpFlags: 0,
  };
}

/** The interval starting at second `start`, as the aggregator hands it over. */
function interval(start: number, flows: FlowRecord[], lost = 0): BatchContent {
  return { start, end: start + 1, flows, drops: [], tcp: [], tcpStats: [], dns: [], lost };
}

const cleanups = cleanupsAfterEach();

function client(
  url: string,
  token: string,
  extra: Partial<ConstructorParameters<typeof IngestClient>[0]> = {},
) {
  const logs: string[] = [];
  const c = new IngestClient({
    url,
    token,
    node: 'node-a',
    collectorVersion: '0.1.0',
    simulated: true,
    hooks: () => ['tc:wco0', 'tp_btf/kfree_skb'],
    spoolSeconds: 60,
    backoff: { initialMs: 50, maxMs: 400 },
    log: (m) => logs.push(m),
    ...extra,
  });
  cleanups.push(() => c.stop());
  return { c, logs };
}

describe('IngestClient', () => {
  it('says hello with the agreed fields, then streams acknowledged batches in order', async () => {
    const server = new IngestTestServer('tok');
    const url = await server.start();
    cleanups.push(() => server.stop());
    const { c } = client(url, 'tok');
    c.start();
    for (let i = 0; i < 5; i++) c.enqueue(interval(i, [record(i)]));
    expect(await c.drain(10_000)).toBe(true);
    expect(server.hellos[0]).toMatchObject({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      node: 'node-a',
      boot: c.boot,
      collectorVersion: '0.1.0',
      hooks: ['tc:wco0', 'tp_btf/kfree_skb'],
      simulated: true,
    });
    expect(server.batches(c.boot).map((b) => b.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(c.stats).toMatchObject({ connected: true, acked: 5, spoolBatches: 0, givenUp: 0 });
  });

  it('says hello again once the probe names its hooks, when it first connected without them', async () => {
    const server = new IngestTestServer('tok');
    const url = await server.start();
    cleanups.push(() => server.stop());
    let hooks: string[] = [];
    const { c } = client(url, 'tok', { hooks: () => hooks });
    c.start();
    c.enqueue(interval(0, [record(0)]));
    expect(await c.drain(10_000)).toBe(true);
    expect(server.hellos.map((h) => h.hooks)).toEqual([[]]);
    hooks = ['tc:wco0'];
    c.hooksKnown();
    await until(() => server.hellos.length === 2 && c.stats.connected, 'the second hello');
    expect(server.hellos[1]).toMatchObject({ boot: c.boot, hooks: ['tc:wco0'] });
    c.enqueue(interval(1, [record(1)]));
    expect(await c.drain(10_000)).toBe(true);
    expect(server.batches(c.boot).map((b) => b.seq)).toEqual([0, 1]);
    // Known from the start: no second hello.
    c.hooksKnown();
    await sleep(200);
    expect(server.hellos).toHaveLength(2);
  });

  it('loses nothing and stores nothing twice when the server is down for 3 s', async () => {
    const server = new IngestTestServer('tok');
    const url = await server.start();
    cleanups.push(() => server.stop());
    const { c } = client(url, 'tok', { spoolSeconds: 10 });
    c.start();
    let n = 0;
    const produce = () => {
      const flows = [record(n++), record(n++), record(n++)];
      c.enqueue(interval(n, flows));
    };
    const timer = setInterval(produce, 50);
    cleanups.push(async () => clearInterval(timer));
    await until(() => server.received >= 10, 'first batches');
    await server.stop();
    const sentDuringOutage = n;
    await sleep(3000);
    expect(c.stats.connected).toBe(false);
    expect(c.stats.spoolBatches).toBeGreaterThan(10);
    await server.start(server.port);
    await until(() => n > sentDuringOutage + 30, 'more batches after the restart');
    clearInterval(timer);
    expect(await c.drain(15_000)).toBe(true);
    const flows = server.batches(c.boot).flatMap((b) => b.flows);
    // Resent on a new connection, packed against its new endpoint table: still the same endpoints.
    expect(flows.map((f) => f.src)).toEqual(flows.map((f) => record(f.bytes).src));
    const got = flows.map((f) => f.bytes);
    expect(got).toHaveLength(n);
    expect(new Set(got).size).toBe(n);
    expect(got).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(server.hellos.filter((h) => h.boot === c.boot).length).toBeGreaterThanOrEqual(2);
    expect(c.stats.givenUp).toBe(0);
  });

  it('gives up what the spool cannot hold and tells the server in the next batch', async () => {
    const server = new IngestTestServer('tok');
    const url = await server.start();
    await server.stop();
    cleanups.push(() => server.stop());
    const { c, logs } = client(url, 'tok', { spoolSeconds: 1 });
    c.start();
    const t0 = Date.now();
    c.enqueue(interval(0, [record(1), record(2)]), t0);
    c.enqueue(interval(1, [record(3)], 4), t0 + 1500);
    expect(c.stats.givenUp).toBe(2);
    c.enqueue(interval(2, []), t0 + 1600);
    await server.start(server.port);
    expect(await c.drain(10_000)).toBe(true);
    const batches = server.batches(c.boot);
    expect(batches.map((b) => [b.seq, b.lost])).toEqual([
      [1, 4],
      [2, 2],
    ]);
    expect(logs.some((l) => l.includes('gave up 2 records'))).toBe(true);
  });

  it('does not get in with a wrong token, and keeps everything for when it can', async () => {
    const server = new IngestTestServer('right');
    const url = await server.start();
    cleanups.push(() => server.stop());
    const { c, logs } = client(url, 'wrong');
    c.start();
    c.enqueue(interval(0, [record(1)]));
    await until(() => logs.some((l) => l.includes('401')), 'the 401');
    // It keeps knocking (a rotated token may arrive), with backoff.
    await until(() => c.stats.reconnects >= 2, 'reconnect attempts');
    expect(server.received).toBe(0);
    expect(c.stats.spoolBatches).toBe(1);
  });

  it('keeps no more than the high-water mark in the socket and still delivers everything', async () => {
    const server = new IngestTestServer('tok');
    const url = await server.start();
    cleanups.push(() => server.stop());
    const { c } = client(url, 'tok', { highWaterBytes: 1 });
    for (let i = 0; i < 50; i++) c.enqueue(interval(i, [record(i)]));
    c.start();
    expect(await c.drain(10_000)).toBe(true);
    expect(server.batches(c.boot)).toHaveLength(50);
    expect(server.duplicates).toBe(0);
  });

  it('drops a batch the server rejects for good, counts it and says so in the next batch', async () => {
    const server = new IngestTestServer('tok');
    server.rejectSeqs.add(1);
    const url = await server.start();
    cleanups.push(() => server.stop());
    const { c, logs } = client(url, 'tok');
    c.start();
    c.enqueue(interval(0, [record(1)]));
    c.enqueue(interval(1, [record(2), record(3)]));
    await until(() => c.stats.givenUp === 2, 'the rejected batch given up');
    c.enqueue(interval(2, []));
    expect(await c.drain(10_000)).toBe(true);
    expect(server.batches(c.boot).map((b) => [b.seq, b.lost])).toEqual([
      [0, 0],
      [2, 2],
    ]);
    expect(logs.some((l) => l.includes('rejected batch 1: schema'))).toBe(true);
  });

  it('loses only the refused batch when later ones were already sent against its endpoints', async () => {
    const server = new IngestTestServer('tok');
    server.rejectSeqs.add(1);
    const url = await server.start();
    cleanups.push(() => server.stop());
    const { c, logs } = client(url, 'tok');
    // Queued before the connection, so all five leave at once: 2-4 are packed against a table that
    // holds batch 1's new endpoints, which the server never took.
    for (let i = 0; i < 5; i++) c.enqueue(interval(i, [record(i * 10), record(i * 10 + 1)]));
    c.start();
    await until(() => c.stats.spoolBatches === 0, 'every batch acknowledged or given up');
    expect(server.resyncs).toBeGreaterThan(0);
    const stored = server.batches(c.boot);
    expect(stored.map((b) => b.seq)).toEqual([0, 2, 3, 4]);
    expect(stored.flatMap((b) => b.flows)).toEqual([0, 1, 20, 21, 30, 31, 40, 41].map(record));
    expect(c.stats.givenUp).toBe(2);
    expect(logs.some((l) => l.includes('on a new endpoint table'))).toBe(true);
  });

  it('sends an endpoint once per connection', async () => {
    const server = new IngestTestServer('tok');
    const url = await server.start();
    cleanups.push(() => server.stop());
    const { c } = client(url, 'tok');
    c.start();
    for (let i = 0; i < 3; i++) {
      c.enqueue(
        interval(
          i,
          Array.from({ length: 40 }, (_, k) => record(k)),
        ),
      );
      expect(await c.drain(10_000)).toBe(true);
    }
    // 40 addresses (the destination among them), in the first batch only.
    expect(server.tables).toEqual([
      { base: 0, added: 40 },
      { base: 40, added: 0 },
      { base: 40, added: 0 },
    ]);
    expect(server.batches(c.boot).flatMap((b) => b.flows)).toHaveLength(120);
  });
});
