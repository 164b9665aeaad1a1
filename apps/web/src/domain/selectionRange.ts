import { type FilterState, resolveTime } from '@weft/protocol';
import { isoSecond } from './isoSecond.js';

/**
 * The selection's range as `from`/`to`, without its moment: what the timeline and the edge's totals
 * span. A lone `at` spans the hour around it, sent relative while that hour reaches now, so the request
 * (and its cache key) does not change every second; any other selection keeps its own from/to.
 */
export function selectionRange(state: FilterState, now: number): Pick<FilterState, 'from' | 'to'> {
  if (state.at === '' || state.from !== '' || state.to !== '') return { from: state.from, to: state.to };
  const range = resolveTime(state, now).range;
  return range.end >= now - 1_000
    ? { from: 'now-1h', to: '' }
    : { from: isoSecond(range.start), to: isoSecond(range.end) };
}

/** Whether a selection's answers move with now: live, or a range whose end is relative (`now-...`). */
export function followsNow(state: Pick<FilterState, 'from' | 'to' | 'at'>): boolean {
  return state.at === '' && (state.to === '' || state.to.startsWith('now'));
}
