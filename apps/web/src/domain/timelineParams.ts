import { type FilterState, resolveTime } from '@weft/protocol';
import { apiParams } from './focus.js';
import { isoSecond } from './isoSecond.js';

/**
 * The timeline request for a selection. The strip spans the selection's range, not its moment, so `at`
 * is not sent: moving the moment (a click, a replay frame, an arrow key) costs no timeline request. A
 * lone `at` spans the hour around it; that hour is sent as from/to, relative when it reaches now so
 * the request (and its cache key) does not change every second.
 */
export function timelineParams(state: FilterState, now: number): URLSearchParams {
  const p = apiParams(state);
  p.delete('at');
  p.delete('compare');
  if (state.at !== '' && state.from === '' && state.to === '') {
    const range = resolveTime(state, now).range;
    const open = range.end >= now - 1_000;
    p.set('from', open ? 'now-1h' : isoSecond(range.start));
    p.set('to', open ? '' : isoSecond(range.end));
  }
  return p;
}

/** Whether a selection's answers move with now: live, or a range whose end is relative (`now-...`). */
export function followsNow(state: Pick<FilterState, 'from' | 'to' | 'at'>): boolean {
  return state.at === '' && (state.to === '' || state.to.startsWith('now'));
}
