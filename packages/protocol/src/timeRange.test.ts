import { describe, expect, it } from 'vitest';
import { isTimeExpr, resolveTimeExpr } from './timeRange.js';

describe('time expressions', () => {
  const now = Date.parse('2026-11-27T10:00:00Z');
  it('resolves relative and absolute times', () => {
    expect(resolveTimeExpr('now', now)).toBe(now);
    expect(resolveTimeExpr('now-15m', now)).toBe(now - 900_000);
    expect(resolveTimeExpr('now-2h', now)).toBe(now - 7_200_000);
    expect(resolveTimeExpr('2026-11-27T09:00:00Z', now)).toBe(now - 3_600_000);
    expect(resolveTimeExpr('yesterday', now)).toBeUndefined();
    expect(isTimeExpr('now-1y')).toBe(false);
  });
});
