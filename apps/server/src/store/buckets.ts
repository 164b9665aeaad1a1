/** Time-ordered bucket lists: the 1-second tier and the 1-minute tier of every series. */
export const FINE_MS = 1_000;
export const COARSE_MS = 60_000;

export interface Timed {
  t: number;
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
 * Visits the buckets that cover [start, end): whole minutes from the coarse tier, the partial minutes
 * at either end from the fine tier where it still reaches, so a 15-minute query reads ~15 coarse and at
 * most ~60 fine buckets per series instead of 900.
 */
export function visitWindow<B extends Timed>(
  fine: readonly B[],
  coarse: readonly B[],
  start: number,
  end: number,
  fineFrom: number,
  liveEdge: number,
  visit: (b: B) => void,
): void {
  const a = Math.ceil(start / COARSE_MS) * COARSE_MS;
  const z = Math.floor(end / COARSE_MS) * COARSE_MS;
  if (a > z) {
    // Inside one minute.
    if (start >= fineFrom) range(fine, start, end, visit);
    else range(coarse, z, end, visit);
    return;
  }
  if (start < a) {
    if (start >= fineFrom) range(fine, start, a, visit);
    else range(coarse, a - COARSE_MS, a, visit);
  }
  range(coarse, a, z, visit);
  if (end > z) {
    // The minute in progress holds nothing after the newest data, so the coarse bucket is exact.
    if (end >= liveEdge || z < fineFrom) range(coarse, z, z + 1, visit);
    else range(fine, z, end, visit);
  }
}

function range<B extends Timed>(list: readonly B[], from: number, to: number, visit: (b: B) => void): void {
  for (let i = lowerBound(list, from); i < list.length; i++) {
    const b = list[i]!;
    if (b.t >= to) break;
    visit(b);
  }
}

interface RunSum<B> {
  setFromRun(first: B, last: B): void;
}

function run<B extends Timed>(list: readonly B[], from: number, to: number, into: RunSum<B>): void {
  const i = lowerBound(list, from);
  if (i >= list.length) return;
  const j = lowerBound(list, to) - 1;
  if (j >= i) into.setFromRun(list[i]!, list[j]!);
}

/**
 * The scalar sums visitWindow would produce, from running totals: per tier run two binary searches and
 * one subtraction instead of a visit per bucket.
 */
export function windowScalars<B extends Timed>(
  fine: readonly B[],
  coarse: readonly B[],
  start: number,
  end: number,
  fineFrom: number,
  liveEdge: number,
  into: RunSum<B>,
): void {
  const a = Math.ceil(start / COARSE_MS) * COARSE_MS;
  const z = Math.floor(end / COARSE_MS) * COARSE_MS;
  if (a > z) {
    if (start >= fineFrom) run(fine, start, end, into);
    else run(coarse, z, end, into);
    return;
  }
  if (start < a) {
    if (start >= fineFrom) run(fine, start, a, into);
    else run(coarse, a - COARSE_MS, a, into);
  }
  run(coarse, a, z, into);
  if (end > z) {
    if (end >= liveEdge || z < fineFrom) run(coarse, z, z + 1, into);
    else run(fine, z, end, into);
  }
}
