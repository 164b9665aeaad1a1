import type { FilterState } from '@weft/protocol';
import { apiParams } from './focus.js';
import { selectionRange } from './selectionRange.js';

/**
 * The timeline request for a selection. The strip spans the selection's range, not its moment, so `at`
 * is not sent: moving the moment (a click, a replay frame, an arrow key) costs no timeline request.
 */
export function timelineParams(state: FilterState, now: number): URLSearchParams {
  const p = apiParams(state);
  p.delete('at');
  p.delete('compare');
  const range = selectionRange(state, now);
  p.set('from', range.from);
  p.set('to', range.to);
  return p;
}
