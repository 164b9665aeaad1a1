import type { FlowRow } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { EP, N1, N2 } from '../../fixtures/labCluster.js';
import { FlowRing } from '../flowRing.js';
import { mergeConnections } from './mergeConnections.js';

/** api on node 2 -> db on node 1, one record of it: `node` saw it at `ts` going `dir`. */
function row(
  ts: number,
  node: string,
  dir: 'egress' | 'ingress',
  verdict: FlowRow['verdict'] = 'forwarded',
): FlowRow {
  return {
    ts,
    node,
    src: EP.api2,
    dst: EP.db,
    sport: 40_608,
    dport: 5432,
    proto: 'tcp',
    dir,
    verdict,
    reason: verdict === 'dropped' ? 'policy_drop' : '',
    bytes: 739,
    packets: 7,
    tcpFlags: 0x1b,
  };
}

/** The ring's rows merged, as the search hands them over (newest first); each group's `seen` as node/dir. */
function merged(rows: FlowRow[]) {
  const ring = new FlowRing(100);
  for (const r of rows) ring.push(r);
  const seqs = Array.from({ length: ring.head - ring.tail + 1 }, (_, i) => ring.head - i);
  return mergeConnections(ring, seqs).map((r) => ({
    ts: r.ts,
    seen: (r.seen ?? [r]).map((o) => `${o.node} ${o.dir}`),
  }));
}

describe('mergeConnections', () => {
  it("merges two nodes' records of one interval, though their collectors stamped them milliseconds apart", () => {
    // As on the real lab: node 1's collector closed the second 13 ms after node 2's.
    expect(merged([row(1_000_011, N2, 'egress'), row(1_000_024, N1, 'ingress')])).toEqual([
      { ts: 1_000_011, seen: [`${N2} egress`, `${N1} ingress`] },
    ]);
  });

  it("keeps one point's consecutive intervals apart, and pairs each with the other end's", () => {
    const rows = [
      row(1_000_011, N2, 'egress'),
      row(1_000_024, N1, 'ingress'),
      row(1_001_010, N2, 'egress'),
      row(1_001_026, N1, 'ingress'),
      row(1_002_012, N2, 'egress'),
    ];
    expect(merged(rows)).toEqual([
      { ts: 1_000_011, seen: [`${N2} egress`, `${N1} ingress`] },
      { ts: 1_001_010, seen: [`${N2} egress`, `${N1} ingress`] },
      { ts: 1_002_012, seen: [`${N2} egress`] },
    ]);
  });

  it('with intervals shorter than the skew, takes one record per point in each row', () => {
    const rows = [0, 100, 200].flatMap((t) => [
      row(1_000_000 + t, N2, 'egress'),
      row(1_000_005 + t, N1, 'ingress'),
    ]);
    expect(merged(rows).map((r) => r.seen)).toEqual([0, 1, 2].map(() => [`${N2} egress`, `${N1} ingress`]));
  });

  it('a drop and the forwarded ingress of the same packets at one point are one row', () => {
    const rows = [
      row(1_000_011, N2, 'egress'),
      row(1_000_020, N1, 'ingress'),
      row(1_000_021, N1, 'ingress', 'dropped'),
    ];
    expect(merged(rows)).toEqual([
      { ts: 1_000_021, seen: [`${N2} egress`, `${N1} ingress`, `${N1} ingress`] },
    ]);
  });
});
