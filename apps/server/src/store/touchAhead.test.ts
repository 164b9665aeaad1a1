import { describe, expect, it } from 'vitest';
import { EdgeSeries } from './series.js';
import { touchAhead, touched } from './touchAhead.js';

const series = (times: number[]) => {
  const s = new EdgeSeries(null as never, null as never, 'tcp', 80);
  for (const t of times) s.fine.addTraffic(t, 1, 1);
  return s;
};

describe('touchAhead', () => {
  it("reads each series' newest row and the row `seconds` back, skipping holes and short tiers", () => {
    const items = [series([1000, 2000, 3000, 4000]), null, series([5000]), series([])];
    const before = touched();
    expect(touchAhead(items, 0, items.length, 2)).toBe(4);
    // 4000 and 2000 (two rows back) from the first, 5000 from the second; the empty tier adds nothing.
    expect(touched() - before).toBe(4000 + 2000 + 5000);
    const mid = touched();
    expect(touchAhead(items, 1, 3, 0)).toBe(3);
    expect(touched() - mid).toBe(5000);
  });
});
