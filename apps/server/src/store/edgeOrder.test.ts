import { describe, expect, it } from 'vitest';
import { edgeOrder } from './edgeOrder.js';

/** The order queryGraph used to give its edge objects. */
function bySort(rates: number[], src: number[], dst: number[], ids: string[]): number[] {
  const edges = rates.map((bytesPerSec, k) => ({ k, bytesPerSec, id: `${ids[src[k]!]}->${ids[dst[k]!]}` }));
  edges.sort((a, b) => b.bytesPerSec - a.bytesPerSec || (a.id < b.id ? -1 : 1));
  return edges.map((e) => e.k);
}

function check(ids: string[], edges: number, seed: number, spread = [0, 1.5, 2, 1_000.125]): void {
  let x = seed;
  const next = (n: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 16) % n;
  };
  // Every pair at most once (edges of a graph), rates from a few values so that most edges tie.
  const pairs = new Set<number>();
  const src: number[] = [];
  const dst: number[] = [];
  const rates: number[] = [];
  for (let tries = 0; src.length < edges && tries < 100_000; tries++) {
    const a = next(ids.length);
    const b = next(ids.length);
    if (pairs.has(a * ids.length + b)) continue;
    pairs.add(a * ids.length + b);
    src.push(a);
    dst.push(b);
    rates.push(spread[next(spread.length)]!);
  }
  const got = edgeOrder(
    edges,
    Float64Array.from(rates),
    Int32Array.from(src),
    Int32Array.from(dst),
    (n) => ids[n]!,
  );
  expect(got).toEqual(bySort(rates, src, dst, ids));
}

describe('edgeOrder', () => {
  it('orders as sorting the edges by rate, then id', () => {
    const ids = [
      'others',
      'wl:ns-1/api',
      'wl:ns-1/api-v2',
      'wl:ns-10/db',
      'wl:ns-2/web',
      'ns:a',
      'ns:a.b',
      'pod:x/y',
    ];
    for (let seed = 1; seed <= 20; seed++) check(ids, 40, seed);
  });

  it('orders ids one of which is the other and a character below "-" as the id strings do', () => {
    // `a->z` against `a,b->c`: ',' sorts before '-', so comparing the ends alone ("a" < "a,b") would be wrong.
    for (let seed = 1; seed <= 20; seed++) check(['a', 'a,b', 'a-b', 'a b', 'z', 'a.'], 30, seed);
  });

  it('orders thousands of edges with hundreds of distinct rates, zero and -0 among them', () => {
    const ids = Array.from({ length: 120 }, (_, i) => `wl:ns-${i % 7}/w-${i}`);
    const spread = [-0, 0, ...Array.from({ length: 300 }, (_, i) => Math.round(i * 37.7) / 8)];
    for (let seed = 1; seed <= 5; seed++) check(ids, 5_000, seed, spread);
  });

  it('orders negative, tiny, huge and equal rates as the subtraction does', () => {
    const ids = Array.from({ length: 60 }, (_, i) => `pod:ns/p-${i}`);
    const spread = [-1e15, -5.5, -0, 0, 1e-9, 0.001, 3, 3.0000000000000004, 1e15, Number.MAX_SAFE_INTEGER];
    for (let seed = 1; seed <= 10; seed++) check(ids, 2_000, seed, spread);
  });

  it('falls back to the id strings when an id holds "->"', () => {
    for (let seed = 1; seed <= 20; seed++) check(['a', 'a->b', 'a->', 'b', '-', '->'], 30, seed);
  });
});
