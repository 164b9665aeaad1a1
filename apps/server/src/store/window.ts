import type { TimeWindow } from '@weft/protocol';
import { COARSE_MS } from './buckets.js';
import type { Store } from './store.js';

/**
 * Seconds to divide a window's counts by: the part of the window the store has data for, so a rate
 * read 30 s after start is not diluted over 15 minutes (Prometheus' rate() behaves the same way).
 */
export function observedSeconds(store: Store, win: TimeWindow): number {
  if (!Number.isFinite(store.dataStart) || store.dataEnd === 0)
    return Math.max(1, (win.end - win.start) / 1000);
  const start = Math.max(win.start, store.dataStart);
  const end = Math.min(win.end, store.dataEnd);
  if (end <= start) return Math.max(1, (win.end - win.start) / 1000);
  return Math.max(1, (end - start) / 1000);
}

/**
 * The window a query answers exactly from the tiers the store holds: where the 1 s tier no longer
 * reaches (older than `fineFrom`, store.fineFrom()), the window's ends widen to whole minutes, since
 * the 1 min tier can't tell one second of a minute from another. A 10 s moment an hour ago becomes the
 * minute (or two) around it: its rates divide by those minutes' seconds, and the answer's start/end
 * name them, instead of a minute's counts read as 10 seconds' (or nothing at all).
 */
export function tierWindow(win: TimeWindow, fineFrom: number): TimeWindow {
  if (win.start >= fineFrom) return win;
  const start = Math.floor(win.start / COARSE_MS) * COARSE_MS;
  // The end's minute comes from the 1 min tier too when it began before the 1 s tier's reach (as
  // visitWindow reads it).
  const endMinute = Math.floor(win.end / COARSE_MS) * COARSE_MS;
  const end = win.end > endMinute && endMinute < fineFrom ? endMinute + COARSE_MS : win.end;
  return start === win.start && end === win.end ? win : { start, end };
}

/** `n` to `digits` decimals; never NaN or Infinity (answers are JSON numbers), whatever went in. */
export function round(n: number, digits = 3): number {
  if (!Number.isFinite(n)) return n > 0 ? Number.MAX_SAFE_INTEGER : n < 0 ? -Number.MAX_SAFE_INTEGER : 0;
  // 10 ** 3 spelled out for the usual call (tens of thousands per workload graph).
  const f = digits === 3 ? 1000 : 10 ** digits;
  const r = Math.round(n * f) / f;
  return Number.isFinite(r) ? r : n;
}

export function usToMs(us: number | null): number | null {
  return us === null ? null : round(us / 1000);
}
