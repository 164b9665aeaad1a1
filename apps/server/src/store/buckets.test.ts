import { describe, expect, it } from 'vitest';
import { labBatches, T0 } from '../fixtures/labBatches.js';
import { N1 } from '../fixtures/labCluster.js';
import { testStore } from '../fixtures/testStore.js';
import { COARSE_MS, visitWindow, windowRow, windowScalars } from './buckets.js';
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
