import type { EdgeBucket } from './edgeBucket.js';
import type { EdgeTier } from './edgeTier.js';

/** Time-ordered bucket lists: the 1-second tier and the 1-minute tier of every series. */
export const FINE_MS = 1_000;
export const COARSE_MS = 60_000;

export interface Timed {
  t: number;
}

/** A tier's buckets in time order, however they are laid out. */
export interface Tier<B> {
  readonly length: number;
  timeAt(i: number): number;
  /** Index of the first bucket with t >= time. */
  lowerBound(time: number): number;
  /** Bucket `i`; may be an object reused by the next call. */
  at(i: number): B;
  /** Drops buckets older than `before`; returns how many went. */
  pruneBefore(before: number): number;
}

/** A tier kept as one object per bucket (DNS clients: few series, maps in every bucket). */
export class ListTier<B extends Timed> implements Tier<B> {
  readonly items: B[] = [];

  get length(): number {
    return this.items.length;
  }

  timeAt(i: number): number {
    return this.items[i]!.t;
  }

  lowerBound(time: number): number {
    return lowerBound(this.items, time);
  }

  at(i: number): B {
    return this.items[i]!;
  }

  pruneBefore(before: number): number {
    return pruneBefore(this.items, before);
  }
}

/** Index of the first bucket with t >= time. */
export function lowerBound(list: readonly Timed[], time: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.t < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The bucket starting at `t`, created in order when missing; `created` tells the caller to count it. */
export function bucketAt<B extends Timed>(list: B[], t: number, make: (t: number) => B): [B, boolean] {
  const last = list[list.length - 1];
  if (last && last.t === t) return [last, false];
  if (!last || last.t < t) {
    const b = make(t);
    list.push(b);
    return [b, true];
  }
  // Late data (a resent spool): rare, so a binary search and a splice are fine.
  const i = lowerBound(list, t);
  const at = list[i];
  if (at && at.t === t) return [at, false];
  const b = make(t);
  list.splice(i, 0, b);
  return [b, true];
}

/** Drops buckets older than `before`; returns how many went. */
export function pruneBefore(list: Timed[], before: number): number {
  if (list.length === 0 || list[0]!.t >= before) return 0;
  const i = lowerBound(list, before);
  list.splice(0, i);
  return i;
}

/**
 * The pieces that cover [start, end): whole minutes from the coarse tier, the partial minutes at either
 * end from the fine tier where it still reaches, so a 15-minute query reads ~15 coarse and at most ~60
 * fine buckets per series instead of 900. `piece` gets each tier's [from, to) in time order.
 */
function pieces<T>(
  fine: T,
  coarse: T,
  start: number,
  end: number,
  fineFrom: number,
  liveEdge: number,
  piece: (tier: T, from: number, to: number) => void,
): void {
  const a = Math.ceil(start / COARSE_MS) * COARSE_MS;
  const z = Math.floor(end / COARSE_MS) * COARSE_MS;
  if (a > z) {
    // Inside one minute.
    if (start >= fineFrom) piece(fine, start, end);
    else piece(coarse, z, end);
    return;
  }
  if (start < a) {
    if (start >= fineFrom) piece(fine, start, a);
    else piece(coarse, a - COARSE_MS, a);
  }
  piece(coarse, a, z);
  if (end > z) {
    // The minute in progress holds nothing after the newest data, so the coarse bucket is exact once
    // the window ends after it (a record stamped at the newest batch's end, `liveEdge`, is not before
    // a window ending there).
    if (end > liveEdge || z < fineFrom) piece(coarse, z, z + 1);
    else piece(fine, z, end);
  }
}

/** Visits the buckets that cover [start, end) (split as `pieces` splits it). */
export function visitWindow<B>(
  fine: Tier<B>,
  coarse: Tier<B>,
  start: number,
  end: number,
  fineFrom: number,
  liveEdge: number,
  visit: (b: B) => void,
): void {
  pieces(fine, coarse, start, end, fineFrom, liveEdge, (tier, from, to) => range(tier, from, to, visit));
}

/**
 * Visits the side records (EdgeTier.visitDetails) of the buckets visitWindow would visit, in the same
 * order: with windowRow's sums, what visiting every bucket gives, for the few buckets that have one.
 */
export function visitDetailWindow(
  fine: EdgeTier,
  coarse: EdgeTier,
  start: number,
  end: number,
  fineFrom: number,
  liveEdge: number,
  visit: (d: EdgeBucket) => void,
): void {
  pieces(fine, coarse, start, end, fineFrom, liveEdge, (tier, from, to) =>
    tier.visitDetails(from, to, visit),
  );
}

function range<B>(tier: Tier<B>, from: number, to: number, visit: (b: B) => void): void {
  for (let i = tier.lowerBound(from); i < tier.length; i++) {
    if (tier.timeAt(i) >= to) break;
    visit(tier.at(i));
  }
}

function run(tier: EdgeTier, from: number, to: number, into: EdgeBucket): void {
  const i = tier.lowerBound(from);
  if (i >= tier.length) return;
  const j = tier.lastBefore(to);
  if (j >= i) tier.addRun(i, j, into);
}

/**
 * The scalar sums visitWindow would produce, from running totals: per tier run two binary searches and
 * one subtraction instead of a visit per bucket. Adjacent pieces on the same tier are joined first (a
 * window reaching past the 1 s tier reads the 1 min tier once, not three times).
 */
export function windowScalars(
  fine: EdgeTier,
  coarse: EdgeTier,
  start: number,
  end: number,
  fineFrom: number,
  liveEdge: number,
  into: EdgeBucket,
): void {
  const a = Math.ceil(start / COARSE_MS) * COARSE_MS;
  const z = Math.floor(end / COARSE_MS) * COARSE_MS;
  if (a > z) {
    if (start >= fineFrom) run(fine, start, end, into);
    else run(coarse, z, end, into);
    return;
  }
  if (a === z && start < a && start >= fineFrom && end > z && end <= liveEdge) {
    run(fine, start, end, into);
    return;
  }
  // The coarse run [from, to), widened by the partial minutes that also come from the coarse tier.
  let from = a;
  let to = z;
  if (start < a) {
    if (start >= fineFrom) run(fine, start, a, into);
    else from = a - COARSE_MS;
  }
  if (end > z) {
    if (end > liveEdge || z < fineFrom) to = z + 1;
    else run(fine, z, end, into);
  }
  run(coarse, from, to, into);
}

/**
 * windowScalars into a flat row: out[at + column] gets each scalar's sum (columns in EdgeTier order),
 * so the graph's 50,000-series pass writes straight into its slab. It splits the window exactly as
 * windowScalars does; the split is written out twice rather than shared through a callback so that
 * this per-series pass allocates nothing (buckets.test.ts checks the two agree): change both together.
 */
export function windowRow(
  fine: EdgeTier,
  coarse: EdgeTier,
  start: number,
  end: number,
  fineFrom: number,
  liveEdge: number,
  out: Float64Array,
  at: number,
): void {
  const a = Math.ceil(start / COARSE_MS) * COARSE_MS;
  const z = Math.floor(end / COARSE_MS) * COARSE_MS;
  if (a > z) {
    if (start >= fineFrom) fine.addWindow(start, end, out, at);
    else coarse.addWindow(z, end, out, at);
    return;
  }
  if (a === z && start < a && start >= fineFrom && end > z && end <= liveEdge) {
    // A few seconds across a minute's start, all in the 1 s tier: the two fine pieces are one run (the
    // same sum), read with one search instead of two that move each other's hint.
    fine.addWindow(start, end, out, at);
    return;
  }
  let from = a;
  let to = z;
  if (start < a) {
    if (start >= fineFrom) fine.addWindow(start, a, out, at);
    else from = a - COARSE_MS;
  }
  if (end > z) {
    if (end > liveEdge || z < fineFrom) to = z + 1;
    else fine.addWindow(z, end, out, at);
  }
  coarse.addWindow(from, to, out, at);
}
