import { describe, expect, it } from 'vitest';
import { scheduleStep } from './schedule.js';

describe('scheduleStep', () => {
  it('fires the first request at once and then one per period', () => {
    expect(scheduleStep(0, 10, 0)).toMatchObject({ fire: 1, due: 1, nextAtMs: 100 });
    expect(scheduleStep(99, 10, 1)).toMatchObject({ fire: 0, due: 1, nextAtMs: 100 });
    expect(scheduleStep(100, 10, 1)).toMatchObject({ fire: 1, due: 2, nextAtMs: 200 });
  });

  it('catches up without drift when a timer fires late', () => {
    expect(scheduleStep(450, 10, 2)).toMatchObject({ fire: 3, skipped: 0, due: 5, nextAtMs: 500 });
  });

  it('skips instead of bursting when far behind', () => {
    const s = scheduleStep(5000, 10, 1);
    expect(s.fire).toBe(10);
    expect(s.skipped).toBe(40);
    expect(s.due).toBe(51);
  });

  it('counts exactly over a long run', () => {
    let fired = 0;
    let sent = 0;
    for (let t = 0; t < 60_000; t += 7) {
      const s = scheduleStep(t, 2.5, fired);
      fired = s.due;
      sent += s.fire;
    }
    expect(sent).toBe(150);
  });
});
