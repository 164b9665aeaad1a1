import type { TimeMode } from '@weft/protocol';
import { momentLabel, spanWords, type TimeLabelOptions, windowLabel } from './timeLabel.js';

/**
 * Which window an answer's numbers are over, in words, from the answer's own mode/start/end: "last
 * 10 s" (live), "the 10 s before 10:14:05 today" (at), "10:14 – 10:29 today" (range). Built on the
 * time words of timeLabel.ts, so the map, panels, Diagnose and alerts say times as the timeline does.
 */
export interface AnswerWindow {
  mode: TimeMode;
  start: number;
  end: number;
}

/** The window in words, as the headline of numbers over it. */
export function windowWords(w: AnswerWindow, now: number, opts: TimeLabelOptions = {}): string {
  const len = w.end - w.start;
  if (w.mode === 'live') return `last ${spanWords(len)}`;
  if (w.mode === 'at') return `the ${spanWords(len)} before ${momentLabel(w.end, now, opts)}`;
  return windowLabel(w.start, w.end, now, opts);
}

/** "over the last 10 s", "over the 10 s before 10:14:05 today", "over 10:14 – 10:29 today". */
export function overWords(w: AnswerWindow, now: number, opts: TimeLabelOptions = {}): string {
  return w.mode === 'range'
    ? `over ${windowWords(w, now, opts)}`
    : `over the ${windowWords(w, now, opts).replace(/^the /, '')}`;
}
