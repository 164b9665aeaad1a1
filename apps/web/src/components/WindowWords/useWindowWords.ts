import { resolveTime, timeMode } from '@weft/protocol';
import { useStatus } from '../../api/queries.js';
import { useUrl } from '../../app/UrlContext.js';
import { endsNow, spanWords, windowLabel } from '../../domain/timeLabel.js';
import { overWords, windowWords } from '../../domain/windowWords.js';

/**
 * The words for a view's two spans: `window`, what its tables and figures are over (live: the rate
 * window; from the answer's start/end when it has them; `over` as a phrase), and `range`, what its
 * charts span.
 */
export function useWindowWords(answer?: { start: number; end: number } | null): {
  window: string;
  over: string;
  range: string;
} {
  const { state } = useUrl();
  const rateWindowS = useStatus().data?.rateWindowS ?? 10;
  const now = Date.now();
  const t = resolveTime(state, now, rateWindowS * 1000);
  const mode = timeMode(state);
  const w = answer ? { mode, start: answer.start, end: answer.end } : { mode, ...t.window };
  const range = endsNow(state)
    ? `last ${spanWords(t.range.end - t.range.start)}`
    : windowLabel(t.range.start, t.range.end, now);
  return { window: windowWords(w, now), over: overWords(w, now), range };
}
