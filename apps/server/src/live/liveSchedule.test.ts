import { describe, expect, it } from 'vitest';
import { LiveSchedule } from './liveSchedule.js';

/** A hand-driven clock and timer queue: `advance` runs the timers that fall due, in order. */
function harness(opts: { caughtUp?: (b: number) => boolean; start?: number } = {}) {
  let now = opts.start ?? 10_000_250;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const ticks: number[] = [];
  const schedule = new LiveSchedule({
    intervalMs: 1_000,
    graceMs: 400,
    tick: () => ticks.push(now),
    caughtUp: opts.caughtUp ?? (() => true),
    now: () => now,
    setTimer: (fn, ms) => {
      const t = { at: now + ms, fn, id: nextId++ };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => {
      timers = timers.filter((x) => x !== t);
    },
  });
  const advance = (to: number) => {
    for (;;) {
      const due = timers.filter((t) => t.at <= to).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.fn();
    }
    now = to;
  };
  return { schedule, ticks, advance, pending: () => timers.length };
}

describe('LiveSchedule', () => {
  it('sends one round per interval, grace after each boundary, when no batch arrives', () => {
    const h = harness();
    h.schedule.start();
    h.advance(10_003_500);
    expect(h.ticks).toEqual([10_000_400, 10_001_400, 10_002_400, 10_003_400]);
  });

  it('sends the round as soon as every collector has delivered the interval, and only once', () => {
    const h = harness();
    h.schedule.start();
    h.advance(10_001_030);
    h.schedule.batchArrived();
    h.advance(10_001_040);
    h.schedule.batchArrived();
    h.advance(10_002_000);
    expect(h.ticks).toEqual([10_000_400, 10_001_030]);
  });

  it('waits for the collector that has not delivered yet, up to the grace', () => {
    let delivered = 0;
    const h = harness({ caughtUp: (b) => delivered >= b });
    h.schedule.start();
    h.advance(10_001_020);
    delivered = 10_000_000;
    h.schedule.batchArrived();
    expect(h.ticks).toEqual([10_000_400]);
    h.advance(10_001_090);
    delivered = 10_001_000;
    h.schedule.batchArrived();
    expect(h.ticks).toEqual([10_000_400, 10_001_090]);
    // The next interval: one collector never catches up, the grace sends the round anyway.
    h.advance(10_002_500);
    expect(h.ticks).toEqual([10_000_400, 10_001_090, 10_002_400]);
  });

  it('stop cancels the pending round', () => {
    const h = harness();
    h.schedule.start();
    h.schedule.stop();
    expect(h.pending()).toBe(0);
    h.advance(10_005_000);
    expect(h.ticks).toEqual([]);
  });
});
