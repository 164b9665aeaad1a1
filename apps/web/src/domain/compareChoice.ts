import { type FilterState, resolveTime } from '@weft/protocol';
import { isoSecond } from './isoSecond.js';
import { followsNow } from './selectionRange.js';

/**
 * The map's "compare with" choices as `compare=` expressions: the window just before the selected one
 * (`previous`), or the same window an hour or a day earlier. While the selection follows now (live, or
 * a range relative to now), the baseline is relative too, so it moves with it.
 */
export type CompareChoice = 'off' | 'previous' | 'hour' | 'day' | 'custom';

export const COMPARE_CHOICES: { value: Exclude<CompareChoice, 'custom'>; label: string }[] = [
  { value: 'off', label: 'No comparison' },
  { value: 'previous', label: 'Compare with the previous window' },
  { value: 'hour', label: 'Compare with 1 h earlier' },
  { value: 'day', label: 'Compare with 1 day earlier' },
];

const OFFSET_S = { hour: 3600, day: 86_400 } as const;

export function compareExpr(
  choice: Exclude<CompareChoice, 'custom'>,
  state: FilterState,
  now: number,
  rateWindowMs: number,
): string {
  if (choice === 'off') return '';
  if (choice === 'previous') return 'previous';
  const off = OFFSET_S[choice];
  const w = resolveTime(state, now, rateWindowMs).window;
  if (followsNow(state)) {
    // Whole seconds on both sides, so the expression does not flip with the fraction of now's second.
    const ago = (t: number) => Math.max(0, Math.floor(now / 1000) - Math.floor(t / 1000)) + off;
    return `now-${ago(w.start)}s..now-${ago(w.end)}s`;
  }
  return `${isoSecond(w.start - off * 1000)}..${isoSecond(w.end - off * 1000)}`;
}

/** Which choice a `compare=` value is (a hand-written window is `custom`). */
export function compareChoiceOf(
  expr: string,
  state: FilterState,
  now: number,
  rateWindowMs: number,
): CompareChoice {
  if (expr === '') return 'off';
  if (expr === 'previous') return 'previous';
  for (const c of ['hour', 'day'] as const) if (compareExpr(c, state, now, rateWindowMs) === expr) return c;
  return 'custom';
}
