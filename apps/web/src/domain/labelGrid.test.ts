import { describe, expect, it } from 'vitest';
import { LabelGrid } from './labelGrid.js';

describe('LabelGrid', () => {
  it('refuses a label over one already placed and accepts one beside it', () => {
    const g = new LabelGrid(8);
    expect(g.claim(100, 100, 80, 14)).toBe(true);
    expect(g.claim(150, 105, 80, 14)).toBe(false);
    expect(g.claim(100, 130, 80, 14)).toBe(true);
    expect(g.claim(200, 100, 40, 14)).toBe(true);
  });
  it('does not take space for a refused label', () => {
    const g = new LabelGrid(8);
    g.claim(0, 0, 20, 10);
    expect(g.claim(10, 0, 100, 10)).toBe(false);
    expect(g.claim(40, 0, 60, 10)).toBe(true);
  });
});
