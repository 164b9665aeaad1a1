import { describe, expect, it } from 'vitest';
import { isoSecond } from './isoSecond.js';

describe('isoSecond', () => {
  it('writes RFC 3339 in UTC without milliseconds, rounding down to the second', () => {
    expect(isoSecond(Date.UTC(2026, 11, 7, 10, 14, 5, 678))).toBe('2026-12-07T10:14:05Z');
    expect(isoSecond(Date.parse('2026-12-07T09:00:00Z') + 1_999)).toBe('2026-12-07T09:00:01Z');
  });
});
