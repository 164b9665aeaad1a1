import { EdgeBucket } from './edgeBucket.js';

/** Scalar columns of an edge tier, in the order graph sums and running totals use them. */
export const BYTES = 0;
export const PACKETS = 1;
export const DROP_PACKETS = 2;
export const CONNECTS = 3;
export const FAILURES = 4;
export const RETRANSMITS = 5;
export const RTT_SUM_US = 6;
export const RTT_COUNT = 7;
export const DNS_QUERIES = 8;
export const DNS_ERRORS = 9;
const SCALARS = 10;

const EMPTY = new Float64Array(0);
const MIN_CAPACITY = 4;

/** Returned by `at`: read it before the next call (queries merge it into their own sums at once). */
const scratch = new EdgeBucket(0);

/**
 * One tier (1 s or 1 min) of one edge series, struct-of-arrays: bucket start times and, per scalar, the
 * running total through each bucket, in typed arrays. One object per bucket made a 50,000-series store
 * 1.5 GB of small objects whose GC pauses set the graph's p99; here a traffic-only bucket is 24 bytes
 * outside the JS heap. A column exists only once something non-zero lands in it, and what doesn't fit a
 * number (drops by reason, connect latency histograms, failure causes) lives in a side map for the few
 * buckets that have it. A bucket's value is its running total minus the previous one, so any run of
 * buckets sums with one subtraction.
 */
export class EdgeTier {
  length = 0;
  private times: Float64Array = EMPTY;
  private readonly cum: (Float64Array | null)[] = [
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
  ];
  private details: Map<number, EdgeBucket> | null = null;

  timeAt(i: number): number {
    return this.times[i]!;
  }

  /** Index of the first bucket with t >= time. */
  lowerBound(time: number): number {
    const times = this.times;
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid]! < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the bucket starting at `t`, created in time order when missing (length tells). */
  slot(t: number): number {
    const n = this.length;
    if (n > 0 && this.times[n - 1] === t) return n - 1;
    if (n === this.times.length) this.resize(Math.max(MIN_CAPACITY, n * 2));
    const times = this.times;
    if (n === 0 || times[n - 1]! < t) {
      times[n] = t;
      for (const c of this.cum) if (c) c[n] = n > 0 ? c[n - 1]! : 0;
      this.length = n + 1;
      return n;
    }
    // Late data (a resent spool): rare, so a binary search and a shift are fine.
    const i = this.lowerBound(t);
    if (times[i] === t) return i;
    times.copyWithin(i + 1, i, n);
    times[i] = t;
    for (const c of this.cum) {
      if (!c) continue;
      c.copyWithin(i + 1, i, n);
      c[i] = i > 0 ? c[i - 1]! : 0;
    }
    this.length = n + 1;
    return i;
  }

  /** Adds `v` to scalar `k` of bucket `i` (and so to the running totals of every later bucket). */
  add(i: number, k: number, v: number): void {
    if (v === 0) return;
    let c = this.cum[k];
    if (!c) {
      c = new Float64Array(this.times.length);
      this.cum[k] = c;
    }
    const n = this.length;
    if (i === n - 1) c[i]! += v;
    else for (let j = i; j < n; j++) c[j]! += v;
  }

  value(i: number, k: number): number {
    const c = this.cum[k];
    if (!c) return 0;
    return i > 0 ? c[i]! - c[i - 1]! : c[i]!;
  }

  /** The side record of bucket `i` for what isn't a scalar (drops by reason, latencies, causes). */
  detailAt(i: number): EdgeBucket {
    const t = this.times[i]!;
    if (!this.details) this.details = new Map();
    let d = this.details.get(t);
    if (!d) {
      d = new EdgeBucket(t);
      this.details.set(t, d);
    }
    return d;
  }

  /** Bucket `i` as an EdgeBucket; the same object is reused by the next call. */
  at(i: number): EdgeBucket {
    const b = scratch;
    b.reset();
    b.t = this.times[i]!;
    b.bytes = this.value(i, BYTES);
    b.packets = this.value(i, PACKETS);
    b.dropPackets = this.value(i, DROP_PACKETS);
    b.connects = this.value(i, CONNECTS);
    b.failures = this.value(i, FAILURES);
    b.retransmits = this.value(i, RETRANSMITS);
    b.rttSumUs = this.value(i, RTT_SUM_US);
    b.rttCount = this.value(i, RTT_COUNT);
    b.dnsQueries = this.value(i, DNS_QUERIES);
    b.dnsErrors = this.value(i, DNS_ERRORS);
    const d = this.details?.get(b.t);
    if (d) {
      b.dropBytes = d.dropBytes;
      b.drops = d.drops;
      b.refused = d.refused;
      b.timeouts = d.timeouts;
      b.resets = d.resets;
      b.connectLatency = d.connectLatency;
    }
    return b;
  }

  /** Adds the scalar sums of buckets i..j (inclusive) to `into`. */
  addRun(i: number, j: number, into: EdgeBucket): void {
    const c = this.cum;
    into.bytes += run(c[BYTES], i, j);
    into.packets += run(c[PACKETS], i, j);
    into.dropPackets += run(c[DROP_PACKETS], i, j);
    into.connects += run(c[CONNECTS], i, j);
    into.failures += run(c[FAILURES], i, j);
    into.retransmits += run(c[RETRANSMITS], i, j);
    into.rttSumUs += run(c[RTT_SUM_US], i, j);
    into.rttCount += run(c[RTT_COUNT], i, j);
    into.dnsQueries += run(c[DNS_QUERIES], i, j);
    into.dnsErrors += run(c[DNS_ERRORS], i, j);
  }

  /** Drops buckets older than `before`; returns how many went. */
  pruneBefore(before: number): number {
    const n = this.length;
    if (n === 0 || this.times[0]! >= before) return 0;
    const k = this.lowerBound(before);
    const left = n - k;
    this.times.copyWithin(0, k, n);
    // Running totals restart at the first kept bucket, so they stay small numbers (exact in a double).
    for (const c of this.cum) {
      if (!c) continue;
      const base = c[k - 1]!;
      c.copyWithin(0, k, n);
      for (let j = 0; j < left; j++) c[j]! -= base;
    }
    this.length = left;
    if (this.details) {
      for (const t of this.details.keys()) if (t < before) this.details.delete(t);
      if (this.details.size === 0) this.details = null;
    }
    if (this.times.length > MIN_CAPACITY && left * 4 <= this.times.length)
      this.resize(Math.max(MIN_CAPACITY, left * 2));
    return k;
  }

  private resize(capacity: number): void {
    const n = this.length;
    const times = new Float64Array(capacity);
    times.set(this.times.subarray(0, n));
    this.times = times;
    for (let k = 0; k < SCALARS; k++) {
      const c = this.cum[k];
      if (!c) continue;
      const grown = new Float64Array(capacity);
      grown.set(c.subarray(0, n));
      this.cum[k] = grown;
    }
  }
}

function run(c: Float64Array | null | undefined, i: number, j: number): number {
  if (!c) return 0;
  return i > 0 ? c[j]! - c[i - 1]! : c[j]!;
}
