import { describe, expect, it } from 'vitest';
import { chooseSource } from './chooseSource.js';

describe('chooseSource', () => {
  const held = 1_000_000;
  it('auto: Prometheus only for a window starting before what the store holds, and only if configured', () => {
    expect(chooseSource('', true, held - 1, held)).toBe('prometheus');
    expect(chooseSource('auto', true, held, held)).toBe('store');
    expect(chooseSource('', false, held - 1, held)).toBe('store');
    // An empty store holds nothing: Prometheus answers.
    expect(chooseSource('', true, held, Number.POSITIVE_INFINITY)).toBe('prometheus');
  });

  it('forced: as asked, and a 400 naming source when Prometheus is not configured', () => {
    expect(chooseSource('store', true, 0, held)).toBe('store');
    expect(chooseSource('prometheus', true, held + 5, held)).toBe('prometheus');
    expect(() => chooseSource('prometheus', false, 0, held)).toThrow(/source: prometheus is not configured/);
  });
});
