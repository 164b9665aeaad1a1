import { describe, expect, it } from 'vitest';
import { MemoryShare } from '../memoryBudget.js';
import { CrossNodeDedupe } from './crossNodeDedupe.js';

describe('CrossNodeDedupe', () => {
  it('is the same event from another node inside the window, a new one from the same node', () => {
    const d = new CrossNodeDedupe();
    expect(d.isDuplicate('k', 'a', 0)).toBe(false);
    expect(d.isDuplicate('k', 'b', 100)).toBe(true);
    expect(d.isDuplicate('k', 'a', 200)).toBe(false);
    d.isDuplicate('other', 'a', 10_000);
    expect(d.isDuplicate('k', 'b', 20_000)).toBe(false);
  });

  it('holds its keys within its share in bytes, however long the names in them', () => {
    const share = new MemoryShare('dedupe', 1_000_000);
    const d = new CrossNodeDedupe(3_000, 1_000_000, share);
    for (let k = 0; k < 20_000; k++) {
      d.isDuplicate(`d${k}|${'r'.repeat(250)}`, 'a', 0);
      expect(share.used).toBeLessThanOrEqual(share.limit);
    }
    expect(share.evicted).toBeGreaterThan(0);
  });
});
