import { describe, expect, it } from 'vitest';
import {
  atParam,
  clock,
  dayWords,
  overWords,
  rangeWords,
  spanWords,
  whenWords,
  windowWords,
} from './windowWords.js';

// Local times, so the expectations hold in any time zone the tests run in.
const at = (d: number, h: number, m: number, s = 0) => new Date(2026, 11, d, h, m, s).getTime();
const NOW = at(7, 10, 30, 12);

describe('windowWords', () => {
  it('names the live window by its length', () => {
    expect(windowWords({ mode: 'live', start: NOW - 10_000, end: NOW }, NOW)).toBe('last 10 s');
  });
  it('names a moment by the time it ends', () => {
    const end = at(7, 10, 14, 5);
    expect(windowWords({ mode: 'at', start: end - 10_000, end }, NOW)).toBe('the 10 s before 10:14:05');
  });
  it('names a range by its clock times and day, never ISO', () => {
    expect(windowWords({ mode: 'range', start: at(7, 10, 14), end: at(7, 10, 29) }, NOW)).toBe(
      '10:14 – 10:29 today',
    );
    expect(rangeWords(at(6, 23, 50), at(7, 0, 10), NOW)).toBe('yesterday 23:50 – 00:10 today');
    expect(rangeWords(at(7, 10, 29, 50), at(7, 10, 30), NOW)).toBe('10:29:50 – 10:30:00 today');
  });
  it('says over which window, as a phrase', () => {
    expect(overWords({ mode: 'live', start: NOW - 10_000, end: NOW }, NOW)).toBe('over the last 10 s');
    const end = at(7, 10, 14, 5);
    expect(overWords({ mode: 'at', start: end - 10_000, end }, NOW)).toBe('over the 10 s before 10:14:05');
    expect(overWords({ mode: 'range', start: at(7, 9, 0), end: at(7, 10, 0) }, NOW)).toBe(
      'over 09:00 – 10:00 today',
    );
  });
  it('says when: now, at a moment, over a range', () => {
    expect(whenWords({ mode: 'live', start: NOW - 10_000, end: NOW }, NOW)).toBe('now');
    expect(whenWords({ mode: 'at', start: 0, end: at(6, 9, 0, 1) }, NOW)).toBe('at yesterday 09:00:01');
    expect(whenWords({ mode: 'range', start: at(7, 9, 0), end: at(7, 10, 0) }, NOW)).toBe(
      'over 09:00 – 10:00 today',
    );
  });
});

describe('windowWords parts', () => {
  it('days, clock, spans', () => {
    expect(dayWords(at(5, 12, 0), NOW)).toBe('Dec 5');
    expect(dayWords(new Date(2025, 0, 2).getTime(), NOW)).toBe('Jan 2 2025');
    expect(clock(at(7, 8, 5))).toBe('08:05');
    expect(clock(at(7, 8, 5), true)).toBe('08:05:00');
    expect(spanWords(10_000)).toBe('10 s');
    expect(spanWords(15 * 60_000)).toBe('15 min');
    expect(spanWords(3 * 3_600_000)).toBe('3 h');
    expect(spanWords(90 * 60_000)).toBe('90 min');
    expect(spanWords(150 * 60_000)).toBe('2 h 30 min');
    expect(spanWords(3 * 86_400_000)).toBe('3 d');
  });
  it('writes `at` as RFC 3339 to the second', () => {
    expect(atParam(Date.UTC(2026, 11, 7, 10, 14, 5, 678))).toBe('2026-12-07T10:14:05Z');
  });
});
