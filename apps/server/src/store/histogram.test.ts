import { describe, expect, it } from 'vitest';
import { Histogram } from './histogram.js';

describe('Histogram', () => {
  it('answers quantiles within the bucket width', () => {
    const h = new Histogram();
    for (let i = 1; i <= 1000; i++) h.add(i * 10);
    const p95 = h.quantile(0.95)!;
    expect(Math.abs(p95 - 9500) / 9500).toBeLessThan(0.1);
    expect(h.quantile(0)).toBeGreaterThan(0);
    expect(new Histogram().quantile(0.5)).toBeNull();
  });

  it('merges so that a p95 across pods is the p95 of all their samples', () => {
    const fast = new Histogram();
    const slow = new Histogram();
    for (let i = 0; i < 900; i++) fast.add(1_000);
    for (let i = 0; i < 100; i++) slow.add(100_000);
    const all = new Histogram();
    all.merge(fast);
    all.merge(slow);
    // 10% of samples are slow, so p95 is slow; averaging the two p95s (50.5 ms) would be wrong.
    expect(all.quantile(0.95)!).toBeGreaterThan(90_000);
    expect(all.quantile(0.5)!).toBeLessThan(1_100);
    expect(all.total).toBe(1000);
  });

  it('ignores garbage samples', () => {
    const h = new Histogram();
    h.add(Number.NaN);
    h.add(-5);
    h.add(Number.POSITIVE_INFINITY);
    expect(h.total).toBe(0);
    h.add(1e15);
    expect(h.quantile(0.5)).toBeGreaterThan(1e10);
  });
});
