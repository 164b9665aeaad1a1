import type { DiagnosePeriod, DiagnoseVerdict } from '@weft/protocol';
import { momentLabel, spanWords, type TimeLabelOptions, windowLabel } from './timeLabel.js';
import { type AnswerWindow, windowWords } from './windowWords.js';

/**
 * The pair's history (Diagnose's `history`: failing / healthy / no_traffic periods, oldest first) as a
 * strip: each period's place and width in percent of the span, and the sentence an operator wants
 * ("failing since 10:14:05 today", "recovered at 10:20:00 today").
 */
export interface StripSegment extends DiagnosePeriod {
  /** Percent of the strip's width. */
  left: number;
  width: number;
}

export function stripSegments(history: readonly DiagnosePeriod[]): StripSegment[] {
  if (history.length === 0) return [];
  const start = history[0]!.start;
  const end = Math.max(start + 1, history[history.length - 1]!.end);
  const pct = (t: number) => ((Math.min(end, Math.max(start, t)) - start) / (end - start)) * 100;
  return history.map((p) => ({ ...p, left: pct(p.start), width: pct(p.end) - pct(p.start) }));
}

/** One period in words: "failing 10:14:05 – 10:20:00 today (6 min)". */
export function periodWords(p: DiagnosePeriod, now: number, opts: TimeLabelOptions = {}): string {
  const state = p.state === 'no_traffic' ? 'no traffic' : p.state;
  return `${state} ${windowLabel(p.start, p.end, now, opts)} (${spanWords(p.end - p.start)})`;
}

/** The history's headline: when the pair started failing, or when it recovered. */
export function historySentence(
  history: readonly DiagnosePeriod[],
  now: number,
  opts: TimeLabelOptions = {},
): string {
  const last = history[history.length - 1];
  if (!last) return 'No history for this pair in the range.';
  let lastFailing: DiagnosePeriod | undefined;
  for (const p of history) if (p.state === 'failing') lastFailing = p;
  if (last.state === 'failing') return `Failing since ${momentLabel(last.start, now, opts)}.`;
  if (!lastFailing)
    return last.state === 'healthy' ? 'Not failing at any time in the range.' : 'No traffic in the range.';
  const recovered = `Recovered at ${momentLabel(lastFailing.end, now, opts)} (failed for ${spanWords(lastFailing.end - lastFailing.start)})`;
  return last.state === 'healthy'
    ? `${recovered}.`
    : `${recovered}; no traffic since ${momentLabel(last.start, now, opts)}.`;
}

/**
 * The moment a click on a period looks at: the middle of it, but late enough that the whole rate window
 * ending there lies inside it (a verdict at that moment is the period's own).
 */
export function periodMoment(p: DiagnosePeriod, rateWindowMs: number): number {
  const mid = (p.start + p.end) / 2;
  return Math.min(p.end, Math.max(mid, p.start + rateWindowMs));
}

const FAILING: readonly DiagnoseVerdict[] = [
  'blocked',
  'dropped',
  'dns_failure',
  'refused',
  'timeout',
  'reset',
];

/**
 * The verdict's state with its window: "failing now (last 10 s)", "healthy at 10:14:05 today (the 10 s
 * before it)".
 */
export function verdictWhen(
  verdict: DiagnoseVerdict,
  w: AnswerWindow,
  now: number,
  opts: TimeLabelOptions = {},
): string {
  const state = FAILING.includes(verdict)
    ? 'failing'
    : verdict === 'no_traffic'
      ? 'no traffic'
      : verdict.replace('_', ' ');
  if (w.mode === 'live') return `${state} now (${windowWords(w, now, opts)})`;
  if (w.mode === 'at')
    return `${state} at ${momentLabel(w.end, now, opts)} (the ${spanWords(w.end - w.start)} before it)`;
  return `${state} over ${windowWords(w, now, opts)}`;
}
