/** Cumulative histogram buckets (upper bound in seconds -> count), as `_bucket` series carry them. */
export type Buckets = Map<number, number>;

/**
 * histogram_quantile over one histogram, in milliseconds: linear inside the bucket the rank falls in,
 * as Prometheus does; null with no observations.
 */
export function bucketQuantile(q: number, buckets: Buckets): number | null {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  if (bounds.length === 0) return null;
  const total = buckets.get(bounds[bounds.length - 1]!) ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const b of bounds) {
    const c = buckets.get(b)!;
    if (c >= rank) {
      if (b === Number.POSITIVE_INFINITY) return round(prevBound * 1000);
      const inBucket = c - prevCount;
      const v = inBucket > 0 ? prevBound + ((b - prevBound) * (rank - prevCount)) / inBucket : b;
      return round(v * 1000);
    }
    prevBound = b;
    prevCount = c;
  }
  return round(prevBound * 1000);
}

const round = (n: number) => Math.round(n * 1000) / 1000;
