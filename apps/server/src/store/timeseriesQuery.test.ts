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

  it('draws the seconds after the last whole step as one more point, its rate over those seconds', () => {
    const { store, feed } = testStore();
    feed(labBatches({ seconds: 40 }));
    const ones = queryTimeseries(store, filter(), { start: T0, end: T0 + 40_000 }, 'bytes', 'none', 1);
    const perSecond = ones.series[0]!.points.at(-1)![1]!;
    // 30 s steps over 40 s: one whole step, then the 10 s still filling up.
    const ts = queryTimeseries(store, filter(), { start: T0, end: T0 + 40_900 }, 'bytes', 'none', 30);
    expect([ts.start, ts.end]).toEqual([T0, T0 + 40_000]);
    const points = ts.series[0]!.points;
    expect(points.map((p) => p[0])).toEqual([T0, T0 + 30_000]);
    // The lab's traffic is steady: the short step's rate is the whole step's, not a third of it.
    const [whole, short] = [points[0]![1]!, points[1]![1]!];
    expect(short / whole).toBeGreaterThan(0.9);
    expect(short / whole).toBeLessThan(1.1);
    expect(perSecond / short).toBeGreaterThan(0.9);
  });

  it('draws a cluster younger than one step: the seconds it has are the one point', () => {
    const { store, feed } = testStore();
    feed(labBatches({ seconds: 8 }));
    const ts = queryTimeseries(
      store,
      filter(),
      { start: T0 - 3_600_000, end: T0 + 8_000 },
      'dns_latency',
      'quantile',
      30,
    );
    const p50 = ts.series.find((s) => s.key === 'p50')!.points.filter((p) => p[1] !== null);
    expect(p50.length).toBe(1);
    expect(p50[0]![1]).toBeGreaterThan(0);
  });
});
