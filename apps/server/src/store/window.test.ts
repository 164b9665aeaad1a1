import { describe, expect, it } from 'vitest';
import { tierWindow } from './window.js';

const M = 60_000;
const T = Date.parse('2026-11-27T10:00:00Z');

describe('tierWindow', () => {
  const fineFrom = T + 30 * M;

  it('keeps a window the 1 s tier covers', () => {
    const win = { start: T + 40 * M + 3_000, end: T + 40 * M + 13_000 };
    expect(tierWindow(win, fineFrom)).toBe(win);
    // Inside a minute the 1 s tier reaches only partly, but after where it starts.
    const inside = { start: fineFrom + 1_000, end: fineFrom + 5_000 };
    expect(tierWindow(inside, fineFrom + 1_000)).toBe(inside);
  });

  it('widens a moment older than the 1 s tier to the minute holding it', () => {
    expect(tierWindow({ start: T + 5 * M + 20_000, end: T + 5 * M + 30_000 }, fineFrom)).toEqual({
      start: T + 5 * M,
      end: T + 6 * M,
    });
  });

  it('widens a moment across a minute boundary to both minutes, and one ending on it to one', () => {
    expect(tierWindow({ start: T + 5 * M - 4_000, end: T + 5 * M + 6_000 }, fineFrom)).toEqual({
      start: T + 4 * M,
      end: T + 6 * M,
    });
    expect(tierWindow({ start: T + 5 * M - 10_000, end: T + 5 * M }, fineFrom)).toEqual({
      start: T + 4 * M,
      end: T + 5 * M,
    });
  });

  it('widens only the start of a range that reaches into the 1 s tier', () => {
    expect(tierWindow({ start: T + 10 * M + 7_000, end: T + 45 * M + 2_000 }, fineFrom)).toEqual({
      start: T + 10 * M,
      end: T + 45 * M + 2_000,
    });
  });
});
