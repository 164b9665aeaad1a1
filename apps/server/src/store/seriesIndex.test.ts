import { describe, expect, it } from 'vitest';
import { SeriesIndex } from './seriesIndex.js';

describe('SeriesIndex', () => {
  it('finds what was added, through growth and deletions, like a Map of the three keys', () => {
    const index = new SeriesIndex<string>();
    const model = new Map<string, string>();
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed % n;
    };
    // Few distinct ids, so probe runs collide and deletions shift entries back.
    for (let step = 0; step < 20_000; step++) {
      const [c, s, p] = [1 + rand(40), rand(40), rand(16)];
      const k = `${c},${s},${p}`;
      if (rand(3) === 0) {
        index.delete(c, s, p);
        model.delete(k);
      } else if (!model.has(k)) {
        index.add(c, s, p, k);
        model.set(k, k);
      }
      expect(index.size).toBe(model.size);
    }
    for (let c = 1; c <= 40; c++)
      for (let s = 0; s < 40; s++)
        for (let p = 0; p < 16; p++) expect(index.get(c, s, p)).toBe(model.get(`${c},${s},${p}`));
  });

  it('takes ids past the small-integer range of a combined key', () => {
    const index = new SeriesIndex<number>();
    index.add(2_000_000_000, 1_999_999_999, 65_535 * 8 + 7, 1);
    expect(index.get(2_000_000_000, 1_999_999_999, 65_535 * 8 + 7)).toBe(1);
    expect(index.get(2_000_000_000, 1_999_999_999, 65_535 * 8 + 6)).toBeUndefined();
  });
});
