import type { DiagnosePeriod } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { historySentence, periodMoment, periodWords, stripSegments, verdictWhen } from './historyStrip.js';

const OPTS = { locale: 'en-GB', timeZone: 'UTC' };
const t = (h: number, m: number, s = 0) => Date.UTC(2026, 11, 7, h, m, s);
const NOW = t(10, 30);
const healthy: DiagnosePeriod = { state: 'healthy', start: t(9, 30), end: t(10, 14, 5) };
const failing: DiagnosePeriod = { state: 'failing', start: t(10, 14, 5), end: t(10, 20) };
const quiet: DiagnosePeriod = { state: 'no_traffic', start: t(10, 20), end: t(10, 30) };

describe('stripSegments', () => {
  it('places periods by time across the whole strip, edge to edge', () => {
    const s = stripSegments([healthy, failing, { ...quiet, state: 'healthy' }]);
    expect(s[0]!.left).toBe(0);
    const last = s[s.length - 1]!;
    expect(last.left + last.width).toBeCloseTo(100, 9);
    for (let i = 1; i < s.length; i++) expect(s[i]!.left).toBeCloseTo(s[i - 1]!.left + s[i - 1]!.width, 9);
    // 5 min 55 s of the hour.
    expect(s[1]!.width).toBeCloseTo((355 / 3600) * 100, 9);
  });
  it('is empty without history and never divides by zero', () => {
    expect(stripSegments([])).toEqual([]);
    const point = stripSegments([{ state: 'failing', start: 5, end: 5 }]);
    expect(point[0]!.width).toBe(0);
  });
});

describe('historySentence', () => {
  it('failing now: since when', () => {
    expect(historySentence([healthy, { ...failing, end: NOW }], NOW, OPTS)).toBe(
      'Failing since 10:14:05 today.',
    );
  });
  it('recovered: when, and for how long it failed', () => {
    expect(historySentence([healthy, failing, { ...quiet, state: 'healthy' }], NOW, OPTS)).toBe(
      'Recovered at 10:20:00 today (failed for 6 min).',
    );
    expect(historySentence([healthy, failing, quiet], NOW, OPTS)).toBe(
      'Recovered at 10:20:00 today (failed for 6 min); no traffic since 10:20:00 today.',
    );
  });
  it('never failed, or nothing known', () => {
    expect(historySentence([healthy], NOW)).toBe('Not failing at any time in the range.');
    expect(historySentence([quiet], NOW)).toBe('No traffic in the range.');
    expect(historySentence([], NOW)).toBe('No history for this pair in the range.');
  });
});

describe('periods', () => {
  it('in words', () => {
    expect(periodWords(failing, NOW, OPTS)).toBe('failing 10:14:05 – 10:20:00 today (6 min)');
    expect(periodWords(healthy, NOW, OPTS)).toBe('healthy 09:30 – 10:14 today (44 min)');
  });
  it('a click looks at the middle, but never so early that the rate window reaches before the period', () => {
    expect(periodMoment(failing, 10_000)).toBe((failing.start + failing.end) / 2);
    const short = { state: 'failing' as const, start: 0, end: 12_000 };
    expect(periodMoment(short, 10_000)).toBe(10_000);
    expect(periodMoment({ ...short, end: 4_000 }, 10_000)).toBe(4_000);
  });
});

describe('verdictWhen', () => {
  it('says the state with the window it is over', () => {
    expect(verdictWhen('refused', { mode: 'live', start: NOW - 10_000, end: NOW }, NOW, OPTS)).toBe(
      'failing now (last 10 s)',
    );
    expect(verdictWhen('healthy', { mode: 'at', start: t(10, 13, 55), end: t(10, 14, 5) }, NOW, OPTS)).toBe(
      'healthy at 10:14:05 today (the 10 s before it)',
    );
    expect(verdictWhen('no_traffic', { mode: 'range', start: t(9, 0), end: t(10, 0) }, NOW, OPTS)).toBe(
      'no traffic over 09:00 – 10:00 today',
    );
  });
});
