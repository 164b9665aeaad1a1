import { describe, expect, it } from 'vitest';
import { MEMORY_PARTS, MEMORY_SHARES, MemoryBudget } from './memoryBudget.js';

describe('MemoryBudget', () => {
  it('splits the budget into shares that leave room for queries and parsing', () => {
    const b = new MemoryBudget(384);
    expect(b.totalBytes).toBe(384 * 1024 * 1024);
    let sum = 0;
    for (const p of MEMORY_PARTS) {
      expect(b.share(p).limit).toBe(Math.floor(b.totalBytes * MEMORY_SHARES[p]));
      sum += b.share(p).limit;
    }
    expect(sum).toBeLessThan(b.totalBytes * 0.9);
    b.share('flows').used = b.share('flows').limit + 1;
    b.share('flows').evicted = 3;
    expect(b.share('flows').over).toBe(true);
    expect(b.figures().find((f) => f.part === 'flows')).toEqual({
      part: 'flows',
      budgetBytes: b.share('flows').limit,
      usedBytes: b.share('flows').limit + 1,
      evicted: 3,
    });
  });
});
