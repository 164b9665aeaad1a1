import { describe, expect, it } from 'vitest';
import { clockInWords, durationInWords, windowInWords } from './windowWords.js';

const NOW = Date.parse('2026-11-27T10:15:00.400Z');

describe('windowInWords', () => {
  it('says durations the way people do', () => {
    expect(durationInWords(10_000)).toBe('10 s');
    expect(durationInWords(90_000)).toBe('1 min 30 s');
    expect(durationInWords(900_000)).toBe('15 min');
    expect(durationInWords(5_400_000)).toBe('1 h 30 min');
    expect(durationInWords(86_400_000)).toBe('1 d');
    expect(durationInWords(90_000_000)).toBe('1 d 1 h');
  });

  it('names live, a moment and a range', () => {
    expect(windowInWords('live', { start: NOW - 10_400, end: NOW - 400 }, NOW)).toBe('over the last 10 s');
    expect(windowInWords('range', { start: NOW - 900_000, end: NOW }, NOW)).toBe('over the last 15 min');
    const t = Date.parse('2026-11-27T10:05:00Z');
    expect(windowInWords('at', { start: t - 10_000, end: t }, NOW)).toBe('over the 10 s up to 10:05:00 UTC');
    expect(windowInWords('range', { start: t - 3_600_000, end: t }, NOW)).toBe(
      'from 09:05:00 to 10:05:00 UTC',
    );
    expect(clockInWords(Date.parse('2026-11-26T23:00:00Z'), NOW)).toBe('2026-11-26 23:00:00');
  });
});
