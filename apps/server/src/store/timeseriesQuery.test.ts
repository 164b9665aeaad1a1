import { describe, expect, it } from 'vitest';
import { labBatches, T0 } from '../fixtures/labBatches.js';
import { filter, testStore } from '../fixtures/testStore.js';
import { queryTimeseries, wholeSteps } from './timeseriesQuery.js';

describe('wholeSteps', () => {
  it('keeps the whole steps inside the window', () => {
    expect(wholeSteps({ start: T0 + 2_500, end: T0 + 61_700 }, 5_000)).toEqual({
      start: T0 + 5_000,
      end: T0 + 60_000,
    });
    expect(wholeSteps({ start: T0, end: T0 + 60_000 }, 60_000)).toEqual({ start: T0, end: T0 + 60_000 });
  });

  it('gives a window shorter than a step the whole step ending at or before its end', () => {
    expect(wholeSteps({ start: T0 + 10_000, end: T0 + 50_000 }, 60_000)).toEqual({
      start: T0 - 60_000,
      end: T0,
    });
  });
});

describe('queryTimeseries', () => {
  it('ends on the last whole step before the window end: the second still arriving is left out', () => {
    const { store, feed } = testStore();
    feed(labBatches({ seconds: 30 }));
    // Only one node's batch for the newest second (stamped T0 + 31 s): half of that second is here.
    feed(labBatches({ start: T0 + 30_000, seconds: 1 }).slice(0, 1));
    const ts = queryTimeseries(store, filter(), { start: T0 + 10_000, end: T0 + 31_700 }, 'bytes', 'none', 1);
    const points = ts.series[0]!.points;
    expect([ts.start, ts.end]).toEqual([T0 + 10_000, T0 + 31_000]);
    expect(points.at(-1)![0]).toBe(T0 + 30_000);
    expect(points.at(-1)![1]).toBe(points.at(-2)![1]);
    expect(points.at(-1)![1]).toBeGreaterThan(0);
  });
});
