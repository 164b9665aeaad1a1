import { describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH, OTHER_NAME } from './boundedName.js';
import { DnsBucket, MAX_FAILING_NAMES, MAX_RCODES } from './dnsBucket.js';

describe('DnsBucket', () => {
  it('keeps at most MAX_RCODES response codes and cuts long names and codes', () => {
    const b = new DnsBucket(0);
    for (let i = 0; i < 5_000; i++) b.add(`n${i}.${'q'.repeat(5_000)}`, `RC${i}${'r'.repeat(5_000)}`, 100);
    expect(b.rcodes!.size).toBeLessThanOrEqual(MAX_RCODES + 1);
    expect(b.rcodes!.get(OTHER_NAME)).toBe(5_000 - MAX_RCODES);
    for (const k of b.rcodes!.keys()) expect(k.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    expect(b.failing!.size).toBeLessThanOrEqual(MAX_FAILING_NAMES + MAX_RCODES + 1);
    for (const k of b.failing!.keys()) expect(k.length).toBeLessThanOrEqual(2 * MAX_NAME_LENGTH + 1);
    expect(b.errors).toBe(5_000);
  });
});
