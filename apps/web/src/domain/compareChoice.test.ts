import { DEFAULT_FILTER, isCompareExpr, resolveCompare, resolveTime } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { compareChoiceOf, compareExpr } from './compareChoice.js';

const NOW = Date.UTC(2026, 11, 7, 10, 30, 0, 400);
const RW = 10_000;

describe('compareExpr', () => {
  it('off and previous are the plain forms', () => {
    expect(compareExpr('off', DEFAULT_FILTER, NOW, RW)).toBe('');
    expect(compareExpr('previous', DEFAULT_FILTER, NOW, RW)).toBe('previous');
  });
  it('live: the same rate window an hour earlier, relative so it follows now', () => {
    const expr = compareExpr('hour', DEFAULT_FILTER, NOW, RW);
    expect(expr).toBe('now-3610s..now-3600s');
    expect(isCompareExpr(expr)).toBe(true);
    const live = resolveTime(DEFAULT_FILTER, NOW, RW).window;
    const base = resolveCompare(expr, live, NOW)!;
    expect(base.end - base.start).toBe(live.end - live.start);
    expect(Math.abs(live.end - 3_600_000 - base.end)).toBeLessThan(1000);
  });
  it('a fixed window: absolute times a day earlier', () => {
    const state = { ...DEFAULT_FILTER, from: '2026-12-07T09:00:00Z', to: '2026-12-07T10:00:00Z' };
    expect(compareExpr('day', state, NOW, RW)).toBe('2026-12-06T09:00:00Z..2026-12-06T10:00:00Z');
  });
  it('a window that follows now (its end open or relative) gets a relative baseline', () => {
    const state = { ...DEFAULT_FILTER, from: '2026-12-07T10:00:00Z' };
    expect(compareExpr('hour', state, NOW, RW)).toBe('now-5400s..now-3600s');
    expect(compareExpr('hour', { ...DEFAULT_FILTER, from: 'now-2h', to: 'now-1h' }, NOW, RW)).toBe(
      'now-10800s..now-7200s',
    );
  });
  it('does not flip with the fraction of the current second', () => {
    for (const ms of [0, 499, 500, 999])
      expect(compareExpr('hour', DEFAULT_FILTER, NOW - 400 + ms, RW)).toBe('now-3610s..now-3600s');
  });
  it('tells the choices back from the URL, anything else is custom', () => {
    const expr = compareExpr('day', DEFAULT_FILTER, NOW, RW);
    expect(compareChoiceOf(expr, DEFAULT_FILTER, NOW, RW)).toBe('day');
    expect(compareChoiceOf('previous', DEFAULT_FILTER, NOW, RW)).toBe('previous');
    expect(compareChoiceOf('', DEFAULT_FILTER, NOW, RW)).toBe('off');
    expect(compareChoiceOf('now-2h..now-1h', DEFAULT_FILTER, NOW, RW)).toBe('custom');
  });
});
