/**
 * Steady-rate scheduling without drift: request k is due at start + k/rate, whatever the timers did.
 * A generator that falls more than `maxLagMs` behind skips ahead (and counts what it skipped) instead
 * of bursting, so a stalled machine does not turn into a traffic spike.
 */
export interface ScheduleStep {
  /** Requests to send now. */
  fire: number;
  /** Requests given up because the generator fell behind. */
  skipped: number;
  /** Total due so far (the new `fired`). */
  due: number;
  /** ms from start when the next one is due. */
  nextAtMs: number;
}

export function scheduleStep(
  elapsedMs: number,
  ratePerSec: number,
  fired: number,
  maxLagMs = 1000,
): ScheduleStep {
  const due = Math.floor((Math.max(0, elapsedMs) * ratePerSec) / 1000) + 1;
  const behind = due - fired;
  const maxBurst = Math.max(1, Math.ceil((maxLagMs * ratePerSec) / 1000));
  const fire = Math.max(0, Math.min(behind, maxBurst));
  const skipped = Math.max(0, behind - fire);
  return { fire, skipped, due: Math.max(due, fired), nextAtMs: (Math.max(due, fired) * 1000) / ratePerSec };
}
