import { describe, expect, it } from 'vitest';
import { stringifySliced } from './slicedJson.js';

describe('stringifySliced', () => {
  it('writes what JSON.stringify writes, pausing between slices', async () => {
    const value = {
      journal: {
        segment: 'x.wjl',
        offset: 16,
        tables: [[1, Array.from({ length: 600 }, (_, i) => ({ ip: `10.0.0.${i}` }))]],
      },
      meta: {
        at: 1.5,
        none: undefined,
        start: null,
        rows: Array.from({ length: 1000 }, (_, i) => ({
          i,
          s: `row "${i}"`,
          n: [i, -0, 1e21],
          u: undefined,
        })),
        sparse: [1, undefined, 'a'],
      },
      '': 'empty key',
    };
    let pauses = 0;
    const text = await stringifySliced(
      value,
      async () => {
        pauses++;
      },
      0,
    );
    expect(text).toBe(JSON.stringify(value));
    expect(pauses).toBeGreaterThan(1000);
  });
});
