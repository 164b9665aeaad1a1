import { DEFAULT_TIMELINE_MS, type FilterState, timeMode } from '@weft/protocol';
import { selectionRange } from './selectionRange.js';
import { endsNow, spanWords, type TimeLabelOptions, windowLabel } from './timeLabel.js';

/**
 * The question for one edge's totals over the selection's range (the edge panel shows them beside the
 * rates of the window): the same filter with the edge as focus and the range as from/to. Live, the range
 * stays relative (`now-60m`), so its query key does not change every second.
 */
export function edgeTotalsState(state: FilterState, edgeId: string, now: number): FilterState {
  const base = { ...state, focus: edgeId, at: '', compare: '' };
  if (timeMode(state) === 'live') return { ...base, from: `now-${DEFAULT_TIMELINE_MS / 60_000}m`, to: '' };
  return { ...base, ...selectionRange(state, now) };
}

/** The totals' heading: "Totals over the last 60 min" live, "Totals over 09:00 – 10:00 today" otherwise. */
export function totalsWords(
  state: FilterState,
  span: { start: number; end: number },
  now: number,
  opts: TimeLabelOptions = {},
): string {
  if (endsNow(state)) return `Totals over the last ${spanWords(span.end - span.start)}`;
  return `Totals over ${windowLabel(span.start, span.end, now, opts)}`;
}
