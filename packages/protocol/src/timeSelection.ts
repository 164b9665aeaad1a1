import { resolveTimeExpr, type TimeWindow } from './timeRange.js';

/**
 * The product's one definition of time. Every view, the API and the CLI read a selection made of three
 * optional parameters, `from`, `to` and `at`, and resolve it here:
 * - *live* (none given): rates over the last `rateWindowMs` of complete seconds, ending at the start of
 *   the current second (a second still being filled would read low). This is what the map, the Now
 *   panel and Diagnose answer by default.
 * - *at* (`at=<time>`): the moment T, i.e. the live rate window ending at T.
 * - *range* (`from` and/or `to`): counts and rates over that window.
 * `range` is also the span the timeline shows: the selected window, or (live and at) the last hour
 * around the moment.
 */
export type TimeMode = 'live' | 'at' | 'range';

/** The rate window of live and at, when the server's setting does not say otherwise. */
export const DEFAULT_RATE_WINDOW_MS = 10_000;
/** The timeline's span when no range is selected. */
export const DEFAULT_TIMELINE_MS = 3_600_000;
/** A moment or range end may lie this far past now (node clocks differ a little); further is refused. */
export const MAX_FUTURE_SKEW_MS = 60_000;

export interface TimeChoice {
  from: string;
  to: string;
  at: string;
}

export interface ResolvedTime {
  mode: TimeMode;
  /** The window the answer is computed over (rates divide by its observed seconds). */
  window: TimeWindow;
  /** The span the timeline shows and totals are summed over. */
  range: TimeWindow;
}

const SECOND = 1_000;

export function timeMode(choice: TimeChoice): TimeMode {
  if (choice.at !== '') return 'at';
  if (choice.from !== '' || choice.to !== '') return 'range';
  return 'live';
}

/** The rate window ending at `end`, on whole seconds. */
export function rateWindowEndingAt(end: number, rateWindowMs = DEFAULT_RATE_WINDOW_MS): TimeWindow {
  const e = Math.floor(end / SECOND) * SECOND;
  return { start: e - Math.max(SECOND, rateWindowMs), end: e };
}

/**
 * Resolves a selection against `now`. Never throws: parseFilter has already reported what is invalid
 * (an unusable expression resolves as if it were absent).
 */
export function resolveTime(
  choice: TimeChoice,
  now: number,
  rateWindowMs = DEFAULT_RATE_WINDOW_MS,
): ResolvedTime {
  const mode = timeMode(choice);
  const to = choice.to === '' ? undefined : resolveTimeExpr(choice.to, now);
  const from = choice.from === '' ? undefined : resolveTimeExpr(choice.from, now);
  const rangeEnd = Math.min(to ?? now, now + MAX_FUTURE_SKEW_MS);
  let rangeStart = from ?? rangeEnd - DEFAULT_TIMELINE_MS;
  if (rangeStart >= rangeEnd) rangeStart = rangeEnd - DEFAULT_TIMELINE_MS;
  const range = { start: rangeStart, end: rangeEnd };
  if (mode === 'live') return { mode, window: rateWindowEndingAt(now, rateWindowMs), range };
  if (mode === 'at') {
    const t = Math.min(resolveTimeExpr(choice.at, now) ?? now, now);
    const window = rateWindowEndingAt(t, rateWindowMs);
    if (choice.from !== '' || choice.to !== '') return { mode, window, range };
    // The hour around the moment, as much of it as has happened.
    const end = Math.min(now, t + DEFAULT_TIMELINE_MS / 2);
    return { mode, window, range: { start: end - DEFAULT_TIMELINE_MS, end } };
  }
  return { mode, window: range, range };
}

/**
 * `compare=<from>..<to>` (two time expressions) or `compare=previous`: the baseline window the selected
 * one is compared with. `previous` is the window of the same length just before it.
 */
export function isCompareExpr(expr: string): boolean {
  if (expr === 'previous') return true;
  const parts = expr.split('..');
  return (
    parts.length === 2 &&
    parts.every((p) => p !== '' && resolveTimeExpr(p, 0) !== undefined) &&
    // Both relative or both absolute resolve in order against any now, so checking one now suffices.
    (resolveTimeExpr(parts[0]!, Date.now()) as number) < (resolveTimeExpr(parts[1]!, Date.now()) as number)
  );
}

/** The baseline window for `compare`, or undefined when `compare` is empty or unusable. */
export function resolveCompare(expr: string, selected: TimeWindow, now: number): TimeWindow | undefined {
  if (expr === '') return undefined;
  if (expr === 'previous') {
    const len = selected.end - selected.start;
    return { start: selected.start - len, end: selected.start };
  }
  const parts = expr.split('..');
  if (parts.length !== 2) return undefined;
  const start = resolveTimeExpr(parts[0]!, now);
  const end = resolveTimeExpr(parts[1]!, now);
  if (start === undefined || end === undefined || start >= end) return undefined;
  return { start, end };
}
