import { describe, expect, it } from 'vitest';
import { MAX_TIMELINE_POINTS, timelineGrid } from './timelineGrid.js';

const NOW = Date.parse('2026-12-07T10:00:00.400Z');
const NEWEST = Math.floor(NOW / 1000) * 1000;
const H = 3_600_000;

describe('timelineGrid', () => {
  it('reads the 1 s tier where it covers the range', () => {
    const g = timelineGrid({ start: NOW - 10 * 60_000, end: NOW }, NOW - 15 * 60_000, NEWEST);
    expect(g).toMatchObject({ stepS: 1, fine: true });
    expect(g.count).toBe(599);
    expect(g.start + g.count * 1000).toBe(NEWEST);
  });

  it('steps in whole minutes once the range reaches past the 1 s tier', () => {
    const hour = timelineGrid({ start: NOW - H, end: NOW }, NOW - 15 * 60_000, NEWEST);
    expect(hour).toMatchObject({ stepS: 60, fine: false, count: 59 });
    expect(hour.start % 60_000).toBe(0);
    // The last point is the last whole minute, not the one still filling.
    expect(hour.start + hour.count * 60_000).toBe(Date.parse('2026-12-07T10:00:00Z'));
    const day = timelineGrid({ start: NOW - 24 * H, end: NOW }, NOW - 15 * 60_000, NEWEST);
    expect(day.stepS).toBe(120);
    expect(day.count).toBeLessThanOrEqual(MAX_TIMELINE_POINTS);
    expect(day.count).toBeGreaterThanOrEqual(700);
  });

  it('keeps every point inside the range and complete', () => {
    for (const [span, fineS] of [
      [7 * 60_000, 900],
      [H, 4 * 3600],
      [6 * H, 900],
      [7 * 24 * H, 900],
      [500, 900],
    ] as const) {
      const range = { start: NOW - span - 12_345, end: NOW - 12_345 };
      const g = timelineGrid(range, NOW - fineS * 1000, NEWEST);
      const step = g.stepS * 1000;
      expect(g.count, `${span}`).toBeLessThanOrEqual(MAX_TIMELINE_POINTS);
      expect(g.start).toBeGreaterThanOrEqual(range.start);
      expect(g.start + g.count * step).toBeLessThanOrEqual(range.end);
      expect(g.start % step).toBe(0);
      if (!g.fine) expect(step % 60_000).toBe(0);
    }
  });

  it('ends at the newest complete second when the range reaches past now', () => {
    const g = timelineGrid({ start: NOW - 60_000, end: NOW + 30_000 }, 0, NEWEST);
    expect(g.start + g.count * g.stepS * 1000).toBeLessThanOrEqual(NEWEST);
  });
});
