import { describe, expect, it } from 'vitest';
import { TokenBucket } from './tokenBucket.js';

describe('TokenBucket', () => {
  it('allows a burst, then refills at its rate up to the burst', () => {
    const b = new TokenBucket(3, 2, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    // Half a second at 2 a second is one token.
    expect([b.take(500), b.take(500)]).toEqual([true, false]);
    // A long quiet spell refills no more than the burst.
    expect([b.take(60_000), b.take(60_000), b.take(60_000), b.take(60_000)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('does not refill when the clock goes backwards', () => {
    const b = new TokenBucket(1, 1, 10_000);
    expect(b.take(10_000)).toBe(true);
    expect(b.take(5_000)).toBe(false);
    expect(b.take(10_000)).toBe(false);
  });
});
