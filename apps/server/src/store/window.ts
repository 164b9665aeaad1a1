import type { TimeWindow } from '@weft/protocol';
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

/** `n` to `digits` decimals; never NaN or Infinity (answers are JSON numbers), whatever went in. */
export function round(n: number, digits = 3): number {
  if (!Number.isFinite(n)) return n > 0 ? Number.MAX_SAFE_INTEGER : n < 0 ? -Number.MAX_SAFE_INTEGER : 0;
  const f = 10 ** digits;
  const r = Math.round(n * f) / f;
  return Number.isFinite(r) ? r : n;
}

export function usToMs(us: number | null): number | null {
  return us === null ? null : round(us / 1000);
}
