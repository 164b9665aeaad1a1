import { describe, expect, it } from 'vitest';
import { overWords, windowWords } from './windowWords.js';

const GB_BERLIN = { locale: 'en-GB', timeZone: 'Europe/Berlin' };
const berlin = (local: string) => Date.parse(`${local}+01:00`);
const NOW = berlin('2026-12-07T10:30:12');

describe('windowWords', () => {
  it('names the live window by its length', () => {
    expect(windowWords({ mode: 'live', start: NOW - 10_000, end: NOW }, NOW, GB_BERLIN)).toBe('last 10 s');
  });
  it('names a moment by the time it ends', () => {
    const end = berlin('2026-12-07T10:14:05');
    expect(windowWords({ mode: 'at', start: end - 10_000, end }, NOW, GB_BERLIN)).toBe(
      'the 10 s before 10:14:05 today',
    );
  });
  it('names a range by its clock times and day, never ISO', () => {
    const range = (a: string, b: string) =>
      windowWords({ mode: 'range', start: berlin(a), end: berlin(b) }, NOW, GB_BERLIN);
    expect(range('2026-12-07T10:14:00', '2026-12-07T10:29:00')).toBe('10:14 – 10:29 today');
    expect(range('2026-12-06T23:50:00', '2026-12-07T00:10:00')).toBe('yesterday 23:50 – 00:10');
    expect(range('2026-12-07T10:29:50', '2026-12-07T10:30:00')).toBe('10:29:50 – 10:30:00 today');
  });
});

describe('overWords', () => {
  const end = berlin('2026-12-07T10:14:05');
  const hour = {
    mode: 'range' as const,
    start: berlin('2026-12-07T09:00:00'),
    end: berlin('2026-12-07T10:00:00'),
  };
  it('says over which window, as a phrase', () => {
    expect(overWords({ mode: 'live', start: NOW - 10_000, end: NOW }, NOW, GB_BERLIN)).toBe(
      'over the last 10 s',
    );
    expect(overWords({ mode: 'at', start: end - 10_000, end }, NOW, GB_BERLIN)).toBe(
      'over the 10 s before 10:14:05 today',
    );
    expect(overWords(hour, NOW, GB_BERLIN)).toBe('over 09:00 – 10:00 today');
  });
});
