import { type ResolvedTime, rateWindowEndingAt, resolveTime, type TimeChoice } from '@weft/protocol';

const SECOND = 1_000;

/**
 * How far behind the wall clock's last whole second the live window may end, for a collector interval
 * of `intervalMs`: two intervals, at least 2 s. A collector further behind (spooling after a
 * reconnect, a stalled probe) no longer holds live back: its newest seconds read low until they come,
 * which is the truth about what the server has, rather than live turning into "a while ago".
 */
export function liveLagLimitMs(intervalMs: number): number {
  return Math.max(2 * SECOND, 2 * intervalMs);
}

/**
 * Where the live rate window ends: the newest whole second that every connected collector has
 * delivered (`caughtUp(t, behindFrom)`: each one's newest batch ends at or after t, leaving out those
 * whose newest ends before behindFrom), bounded by now and at most `lagLimitMs` before it.
 *
 * Why not simply the start of the current second: a collector closes its interval on the second and
 * the batch reaches the server some milliseconds later (more on a loaded node, or with node clocks a
 * little apart), so for a moment after each second the newest second of the window is not all there:
 * its rates would read low (or, divided by the seconds observed, jump about). A second every collector
 * has delivered no longer changes, so every answer for the same live moment is the same, and the map,
 * the Now panel and the REST API agree. With no collector connected (tests, a store fed directly) it
 * is the start of the current second, as resolveTime has it.
 */
export function liveEnd(
  now: number,
  caughtUp: (t: number, behindFrom: number) => boolean,
  lagLimitMs: number,
): number {
  const current = Math.floor(now / SECOND) * SECOND;
  const oldest = current - lagLimitMs;
  let end = current;
  // A collector that has sent nothing since `oldest` holds nobody back (see liveLagLimitMs).
  while (end > oldest && !caughtUp(end, oldest)) end -= SECOND;
  return end;
}

/**
 * `time` with its live window ending at `end` (liveEnd), and an `at` window ending no later: the
 * moment just now is live, and a moment is never newer than what has arrived. Ranges are left alone.
 */
export function endingAtLive(time: ResolvedTime, end: number, rateWindowMs: number): ResolvedTime {
  if (time.mode === 'range') return time;
  if (time.mode === 'at' && time.window.end <= end) return time;
  return { ...time, window: rateWindowEndingAt(end, rateWindowMs) };
}

/** The selection resolved as every answer reads it: resolveTime, its live window ending at `liveEnd`. */
export function resolveLiveTime(
  choice: TimeChoice,
  now: number,
  rateWindowMs: number,
  liveEnd: number,
): ResolvedTime {
  return endingAtLive(resolveTime(choice, now, rateWindowMs), liveEnd, rateWindowMs);
}
