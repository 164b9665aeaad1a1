import { EdgeBucket } from './edgeBucket.js';
import { TierArena } from './tierArena.js';

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
/** The number of scalar columns above. */
export const SCALARS = 10;

const EMPTY = new Float64Array(0);
const TRAFFIC = (1 << BYTES) | (1 << PACKETS);
const MIN_CAPACITY = 4;

/** Smallest power of two >= n (capacities stay powers of two: fewer region sizes in the arena). */
function pow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Number of set bits of every 10-bit column set: where a column sits among the present ones. */
const POPCOUNT = new Uint8Array(1 << SCALARS);
for (let m = 1; m < POPCOUNT.length; m++) POPCOUNT[m] = (m & 1) + POPCOUNT[m >> 1]!;

/** Returned by `at`: read it before the next call (queries merge it into their own sums at once). */
const scratch = new EdgeBucket(0);

/** visitDetails' times in a window (one query at a time). */
const detailTimes: number[] = [];

/** For tiers made outside a store (tests): the store gives its series its own arena. */
const standalone = new TierArena();

/**
 * A tier's additions waiting for flushLate, made on the first: most tiers never have any, and the four
 * fields (a boxed NaN among them) were a tenth of every new series' bytes, which the young generation
 * copies twice.
 */
class LateAdds {
  /** Bucket time -> a delta per scalar. */
  readonly byTime = new Map<number, Float64Array>();
  /** Scalars with a non-zero delta, one bit each. */
  mask = 0;
  /** The time and deltas `defer` last added to. */
  lastT = Number.NaN;
  lastD: Float64Array | undefined = undefined;
}

/**
 * One tier (1 s or 1 min) of one edge series in one Float64Array, a row per bucket: its start time,
 * then per present scalar the running total through that bucket. One object per bucket made a
 * 50,000-series store 1.5 GB of small objects whose GC pauses set the graph's p99; here a traffic-only
 * bucket is 24 bytes outside the JS heap. Rows rather than columns: a window sum reads a bucket's time
 * and totals from the same cache line, and the graph's pass over 50,000 series is bound by cache misses.
 * A column exists only once something non-zero lands in it; what doesn't fit a number (drops by
 * reason, connect latency histograms, failure causes) lives in a side map for the few buckets that
 * have it. A bucket's value is its running total minus the previous one, so any run of buckets sums
 * with one subtraction.
 */
export class EdgeTier {
  length = 0;
  private capacity = 0;
  /** Present columns, one bit per scalar. */
  private mask = 0;
  /** Numbers per row: the time and one per present column. */
  private stride = 1;
  /** Where the last lowerBound landed: the next one is usually there or one further. */
  private hint = 0;
  /** Row-major from `base`: row i at base + i * stride is [time, present columns' running totals...]. */
  private buf: Float64Array = EMPTY;
  /** Where the rows start in `buf`, a chunk the arena shares among many tiers. */
  private base = 0;
  private details: Map<number, EdgeBucket> | null = null;
  /**
   * Additions to buckets before the newest, waiting for flushLate: bucket time -> a delta per scalar.
   * Adding to an old bucket in place moves every later running total (and a new old bucket shifts every
   * later row): one late batch spread over a day cost seconds that way. Deferred, a batch's late records
   * cost a map update each and the tier one merge pass.
   */
  private late: LateAdds | null = null;

  /** `coarse` tells the store which bucket count the buckets flushLate makes belong to. */
  constructor(
    private readonly arena: TierArena = standalone,
    readonly coarse = false,
  ) {}

  timeAt(i: number): number {
    return this.buf[this.base + i * this.stride]!;
  }

  /** Position of scalar `k` inside a row, -1 when absent. */
  private col(k: number): number {
    const bit = 1 << k;
    if ((this.mask & bit) === 0) return -1;
    return POPCOUNT[this.mask & (bit - 1)]! + 1;
  }

  /** Index of the first bucket with t >= time. */
  lowerBound(time: number): number {
    const buf = this.buf;
    const o = this.base;
    const n = this.length;
    const w = this.stride;
    // The live view asks for a window one second later each time: the answer is last time's or the
    // next, two reads next to each other instead of a binary search's cache misses across the buffer.
    for (let h = this.hint; h <= this.hint + 1 && h <= n; h++)
      if ((h === 0 || buf[o + (h - 1) * w]! < time) && (h === n || buf[o + h * w]! >= time)) {
        this.hint = h;
        return h;
      }
    const i = this.search(time, 0, n);
    this.hint = i;
    return i;
  }

