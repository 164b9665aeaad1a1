import { describe, expect, it } from 'vitest';
import { labBatches, T0 } from '../fixtures/labBatches.js';
import { N1 } from '../fixtures/labCluster.js';
import { testStore } from '../fixtures/testStore.js';
import { COARSE_MS, visitDetailWindow, visitWindow, windowRow, windowScalars } from './buckets.js';
import { EdgeBucket } from './edgeBucket.js';

const ROW_COLUMNS = [
  'bytes',
  'packets',
  'dropPackets',
  'connects',
  'failures',
  'retransmits',
  'rttSumUs',
  'rttCount',
  'dnsQueries',
  'dnsErrors',
] as const;

describe('windowScalars', () => {
  it('equals visiting every bucket, also after late data, pruning and odd windows', () => {
    const { store, clock, feed } = testStore({ fineRetentionS: 120 });
    feed(labBatches({ seconds: 400, policyDropsPerSec: 1, nxdomainPerSec: 1 }));
    // A resent batch from 5 minutes ago lands between existing buckets.
    const late = labBatches({ start: T0 + 100_500, seconds: 1, nodes: [N1] })[0]!;
    late.flows = late.flows.map((f) => ({ ...f, ts: T0 + 101_500 }));
    store.ingest(late, N1);
    store.prune();
    const now = clock.now;
    const fineFrom = store.fineFrom(now);
    const windows = [
      [T0, now],
      [T0 + 37_000, now],
      [now - 90_000, now],
      [now - 45_500, now - 3_000],
      [T0 + 61_000, T0 + 299_000],
      [T0 + 120_000, T0 + 120_000 + COARSE_MS],
    ] as const;
    let checked = 0;
    for (const s of store.edges.values()) {
      const name = `${s.client.name} -> ${s.server.name} ${s.port}/${s.proto}`;
      for (const [start, end] of windows) {
        const visited = new EdgeBucket(0);
        visitWindow(s.fine, s.coarse, start, end, fineFrom, now, (b) => visited.merge(b));
        const summed = new EdgeBucket(0);
        windowScalars(s.fine, s.coarse, start, end, fineFrom, now, summed);
        const row = new Float64Array(12);
        windowRow(s.fine, s.coarse, start, end, fineFrom, now, row, 1);
        for (const k of [
          'bytes',
          'packets',
          'dropPackets',
          'connects',
          'failures',
          'retransmits',
          'rttSumUs',
          'rttCount',
          'dnsQueries',
          'dnsErrors',
        ] as const) {
          expect(summed[k], `${name} ${k} ${start}-${end}`).toBeCloseTo(visited[k], 6);
          // The graph's flat row holds the same sums, in column order, from the offset it was given.
          expect(row[1 + ROW_COLUMNS.indexOf(k)], `row ${name} ${k} ${start}-${end}`).toBe(summed[k]);
        }
        expect([row[0], row[11]]).toEqual([0, 0]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe('a window ending at the newest data', () => {
  it('leaves out the records stamped at its end, also across a minute boundary', () => {
    // Collectors stamp an interval's records with its end: the newest batch's records sit at dataEnd.
    const { store, clock, feed } = testStore();
    feed(labBatches({ seconds: 65 }));
    const newest = T0 + 65_000;
    expect(store.dataEnd).toBe(newest);
    const fineFrom = store.fineFrom(clock.now);
    const liveEdge = Math.min(clock.now, store.dataEnd);
    const s = [...store.edges.values()][0]!;
    const bytes = (start: number, end: number) => {
      const visited = new EdgeBucket(0);
      visitWindow(s.fine, s.coarse, start, end, fineFrom, liveEdge, (b) => visited.merge(b));
      const summed = new EdgeBucket(0);
      windowScalars(s.fine, s.coarse, start, end, fineFrom, liveEdge, summed);
      const row = new Float64Array(10);
      windowRow(s.fine, s.coarse, start, end, fineFrom, liveEdge, row, 0);
      expect([summed.bytes, row[0]]).toEqual([visited.bytes, visited.bytes]);
      return visited.bytes;
    };
    const tenSeconds = bytes(T0 + 40_000, T0 + 50_000);
    expect(tenSeconds).toBeGreaterThan(0);
    // Across the minute at T0 + 60 s: ten seconds, not the minute's bucket with the newest second in it.
    expect(bytes(newest - 10_000, newest)).toBe(tenSeconds);
    // Past the newest data, the minute's bucket is exact: the newest second is in.
    expect(bytes(newest - 9_000, newest + 1_000)).toBe(tenSeconds);
  });
});

describe('live windows sliding second by second', () => {
  it('sum as visiting every bucket, across minute starts and with the tiers read again in turn', () => {
    // Every edge every second for three minutes: a live window has data in each of its seconds, and
    // windows from 2 to 20 s (longer than addWindow's walk) end at the newest data or just before it.
    const { store, clock, feed } = testStore();
    feed(labBatches({ seconds: 180, policyDropsPerSec: 1, nxdomainPerSec: 1 }));
    const fineFrom = store.fineFrom(clock.now);
    const liveEdge = Math.min(clock.now, store.dataEnd);
    const series = [...store.edges.values()];
    let crossings = 0;
    for (let end = T0 + 30_000; end <= store.dataEnd; end += 1_000)
      for (const seconds of [2, 10, 20]) {
        const start = end - seconds * 1_000;
        if (Math.ceil(start / COARSE_MS) * COARSE_MS < end && start % COARSE_MS !== 0) crossings++;
        for (const s of series) {
          const visited = new EdgeBucket(0);
          visitWindow(s.fine, s.coarse, start, end, fineFrom, liveEdge, (b) => visited.merge(b));
          const summed = new EdgeBucket(0);
          windowScalars(s.fine, s.coarse, start, end, fineFrom, liveEdge, summed);
          const row = new Float64Array(10);
          windowRow(s.fine, s.coarse, start, end, fineFrom, liveEdge, row, 0);
          ROW_COLUMNS.forEach((k, c) => {
            expect(row[c], `${k} ${start}-${end}`).toBe(visited[k]);
            expect(summed[k], `${k} ${start}-${end}`).toBe(visited[k]);
          });
        }
      }
    expect(crossings).toBeGreaterThan(10);
  });
});

describe('visitDetailWindow', () => {
  it('with windowRow gives what merging every bucket gives: drops by reason, causes, latencies', () => {
    const { store, clock, feed } = testStore({ fineRetentionS: 120 });
    feed(labBatches({ seconds: 400, policyDropsPerSec: 2, refusedPerSec: 1, nxdomainPerSec: 1 }));
    // A resent batch from 5 minutes ago: side records made out of time order.
    const late = labBatches({ start: T0 + 100_500, seconds: 1, nodes: [N1], policyDropsPerSec: 3 })[0]!;
    late.flows = late.flows.map((f) => ({ ...f, ts: T0 + 101_500 }));
    late.drops = late.drops.map((d) => ({ ...d, ts: T0 + 101_500 }));
    store.ingest(late, N1);
    store.prune();
    const now = clock.now;
    const fineFrom = store.fineFrom(now);
    const liveEdge = Math.min(now, store.dataEnd);
    const windows: [number, number][] = [
      [T0, now],
      [T0 + 37_000, now],
      [now - 90_000, now],
      [now - 45_500, now - 3_000],
      [T0 + 61_000, T0 + 299_000],
      [T0 + 100_000, T0 + 103_000],
    ];
    for (let end = now - 60_000; end <= now; end += 7_000) windows.push([end - 10_000, end]);
    let checked = 0;
    for (const s of store.edges.values()) {
      if (!s.detail) continue;
      for (const [start, end] of windows) {
        const visited = new EdgeBucket(0);
        visitWindow(s.fine, s.coarse, start, end, fineFrom, liveEdge, (b) => visited.merge(b));
        const detailed = new EdgeBucket(0);
        visitDetailWindow(s.fine, s.coarse, start, end, fineFrom, liveEdge, (d) => detailed.mergeDetail(d));
        const at = `${s.client.name} -> ${s.server.name} ${start}-${end}`;
        expect([...(detailed.drops?.entries() ?? [])], at).toEqual([...(visited.drops?.entries() ?? [])]);
        expect([detailed.dropPackets, detailed.dropBytes], at).toEqual([
          visited.dropPackets,
          visited.dropBytes,
        ]);
        expect([detailed.refused, detailed.timeouts, detailed.resets], at).toEqual([
          visited.refused,
          visited.timeouts,
          visited.resets,
        ]);
        expect(detailed.connectLatency?.quantile(0.5) ?? null, at).toBe(
          visited.connectLatency?.quantile(0.5) ?? null,
        );
        expect(detailed.connectLatency?.quantile(0.95) ?? null, at).toBe(
          visited.connectLatency?.quantile(0.95) ?? null,
        );
        if (visited.dropPackets > 0 || visited.refused > 0) checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
