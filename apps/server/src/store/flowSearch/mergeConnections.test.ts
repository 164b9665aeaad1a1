import { type FlowRow, packBatch } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { EP, N1, N2 } from '../../fixtures/labCluster.js';
import { FlowRing } from '../flowRing.js';
import { connectionGroups, INTERVAL_SKEW_MS, mergeConnections, mergedRow } from './mergeConnections.js';

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

/**
 * The grouping as first written (a row object per match, string points in a Set): the reference the
 * in-place version must equal.
 */
function reference(ring: FlowRing, seqs: readonly number[]): FlowRow[] {
  const byKey = new Map<string, { ts: number; rows: FlowRow[]; seqs: number[]; points: Set<string> }[]>();
  const groups: { ts: number; rows: FlowRow[]; seqs: number[]; points: Set<string> }[] = [];
  for (let k = seqs.length - 1; k >= 0; k--) {
    const r = ring.rowAt(seqs[k]!)!;
    const key = `${r.proto}|${r.src.ip}|${r.sport}|${r.dst.ip}|${r.dport}`;
    const point = `${r.node}|${r.dir}|${r.verdict}`;
    const recent = byKey.get(key) ?? [];
    byKey.set(key, recent);
    const g = recent
      .slice(-4)
      .reverse()
      .find((c) => Math.abs(c.ts - r.ts) <= INTERVAL_SKEW_MS && !c.points.has(point));
    if (g) {
      g.rows.push(r);
      g.seqs.push(seqs[k]!);
      g.points.add(point);
    } else {
      const n = { ts: r.ts, rows: [r], seqs: [seqs[k]!], points: new Set([point]) };
      recent.push(n);
      groups.push(n);
    }
  }
  return groups.map((g) => {
    const base = g.rows.find((r) => r.verdict === 'dropped') ?? g.rows[0]!;
    if (g.rows.length === 1) return { ...base, seq: g.seqs[0]! };
    return {
      ...base,
      seq: g.seqs[0]!,
      bytes: Math.max(...g.rows.map((r) => r.bytes)),
      packets: Math.max(...g.rows.map((r) => r.packets)),
      tcpFlags: g.rows.reduce((f, r) => f | r.tcpFlags, 0),
      seen: g.rows.map((r, i) => ({
        seq: g.seqs[i]!,
        node: r.node,
        dir: r.dir,
        verdict: r.verdict,
        reason: r.reason,
        bytes: r.bytes,
        packets: r.packets,
        tcpFlags: r.tcpFlags,
      })),
    };
  });
}

describe('mergeConnections with many points', () => {
  it('takes one record per point however many nodes saw the connection', () => {
    const nodes = Array.from({ length: 10 }, (_, i) => `node-${i}`);
    const rows = [...nodes.map((n) => row(1_000_000, n, 'egress')), row(1_000_010, 'node-9', 'egress')];
    expect(merged(rows).map((r) => r.seen.length)).toEqual([10, 1]);
  });
});

describe('mergeConnections against the reference grouping', () => {
  it('equals it over seeded rings of packed batches and row objects, in any subset of matches', () => {
    for (let seed = 1; seed <= 40; seed++) {
      let x = seed * 7919;
      const rand = (n: number) => {
        x = (x * 1103515245 + 12345) % 2147483648;
        return x % n;
      };
      const ring = new FlowRing(400);
      const ends = [EP.api2, EP.db, EP.frontend1, EP.redis];
      let t = 1_000_000;
      for (let b = 0; b < 60; b++) {
        t += rand(3) * 150;
        // Some seeds see many nodes: points past the first 31 are kept apart too.
        const node = seed % 2 ? (rand(2) ? N1 : N2) : `node-${rand(12)}`;
        const flows = Array.from({ length: 1 + rand(4) }, () => {
          const s = rand(4);
          return {
            ts: t + rand(30),
            src: ends[s]!,
            dst: ends[(s + 1 + rand(3)) % 4]!,
            sport: 40_000 + rand(3),
            dport: [5432, 6379][rand(2)]!,
            proto: 'tcp' as const,
            dir: rand(2) ? ('egress' as const) : ('ingress' as const),
            bytes: 100 + rand(900),
            packets: 1 + rand(9),
            tcpFlags: 1 << rand(6),
          };
        });
        if (rand(3) === 0) {
          // A drop (a row object) of one of those records' packets, at the receiver.
          const f = flows[0]!;
          ring.push({ ...f, node, dir: 'ingress', verdict: 'dropped', reason: 'policy_drop' });
        }
        const packed = packBatch({
          type: 'batch',
          seq: b,
          lost: 0,
          start: t - 1000,
          end: t,
          flows,
          drops: [],
          tcp: [],
          tcpStats: [],
          dns: [],
        });
        for (let i = 0; i < flows.length; i++) ring.pushFlow(packed, i, node);
      }
      const all = Array.from({ length: ring.head - ring.tail + 1 }, (_, i) => ring.head - i);
      const some = all.filter(() => rand(3) !== 0);
      for (const seqs of [all, some]) {
        expect(mergeConnections(ring, seqs), `seed ${seed}`).toEqual(reference(ring, seqs));
        // The figures a search orders groups by are their rows' own.
        for (const g of connectionGroups(ring, seqs)) {
          const r = mergedRow(ring, g);
          expect([g.seq, g.ts, g.bytes, g.packets], `seed ${seed}`).toEqual([
            r.seq,
            r.ts,
            r.bytes,
            r.packets,
          ]);
        }
      }
    }
  });
});
