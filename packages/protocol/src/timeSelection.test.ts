import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIMELINE_MS,
  isCompareExpr,
  rateWindowEndingAt,
  resolveCompare,
  resolveTime,
  timeMode,
} from './timeSelection.js';

const now = Date.parse('2026-11-27T10:00:00.750Z');
const sec = Date.parse('2026-11-27T10:00:00Z');
const none = { from: '', to: '', at: '' };

describe('time selection', () => {
  it('is live when from, to and at are absent: the last complete seconds', () => {
    expect(timeMode(none)).toBe('live');
    const r = resolveTime(none, now, 10_000);
    expect(r.window).toEqual({ start: sec - 10_000, end: sec });
    expect(r.range).toEqual({ start: now - DEFAULT_TIMELINE_MS, end: now });
  });

  it('reads at=T as the rate window ending at T, with the hour around it as range', () => {
    const r = resolveTime({ ...none, at: 'now-2h' }, now, 5_000);
    expect(r.mode).toBe('at');
    const t = Math.floor((now - 7_200_000) / 1000) * 1000;
    expect(r.window).toEqual({ start: t - 5_000, end: t });
    expect(r.range.end).toBe(now - 7_200_000 + DEFAULT_TIMELINE_MS / 2);
    expect(r.range.end - r.range.start).toBe(DEFAULT_TIMELINE_MS);
    // A moment 10 minutes ago: the range cannot end after now.
    expect(resolveTime({ ...none, at: 'now-10m' }, now).range.end).toBe(now);
    // With a range given, at keeps it as the timeline's span.
    const both = resolveTime({ from: 'now-6h', to: 'now', at: 'now-1h' }, now);
    expect(both.range).toEqual({ start: now - 6 * 3_600_000, end: now });
  });

  it('reads from/to as a range; one end alone takes the default length', () => {
    const r = resolveTime({ ...none, from: 'now-15m', to: 'now-5m' }, now);
    expect(r.mode).toBe('range');
    expect(r.window).toEqual({ start: now - 900_000, end: now - 300_000 });
    expect(resolveTime({ ...none, from: 'now-15m' }, now).window).toEqual({ start: now - 900_000, end: now });
    expect(resolveTime({ ...none, to: 'now-1h' }, now).window).toEqual({
      start: now - 3_600_000 - DEFAULT_TIMELINE_MS,
      end: now - 3_600_000,
    });
  });

  it('never answers for the future', () => {
    const r = resolveTime({ ...none, at: '2099-01-01T00:00:00Z' }, now);
    expect(r.window.end).toBe(sec);
    expect(rateWindowEndingAt(1_999, 0)).toEqual({ start: 0, end: 1_000 });
  });

  it('compares with the previous window of the same length or an explicit one', () => {
    expect(isCompareExpr('previous')).toBe(true);
    expect(isCompareExpr('now-2h..now-1h')).toBe(true);
    expect(isCompareExpr('2026-11-27T08:00:00Z..2026-11-27T09:00:00Z')).toBe(true);
    for (const bad of ['', 'now-1h', 'now-1h..', 'now..now-1h', 'a..b', 'now-1h..now..now', 'prev'])
      expect(isCompareExpr(bad), bad).toBe(false);
    const sel = { start: now - 600_000, end: now };
    expect(resolveCompare('previous', sel, now)).toEqual({ start: now - 1_200_000, end: now - 600_000 });
    expect(resolveCompare('now-2h..now-1h', sel, now)).toEqual({
      start: now - 7_200_000,
      end: now - 3_600_000,
    });
    expect(resolveCompare('', sel, now)).toBeUndefined();
  });
});
