import { describe, expect, it } from 'vitest';
import { fixtures } from '../api/fixtures.js';
import { isolatedPoints, seriesColor, seriesLast, toChartRows } from './chartData.js';

describe('chart data', () => {
  it('joins series by time and keeps gaps as null', () => {
    const { rows, keys } = toChartRows(fixtures.tsDns.series);
    expect(keys).toEqual(['p50', 'p95', 'p99']);
    expect(rows).toHaveLength(10);
    expect(rows[3]!.p99).toBeNull();
    expect(rows[0]!.t).toBeLessThan(rows[1]!.t);
  });
  it('a group value named t cannot overwrite the time', () => {
    const { rows, keys } = toChartRows([{ key: 't', points: [[1000, 5]] }]);
    expect(rows[0]).toEqual({ t: 1000, t_: 5 });
    expect(keys).toEqual(['t_']);
  });
  it('colours the seed reason red and the rest from a palette', () => {
    expect(seriesColor('policy_drop', 3)).toBe('#f85149');
    expect(seriesColor('something', 0)).toMatch(/^#/);
    expect(seriesLast(fixtures.tsDrops.series, 'policy_drop')).toBe(4.5);
    expect(seriesLast(fixtures.tsDrops.series, 'absent')).toBeNull();
  });
  it('finds the points no line segment reaches: a lone first value, values between gaps', () => {
    const { rows } = toChartRows([
      {
        key: 'p99',
        points: [
          [0, null],
          [1, 6],
          [2, null],
          [3, 4],
          [4, 5],
          [5, null],
          [6, 7],
        ],
      },
      { key: 'p50', points: [[7, 1]] },
    ]);
    expect([...isolatedPoints(rows, 'p99')]).toEqual([1, 6]);
    expect([...isolatedPoints(rows, 'p50')]).toEqual([7]);
    expect(isolatedPoints(rows, 'absent').size).toBe(0);
  });
});
