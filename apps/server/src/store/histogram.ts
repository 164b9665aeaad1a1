/**
 * A mergeable latency histogram: log-spaced buckets (8 per power of two, about 9% wide) over
 * microseconds, so histograms from different pods and intervals add up and a p95 across them is the
 * p95 of the merged data, not an average of percentiles.
 */
const PER_OCTAVE = 8;
const MAX_INDEX = 8 * 36; // 2^36 us ~ 19 h: anything slower is clamped there

const MAX_US = 2 ** 36;

export function bucketIndex(us: number): number {
  if (!(us > 1)) return 0;
  const i = Math.ceil(Math.log2(us) * PER_OCTAVE);
  return Math.min(i, MAX_INDEX);
}

/** Upper bound (us) of a bucket. */
export function bucketUpperUs(index: number): number {
  return 2 ** (index / PER_OCTAVE);
}

export class Histogram {
  readonly counts = new Map<number, number>();
  total = 0;
  sumUs = 0;

  add(us: number, n = 1): void {
    if (!Number.isFinite(us) || us < 0 || !(n > 0)) return;
    // Past the last bucket the value says nothing more, and a huge one would make sumUs Infinity.
    if (us > MAX_US) us = MAX_US;
    const i = bucketIndex(us);
    this.counts.set(i, (this.counts.get(i) ?? 0) + n);
    this.total += n;
    this.sumUs += us * n;
  }

  merge(other: Histogram): void {
    for (const [i, c] of other.counts) this.counts.set(i, (this.counts.get(i) ?? 0) + c);
    this.total += other.total;
    this.sumUs += other.sumUs;
  }

  /** q in [0, 1]; microseconds, or null without data. Interpolates inside the bucket. */
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.total));
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const k of keys) {
      const c = this.counts.get(k)!;
      if (seen + c >= rank) {
        const lo = k === 0 ? 0 : bucketUpperUs(k - 1);
        const hi = bucketUpperUs(k);
        return lo + ((hi - lo) * (rank - seen)) / c;
      }
      seen += c;
    }
    return bucketUpperUs(keys[keys.length - 1]!);
  }

  mean(): number | null {
    return this.total === 0 ? null : this.sumUs / this.total;
  }
}