  /**
   * The first bucket in [lo, hi) with t >= time. Bucket times are nearly evenly spaced (a series that
   * reports every few seconds has a row every few seconds), so the first probe is where `time` falls
   * between the range's ends, and the binary search is left for the few rows around it: a 900-row tier
   * took ten probes, each a cache miss, for each of 50,000 series whenever the hint was elsewhere (the
   * baseline window of a compare, a 15-minute window after a live one).
   */
  private search(time: number, lo: number, hi: number): number {
    const buf = this.buf;
    const o = this.base;
    const w = this.stride;
    if (hi - lo > 8) {
      const first = buf[o + lo * w]!;
      const last = buf[o + (hi - 1) * w]!;
      if (time <= first) return lo;
      if (time > last) return hi;
      // first < time <= last: the answer is in (lo, hi - 1].
      let g = lo + Math.floor(((time - first) / (last - first)) * (hi - 1 - lo));
      if (g <= lo) g = lo + 1;
      // Widen a bracket around the guess by doubling steps until it holds the answer.
      let step = 1;
      if (buf[o + g * w]! < time) {
        let a = g;
        let b = Math.min(hi - 1, g + step);
        while (buf[o + b * w]! < time) {
          a = b;
          step *= 2;
          b = Math.min(hi - 1, b + step);
        }
        lo = a + 1;
        hi = b + 1;
      } else {
        let b = g;
        let a = Math.max(lo, g - step);
        while (a > lo && buf[o + a * w]! >= time) {
          b = a;
          step *= 2;
          a = Math.max(lo, a - step);
        }
        lo = a;
        hi = b + 1;
      }
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (buf[o + mid * w]! < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Adds every present column's sum over the buckets with from <= t < to to out[at + column] (the
   * graph's per-series row), without going through an EdgeBucket.
   */
  addWindow(from: number, to: number, out: Float64Array, at: number): void {
    const n = this.length;
    const i = this.lowerBound(from);
    if (i >= n) return;
    const buf = this.buf;
    const o = this.base;
    const w = this.stride;
    let j = n - 1;
    if (buf[o + j * w]! >= to) {
      // A live window ends just before the newest bucket (the second in progress): one read, where the
      // walk from `from` below falls short of a 10 s window and binary-searched every series (measured:
      // the live pod graph's tier reads took 2.5x the 15-minute ones').
      if (j > i && buf[o + (j - 1) * w]! < to) j--;
      else {
        // Runs mostly end at a minute boundary a few buckets on: walk the adjacent times first.
        j = i;
        const stop = Math.min(n, i + 8);
        while (j < stop && buf[o + j * w]! < to) j++;
        // Past the walk, search the rest without moving the hint, which belongs to `from`.
        j = (j < stop ? j : this.search(to, stop, n)) - 1;
      }
    }
    if (j < i) return;
    const last = o + j * w;
    const before = o + (i - 1) * w;
    let c = 1;
    for (let k = 0, mask = this.mask; mask !== 0; k++, mask >>>= 1) {
      if ((mask & 1) === 0) continue;
      out[at + k]! += i > 0 ? buf[last + c]! - buf[before + c]! : buf[last + c]!;
      c++;
    }
  }

  /** Index of the last bucket with t < time, -1 if none; windows ending now mostly cover the newest. */
  lastBefore(time: number): number {
    const n = this.length;
    if (n > 0 && this.buf[this.base + (n - 1) * this.stride]! < time) return n - 1;
    return this.lowerBound(time) - 1;
  }

  /** Index of the bucket starting at `t`, created in time order when missing (length tells). */
  slot(t: number): number {
    const n = this.length;
    if (n > 0 && this.buf[this.base + (n - 1) * this.stride] === t) return n - 1;
    // Nearly every series carries traffic: its first buffer has the bytes and packets columns already.
    if (n === this.capacity)
      this.relayout(Math.max(MIN_CAPACITY, n * 2), n === 0 && this.mask === 0 ? TRAFFIC : this.mask);
    const buf = this.buf;
    const o = this.base;
    const w = this.stride;
    if (n === 0 || buf[o + (n - 1) * w]! < t) {
      const row = o + n * w;
      buf[row] = t;
      for (let c = 1; c < w; c++) buf[row + c] = n > 0 ? buf[row - w + c]! : 0;
      this.length = n + 1;
      return n;
    }
    // Late data (a resent spool): rare, so a binary search and a shift are fine.
    const i = this.lowerBound(t);
    if (buf[o + i * w] === t) return i;
    const row = o + i * w;
    buf.copyWithin(row + w, row, o + n * w);
    buf[row] = t;
    for (let c = 1; c < w; c++) buf[row + c] = i > 0 ? buf[row - w + c]! : 0;
    this.length = n + 1;
    return i;
  }

  /**
   * slot(t), then bytes and packets added to that bucket: a flow record's work on a tier in one call.
   * Returns 1 when it made a bucket, else 0.
   */
  addTraffic(t: number, bytes: number, packets: number): number {
    const n = this.length;
    if (n > 0) {
      const last = this.base + (n - 1) * this.stride;
      const lastT = this.buf[last]!;
      // Most records land in the newest bucket, whose bytes and packets are the first two columns
      // whenever both are present.
      if (lastT === t && (this.mask & TRAFFIC) === TRAFFIC) {
        this.buf[last + 1]! += bytes;
        this.buf[last + 2]! += packets;
        return 0;
      }
      if (t < lastT) {
        this.deferTraffic(t, bytes, packets);
        return 0;
      }
    }
    const i = this.slot(t);
    if (i === this.length - 1 && (this.mask & TRAFFIC) === TRAFFIC) {
      const at = this.base + i * this.stride;
      this.buf[at + 1]! += bytes;
      this.buf[at + 2]! += packets;
    } else {
      this.add(i, BYTES, bytes);
      this.add(i, PACKETS, packets);
    }
    return this.length - n;
  }

  private deferTraffic(t: number, bytes: number, packets: number): void {
    this.defer(t, BYTES, bytes);
    this.defer(t, PACKETS, packets);
  }

  /** Adds `v` to scalar `k` of bucket `i` (and so to the running totals of every later bucket). */
  add(i: number, k: number, v: number): void {
    if (v === 0) return;
    let c = this.col(k);
    if (c < 0) {
      this.relayout(this.capacity, this.mask | (1 << k));
      c = this.col(k);
    }
    const buf = this.buf;
    const w = this.stride;
    const n = this.length;
    const at = this.base + c;
    if (i === n - 1) buf[at + i * w]! += v;
    else for (let j = i; j < n; j++) buf[at + j * w]! += v;
  }

  /**
   * Adds `v` to scalar `k` of the bucket starting at `t`: at once when `t` is the newest bucket or later
   * (returns 1 when it made a bucket), else deferred to flushLate (returns 0; flushLate counts them).
   */
  addAt(t: number, k: number, v: number): number {
    const n = this.length;
    if (n > 0 && t < this.buf[this.base + (n - 1) * this.stride]!) {
      this.defer(t, k, v);
      return 0;
    }
    this.add(this.slot(t), k, v);
    return this.length - n;
  }

  private defer(t: number, k: number, v: number): void {
    let late = this.late;
    if (late === null) {
      late = new LateAdds();
      this.late = late;
      this.arena.late.push(this);
    }
    // A record's columns come one after another for the same time: no second lookup for them.
    let d = late.lastT === t ? late.lastD : late.byTime.get(t);
    if (!d) {
      d = new Float64Array(SCALARS);
      late.byTime.set(t, d);
    }
    late.lastT = t;
    late.lastD = d;
    d[k]! += v;
    if (v !== 0) late.mask |= 1 << k;
  }

  /**
   * Applies the deferred additions in one pass from the newest row back: each row moves by the number of
   * new buckets before it and takes the deltas at or before it. Returns the buckets it made.
   */
  flushLate(): number {
    if (this.late === null) return 0;
    const late = this.late.byTime;
    const lateMask = this.late.mask;
    this.late = null;
    const times = [...late.keys()].sort((a, b) => a - b);
    const n = this.length;
    let added = 0;
    for (const t of times) {
      const i = this.search(t, 0, n);
      if (i === n || this.timeAt(i) !== t) added++;
    }
    const mask = this.mask | lateMask;
    if (mask !== this.mask || n + added > this.capacity)
      this.relayout(Math.max(this.capacity, MIN_CAPACITY, pow2(n + added)), mask);
    const buf = this.buf;
    const o = this.base;
    const w = this.stride;
    // Per column: the scalar it holds, and the deltas of every pending time at or before the current row.
    const ks: number[] = [];
    for (let k = 0; k < SCALARS; k++) if ((mask & (1 << k)) !== 0) ks.push(k);
    const cum = new Float64Array(w);
    for (const d of late.values()) for (let c = 1; c < w; c++) cum[c]! += d[ks[c - 1]!]!;
    let j = n - 1;
    let p = times.length - 1;
    for (let out = n + added - 1; out >= 0; out--) {
      const pt = p >= 0 ? times[p]! : Number.NEGATIVE_INFINITY;
      const ot = j >= 0 ? buf[o + j * w]! : Number.NEGATIVE_INFINITY;
      const row = o + out * w;
      if (ot >= pt) {
        const from = o + j * w;
        buf[row] = ot;
        for (let c = 1; c < w; c++) buf[row + c] = buf[from + c]! + cum[c]!;
        j--;
      } else {
        // A new bucket: the running totals of the row before it, plus what is pending up to here.
        buf[row] = pt;
        for (let c = 1; c < w; c++) buf[row + c] = (j >= 0 ? buf[o + j * w + c]! : 0) + cum[c]!;
      }
      if (ot <= pt) {
        const d = late.get(pt)!;
        for (let c = 1; c < w; c++) cum[c]! -= d[ks[c - 1]!]!;
        p--;
      }
    }
    this.length = n + added;
    this.hint = 0;
    return added;
  }

  /** Buckets with a side record (each counted in the arena's `details`). */
  get detailCount(): number {
    return this.details === null ? 0 : this.details.size;
  }

  /** The side record of the bucket starting at `t` (late or not: side records are keyed by time). */
  detailFor(t: number): EdgeBucket {
    if (!this.details) this.details = new Map();
    let d = this.details.get(t);
    if (!d) {
      d = new EdgeBucket(t);
      this.details.set(t, d);
      this.arena.details++;
    }
    return d;
  }

  value(i: number, k: number): number {
    const c = this.col(k);
    if (c < 0) return 0;
    const w = this.stride;
    const at = this.base + c;
    return i > 0 ? this.buf[at + i * w]! - this.buf[at + (i - 1) * w]! : this.buf[at + i * w]!;
  }

  /** Sum of scalar `k` over buckets i..j (inclusive). */
  private run(k: number, i: number, j: number): number {
    const c = this.col(k);
    if (c < 0) return 0;
    const w = this.stride;
    const at = this.base + c;
    return i > 0 ? this.buf[at + j * w]! - this.buf[at + (i - 1) * w]! : this.buf[at + j * w]!;
  }

  /**
   * Visits the side records of the buckets with from <= t < to, in time order: what a window needs
   * beside its running totals (drops by reason, latencies, failure causes), without visiting the
   * buckets that have none.
   */
  visitDetails(from: number, to: number, visit: (d: EdgeBucket) => void): void {
    const details = this.details;
    if (details === null) return;
    const times = detailTimes;
    times.length = 0;
    for (const t of details.keys()) if (t >= from && t < to) times.push(t);
    // Side records are made in time order but for late data: sort only when they are not.
    for (let k = 1; k < times.length; k++)
      if (times[k]! < times[k - 1]!) {
        times.sort((a, b) => a - b);
        break;
      }
    for (const t of times) visit(details.get(t)!);
  }

  /** The side record of bucket `i` for what isn't a scalar (drops by reason, latencies, causes). */
  detailAt(i: number): EdgeBucket {
    return this.detailFor(this.timeAt(i));
  }

  /** Bucket `i` as an EdgeBucket; the same object is reused by the next call. */
  at(i: number): EdgeBucket {
    const b = scratch;
    b.reset();
    b.t = this.timeAt(i);
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
    into.bytes += this.run(BYTES, i, j);
    into.packets += this.run(PACKETS, i, j);
    if (this.mask <= 3) return;
    into.dropPackets += this.run(DROP_PACKETS, i, j);
    into.connects += this.run(CONNECTS, i, j);
    into.failures += this.run(FAILURES, i, j);
    into.retransmits += this.run(RETRANSMITS, i, j);
    into.rttSumUs += this.run(RTT_SUM_US, i, j);
    into.rttCount += this.run(RTT_COUNT, i, j);
    into.dnsQueries += this.run(DNS_QUERIES, i, j);
    into.dnsErrors += this.run(DNS_ERRORS, i, j);
  }

  /** Drops buckets older than `before`; returns how many went. */
  pruneBefore(before: number): number {
    const n = this.length;
    if (n === 0 || this.buf[this.base]! >= before) return 0;
    const k = this.lowerBound(before);
    const left = n - k;
    const buf = this.buf;
    const o = this.base;
    const w = this.stride;
    // Running totals restart at the first kept bucket, so they stay small numbers (exact in a double).
    const totals = buf.slice(o + (k - 1) * w, o + k * w);
    buf.copyWithin(o, o + k * w, o + n * w);
    for (let j = 0; j < left; j++) for (let c = 1; c < w; c++) buf[o + j * w + c]! -= totals[c]!;
    this.length = left;
    this.hint = 0;
    if (this.details) {
      for (const t of this.details.keys())
        if (t < before) {
          this.details.delete(t);
          this.arena.details--;
        }
      if (this.details.size === 0) this.details = null;
    }
    if (this.capacity > MIN_CAPACITY && left * 4 <= this.capacity)
      this.relayout(Math.max(MIN_CAPACITY, pow2(left * 2)), this.mask);
    return k;
  }

  /** Moves the buckets into a region of `capacity` rows with the columns of `mask` (new ones zero). */
  private relayout(capacity: number, mask: number): void {
    const n = this.length;
    const old = this.buf;
    const oldBase = this.base;
    const from = this.stride;
    const w = 1 + POPCOUNT[mask]!;
    const base = this.arena.alloc(capacity * w);
    const buf = this.arena.chunk;
    // A loop rather than set(subarray()): regions are small, and a subarray is an object per call.
    if (mask === this.mask) for (let k = 0; k < n * w; k++) buf[base + k] = old[oldBase + k]!;
    else {
      // Where each old column goes in the new row.
      const to: number[] = [0];
      for (let k = 0; k < SCALARS; k++) {
        const bit = 1 << k;
        if ((this.mask & bit) !== 0) to.push(POPCOUNT[mask & (bit - 1)]! + 1);
      }
      for (let j = 0; j < n; j++)
        for (let c = 0; c < from; c++) buf[base + j * w + to[c]!] = old[oldBase + j * from + c]!;
    }
    if (this.capacity > 0) this.arena.free(old, oldBase, this.capacity * from);
    this.buf = buf;
    this.base = base;
    this.capacity = capacity;
    this.mask = mask;
    this.stride = w;
  }

  /** Present columns, one bit per scalar (a snapshot keeps it beside the rows: storeImage.ts). */
  get columns(): number {
    return this.mask;
  }

  /** Numbers the rows take: length times (1 + present columns). */
  get rowNumbers(): number {
    return this.length * this.stride;
  }

  /** Copies the rows (running totals as held) to `out` from `at`; returns the numbers copied. */
  copyRows(out: Float64Array, at: number): number {
    const n = this.length * this.stride;
    out.set(this.buf.subarray(this.base, this.base + n), at);
    return n;
  }

  /**
   * Takes `length` rows of the columns `mask` from `src` at `at` (what copyRows gave), into an empty
   * tier: a snapshot read back.
   */
  loadRows(mask: number, length: number, src: Float64Array, at: number): void {
    if (this.length > 0 || length === 0) return;
    this.relayout(Math.max(MIN_CAPACITY, pow2(length)), mask);
    const n = length * this.stride;
    this.buf.set(src.subarray(at, at + n), this.base);
    this.length = length;
    this.hint = 0;
  }

  /** The side records held (drops by reason, connect latencies, causes), oldest first not promised. */
  detailRecords(): Iterable<EdgeBucket> {
    return this.details === null ? [] : this.details.values();
  }

  /** Gives the rows back to the arena: the tier's series left the store. */
  release(): void {
    if (this.capacity > 0) this.arena.free(this.buf, this.base, this.capacity * this.stride);
    this.buf = EMPTY;
    this.base = 0;
    this.capacity = 0;
    this.length = 0;
    this.hint = 0;
    if (this.details) this.arena.details -= this.details.size;
    this.details = null;
    this.late = null;
  }
}
