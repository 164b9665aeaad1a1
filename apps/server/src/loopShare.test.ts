import { describe, expect, it } from 'vitest';
import { LoopShare } from './loopShare.js';

describe('LoopShare', () => {
  it('lets a connection use its burst, then pauses it for as long as its share takes to pay back', () => {
    const share = new LoopShare(250, 500, 0);
    expect(share.spent(200, 0)).toBe(0);
    expect(share.spent(300, 0)).toBe(0);
    // 100 ms over: 400 ms of a 250 ms/s share.
    expect(share.spent(100, 0)).toBe(400);
    // Paid back after the pause; the share refills at its rate, never past the burst.
    expect(share.spent(0, 400)).toBe(0);
    expect(share.spent(250, 1400)).toBe(0);
    expect(share.spent(0, 100_000)).toBe(0);
    expect(share.spent(500, 100_000)).toBe(0);
    expect(share.spent(1, 100_000)).toBe(4);
  });

  it('never pauses a connection that stays within its share', () => {
    const share = new LoopShare(250, 500, 0);
    for (let t = 0; t < 60_000; t += 1000) expect(share.spent(240, t)).toBe(0);
  });
});
