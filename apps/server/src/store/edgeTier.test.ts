import { describe, expect, it } from 'vitest';
import { EdgeBucket } from './edgeBucket.js';
import { BYTES, CONNECTS, DNS_QUERIES, EdgeTier, PACKETS, RETRANSMITS } from './edgeTier.js';
import { TierArena } from './tierArena.js';

/** Buckets as [t, bytes, packets], read back through `at`. */
function contents(tier: EdgeTier): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < tier.length; i++) {
    const b = tier.at(i);
    out.push([b.t, b.bytes, b.packets]);
  }
  return out;
}

describe('EdgeTier', () => {
  it('keeps buckets in time order, also for late data, with values and running sums', () => {
    const tier = new EdgeTier();
    for (const [t, bytes] of [
      [1000, 10],
      [2000, 20],
      [5000, 50],
      [3000, 30],
      [2000, 2],
      [0, 1],
    ] as const) {
      const i = tier.slot(t);
      tier.add(i, BYTES, bytes);
      tier.add(i, PACKETS, 1);
    }
    expect(contents(tier)).toEqual([
      [0, 1, 1],
      [1000, 10, 1],
      [2000, 22, 2],
      [3000, 30, 1],
      [5000, 50, 1],
    ]);
    const sum = new EdgeBucket(0);
    tier.addRun(1, 3, sum);
    expect([sum.bytes, sum.packets, sum.connects]).toEqual([62, 4, 0]);
  });

  it('prunes old buckets, shrinks, and keeps later values and sums exact', () => {
    const tier = new EdgeTier();
    for (let s = 0; s < 100; s++) tier.add(tier.slot(s * 1000), BYTES, s + 1);
    expect(tier.pruneBefore(90_000)).toBe(90);
    expect(tier.length).toBe(10);
    expect(tier.timeAt(0)).toBe(90_000);
    expect(tier.value(0, BYTES)).toBe(91);
    const sum = new EdgeBucket(0);
    tier.addRun(0, 9, sum);
    expect(sum.bytes).toBe(91 + 92 + 93 + 94 + 95 + 96 + 97 + 98 + 99 + 100);
    expect(tier.pruneBefore(0)).toBe(0);
    tier.add(tier.slot(100_000), BYTES, 7);
    expect(tier.value(10, BYTES)).toBe(7);
  });

  it('keeps what is not a number beside the bucket and drops it with the bucket', () => {
    const tier = new EdgeTier();
    const a = tier.slot(1000);
    tier.add(a, CONNECTS, 1);
    tier.detailAt(a).addConnect(false, undefined, 'refused');
    tier.detailAt(a).addDrop('policy_drop', 'egress', 3, 300);
    const b = tier.slot(2000);
    tier.add(b, CONNECTS, 1);
    const first = tier.at(0);
    expect([first.connects, first.refused, first.dropBytes, first.dropsFor('policy_drop')]).toEqual([
      1, 1, 300, 3,
    ]);
    expect(tier.at(1).refused).toBe(0);
    tier.pruneBefore(2000);
    expect(tier.at(0).drops).toBeNull();
    expect(tier.at(0).connects).toBe(1);
  });
});

describe('EdgeTier.lastBefore', () => {
  it('finds the last bucket before a time, at the newest end and inside', () => {
    const tier = new EdgeTier();
    for (const t of [1000, 2000, 3000]) tier.slot(t);
    expect(tier.lastBefore(5000)).toBe(2);
    expect(tier.lastBefore(3000)).toBe(1);
    expect(tier.lastBefore(2500)).toBe(1);
    expect(tier.lastBefore(1000)).toBe(-1);
    expect(new EdgeTier().lastBefore(1000)).toBe(-1);
  });
});

describe('EdgeTier.lowerBound and addWindow', () => {
  it('find the same buckets whatever order the times are asked in (the search remembers the last)', () => {
    const tier = new EdgeTier();
    // Gaps and runs of adjacent seconds, so windows end inside walks and beyond them.
    const times = [0, 1, 2, 3, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 30, 31, 45, 60, 61, 62].map(
      (s) => s * 1000,
    );
    for (const [k, t] of times.entries()) {
      const i = tier.slot(t);
      tier.add(i, BYTES, k + 1);
      if (k % 3 === 0) tier.add(i, CONNECTS, 1);
    }
    const expected = (time: number) => times.filter((t) => t < time).length;
    const asked = [5000, 5000, 6000, 7000, 7001, 62_000, 0, 63_000, -1, 30_500, 31_000, 31_000, 14_000, 999];
    for (const time of asked) expect(tier.lowerBound(time), `lowerBound(${time})`).toBe(expected(time));
    for (const from of [-1000, 0, 2500, 7000, 9000, 30_000, 62_000, 70_000])
      for (const to of [0, 3000, 8000, 16_500, 19_000, 45_000, 62_000, 62_001, 100_000]) {
        const row = new Float64Array(10);
        tier.addWindow(from, to, row, 0);
        let bytes = 0;
        let connects = 0;
        for (const [k, t] of times.entries())
          if (t >= from && t < to) {
            bytes += k + 1;
            if (k % 3 === 0) connects++;
          }
        expect([row[BYTES], row[CONNECTS], row[PACKETS]], `${from}-${to}`).toEqual([bytes, connects, 0]);
      }
  });
});

