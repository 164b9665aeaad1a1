import { describe, expect, it } from 'vitest';
import { waterFill } from './waterFill.js';

const filled = (owned: number[], c: number) => owned.reduce((sum, u) => sum + Math.min(u, c), 0);

describe('waterFill', () => {
  it('caps nothing when everything fits', () => {
    expect(waterFill([10, 20, 30], 60)).toBe(Number.POSITIVE_INFINITY);
    expect(waterFill([], 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('leaves a small owner whole and cuts the flooding one to the rest', () => {
    expect(waterFill([10, 1000], 500)).toBe(490);
    expect(waterFill([1000, 0, 10, 3], 500)).toBe(487);
  });

  it('gives a lone owner the whole target, and equal owners equal parts', () => {
    expect(waterFill([1000], 500)).toBe(500);
    expect(waterFill([300, 300, 300], 600)).toBe(200);
  });

  it('caps at 0 when the target is gone', () => {
    expect(waterFill([5, 7], 0)).toBe(0);
    expect(waterFill([5, 7], -3)).toBe(0);
  });

  it('finds the largest cap that fits, whatever the owners', () => {
    let x = 7;
    const rand = () => {
      x = (x * 1664525 + 1013904223) >>> 0;
      return x / 2 ** 32;
    };
    for (let run = 0; run < 200; run++) {
      const owned = Array.from({ length: 1 + Math.floor(rand() * 20) }, () => Math.floor(rand() * 1000));
      const total = owned.reduce((a, b) => a + b, 0);
      const target = Math.floor(rand() * total);
      const c = waterFill(owned, target);
      if (total <= target) {
        expect(c).toBe(Number.POSITIVE_INFINITY);
        continue;
      }
      expect(filled(owned, c)).toBeCloseTo(target, 6);
      expect(filled(owned, c + 1e-3)).toBeGreaterThan(target);
    }
  });
});
