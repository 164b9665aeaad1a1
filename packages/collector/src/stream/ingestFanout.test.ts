import type { FlowRecord } from '@weft/protocol';
import { worldEndpoint } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../fixtures/cleanups.js';
import { IngestTestServer } from '../fixtures/ingestTestServer.js';
import { until } from '../fixtures/until.js';
import type { BatchContent } from './batchParts.js';
import { cutInterval } from './ingestClient.js';
import { IngestFanout } from './ingestFanout.js';
import { parseServerTargets } from './serverTargets.js';

function record(n: number): FlowRecord {
  return {
    ts: n,
    src: worldEndpoint('198.51.100.1'),
    dst: worldEndpoint('198.51.100.2'),
    sport: 40_000 + n,
    dport: 80,
    proto: 'tcp',
    dir: 'egress',
    bytes: 1000 + n,
    packets: 1,
    tcpFlags: 0,
  };
}
const interval = (n: number): BatchContent => ({
  start: n,
  end: n + 1,
  flows: [record(n)],
  drops: [],
  tcp: [],
  tcpStats: [],
  dns: [],
  lost: 0,
});

const cleanups = cleanupsAfterEach();

async function twoServers() {
  const a = new IngestTestServer('tok');
  const b = new IngestTestServer('tok');
  const urls = [await a.start(), await b.start()];
  cleanups.push(
    () => a.stop(),
    () => b.stop(),
  );
  return { a, b, urls };
}

function fanout(urls: string[], spoolMaxBytes = 64 * 1024 * 1024) {
  const parsed = parseServerTargets(urls.join(','), 'test');
  if (parsed.kind !== 'targets') throw new Error(parsed.message);
  const logs: string[] = [];
  const f = new IngestFanout({
    servers: parsed.targets,
    token: 'tok',
    node: 'node-a',
    collectorVersion: '0.1.0',
    simulated: true,
    hooks: () => ['tc:wco0'],
    spoolSeconds: 60,
    spoolMaxBytes,
    backoff: { initialMs: 50, maxMs: 200 },
    log: (m) => logs.push(m),
  });
  cleanups.push(() => f.stop());
  return { f, logs };
}

const flowBytes = (s: IngestTestServer, boot: string) => s.batches(boot).map((b) => b.flows[0]?.bytes);

describe('IngestFanout', () => {
  it('streams every interval to each server as its own stream (boot, sequence, hello)', async () => {
    const { a, b, urls } = await twoServers();
    const { f } = fanout(urls);
    f.start();
    for (let i = 0; i < 4; i++) f.enqueue(interval(i));
    expect(await f.drain(20_000)).toBe(true);
    const [bootA, bootB] = f.boots;
    expect(bootA).not.toBe(bootB);
    expect(a.hellos.map((h) => h.boot)).toEqual([bootA]);
    expect(b.hellos.map((h) => h.boot)).toEqual([bootB]);
    for (const [s, boot] of [
      [a, bootA!],
      [b, bootB!],
    ] as const) {
      expect(s.batches(boot).map((x) => x.seq)).toEqual([0, 1, 2, 3]);
      expect(flowBytes(s, boot)).toEqual([1000, 1001, 1002, 1003]);
    }
    expect(f.stats.map((s) => [s.server, s.connected, s.acked, s.spoolBatches])).toEqual([
      [urls[0], true, 4, 0],
      [urls[1], true, 4, 0],
    ]);
  });

  it('keeps streaming to one server while the other is away, and the other catches up from its spool', async () => {
    const { a, b, urls } = await twoServers();
    const { f, logs } = fanout(urls);
    f.start();
    const [bootA, bootB] = f.boots as [string, string];
    for (let i = 0; i < 3; i++) f.enqueue(interval(i));
    expect(await f.drain(20_000)).toBe(true);

    await b.stop();
    await until(() => !f.stats[1]!.connected, 'the client of the stopped server to notice');
    for (let i = 3; i < 8; i++) f.enqueue(interval(i));
    await until(
      () => a.batches(bootA).length === 8 && f.stats[0]!.spoolBatches === 0,
      'server A to hold all 8',
    );
    // B's spool holds exactly what B has not acknowledged; A's holds nothing.
    expect(f.stats[1]!).toMatchObject({ connected: false, spoolBatches: 5, givenUp: 0 });
    expect(b.batches(bootB).map((x) => x.seq)).toEqual([0, 1, 2]);
    // A log line about B (its refused reconnects) says it is about B.
    await until(() => logs.some((l) => l.startsWith(`ingest ${urls[1]}: `)), 'a log line naming server B');

    await b.start(b.port);
    expect(await f.drain(20_000)).toBe(true);
    expect(b.batches(bootB).map((x) => x.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(flowBytes(b, bootB)).toEqual(flowBytes(a, bootA));
    expect(a.duplicates).toBe(0);
  });

  it('bounds each spool in bytes on its own: the server that was away loses the oldest, and is told', async () => {
    const { a, b, urls } = await twoServers();
    const partBytes = cutInterval(interval(10))[0]!.bytes;
    // Room for three batches of this size (the intervals differ by a digit or so).
    const { f } = fanout(urls, Math.floor(partBytes * 3.5));
    f.start();
    const [bootA, bootB] = f.boots as [string, string];
    f.enqueue(interval(10));
    expect(await f.drain(20_000)).toBe(true);

    await b.stop();
    await until(() => !f.stats[1]!.connected, 'the client of the stopped server to notice');
    // One interval at a time, as the collector's ticks come: A acknowledges each before the next.
    for (let i = 11; i < 17; i++) {
      f.enqueue(interval(i));
      await until(() => f.stats[0]!.spoolBatches === 0, `server A to acknowledge interval ${i}`);
    }
    expect(a.batches(bootA)).toHaveLength(7);
    expect(f.stats.map((s) => [s.givenUp, s.spoolBatches])).toEqual([
      [0, 0],
      [3, 3],
    ]);

    await b.start(b.port);
    expect(await f.drain(20_000)).toBe(true);
    f.enqueue(interval(17));
    expect(await f.drain(20_000)).toBe(true);
    // B: the interval before the outage, the last three of it, and the one after; told of the three lost.
    expect(flowBytes(b, bootB)).toEqual([1010, 1014, 1015, 1016, 1017]);
    const lost = (s: IngestTestServer, boot: string) => s.batches(boot).reduce((n, x) => n + x.lost, 0);
    expect(lost(b, bootB)).toBe(3);
    // A had everything and is told of no loss (the parts the spools share were not changed for B).
    expect(flowBytes(a, bootA)).toEqual([1010, 1011, 1012, 1013, 1014, 1015, 1016, 1017]);
    expect(lost(a, bootA)).toBe(0);
  });
});