describe('EdgeTier.lowerBound away from its hint', () => {
  it('finds every time in unevenly spaced rows (a guess by spacing, then a bracket), and window sums with it', () => {
    const tier = new EdgeTier();
    // A dense run, a long gap, rows every 15 s, a few close ones: guesses by spacing land off by many.
    const secs: number[] = [];
    for (let s = 0; s < 120; s++) secs.push(s);
    for (let s = 3_000; s < 6_000; s += 15) secs.push(s);
    secs.push(6_001, 6_002, 9_000, 9_001, 20_000);
    const times = secs.map((s) => s * 1000);
    for (const [k, t] of times.entries()) tier.add(tier.slot(t), BYTES, k + 1);
    const expected = (time: number) => times.filter((t) => t < time).length;
    let x = 7;
    for (let q = 0; q < 2_000; q++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      // Exact bucket times, times between them, and times past either end.
      const time = q % 3 === 0 ? times[x % times.length]! : (x % 21_000_000) - 100_000 + (q % 2);
      expect(tier.lowerBound(time), `lowerBound(${time})`).toBe(expected(time));
      const to = time + ((x >>> 8) % 4_000_000);
      const row = new Float64Array(10);
      tier.addWindow(time, to, row, 0);
      let bytes = 0;
      for (const [k, t] of times.entries()) if (t >= time && t < to) bytes += k + 1;
      expect(row[BYTES], `${time}-${to}`).toBe(bytes);
    }
  });
});

describe('EdgeTier columns', () => {
  it('keeps every row when a column appears late, also in an older bucket, and through pruning', () => {
    const tier = new EdgeTier();
    for (let s = 0; s < 6; s++) tier.add(tier.slot(s * 1000), BYTES, 10 * (s + 1));
    // RETRANSMITS sits between PACKETS and the new DNS column in a row; bucket 2 is not the newest.
    tier.add(2, RETRANSMITS, 5);
    tier.add(tier.slot(6000), DNS_QUERIES, 3);
    tier.add(4, CONNECTS, 1);
    const row = (i: number) => [tier.value(i, BYTES), tier.value(i, RETRANSMITS), tier.value(i, CONNECTS)];
    expect([0, 1, 2, 3, 4, 5, 6].map(row)).toEqual([
      [10, 0, 0],
      [20, 0, 0],
      [30, 5, 0],
      [40, 0, 0],
      [50, 0, 1],
      [60, 0, 0],
      [0, 0, 0],
    ]);
    expect(tier.value(6, DNS_QUERIES)).toBe(3);
    expect(tier.pruneBefore(3000)).toBe(3);
    const sum = new EdgeBucket(0);
    tier.addRun(0, 3, sum);
    expect([sum.bytes, sum.retransmits, sum.connects, sum.dnsQueries]).toEqual([150, 0, 1, 3]);
    expect([tier.timeAt(0), tier.value(0, BYTES), tier.value(1, CONNECTS)]).toEqual([3000, 40, 1]);
  });
});

describe('EdgeTier late additions', () => {
  it('deferred by addAt and addTraffic, then flushed, give the buckets in-order additions give', () => {
    const arena = new TierArena();
    const late = new EdgeTier(arena);
    const inOrder = new EdgeTier();
    let seed = 3;
    const rand = (n: number) => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return Math.floor((seed / 2 ** 32) * n);
    };
    const adds: [number, number, number][] = [];
    for (let r = 0; r < 2_000; r++)
      adds.push([rand(300) * 1000, [BYTES, PACKETS, RETRANSMITS, CONNECTS][rand(4)]!, rand(9)]);
    // The newest first, so nearly every addition after it is late; some are at times already held.
    late.addAt(400_000, BYTES, 1);
    let made = 1;
    for (const [t, k, v] of adds) {
      if (k === BYTES) made += late.addTraffic(t, v, 0);
      else made += late.addAt(t, k, v);
    }
    expect(arena.late).toEqual([late]);
    made += late.flushLate();
    for (const [t, k, v] of [[400_000, BYTES, 1] as const, ...[...adds].sort((a, b) => a[0] - b[0])])
      inOrder.add(inOrder.slot(t), k, v);
    expect(made).toBe(late.length);
    expect(late.length).toBe(inOrder.length);
    for (let i = 0; i < inOrder.length; i++)
      for (const k of [BYTES, PACKETS, RETRANSMITS, CONNECTS])
        expect([late.timeAt(i), late.value(i, k)], `${i}/${k}`).toEqual([
          inOrder.timeAt(i),
          inOrder.value(i, k),
        ]);
    expect(late.flushLate()).toBe(0);
  });
});
