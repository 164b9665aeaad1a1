import type { TimeWindow } from '@weft/protocol';

/** Steps the timeline may use, in seconds: whole minutes from 60 on, so the 1 min tier answers them. */
export const TIMELINE_STEPS_S = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];
/** Points at most: a strip a screen wide has no use for more (about one per 2 px on a wide screen). */
export const MAX_TIMELINE_POINTS = 720;

export interface TimelineGrid {
  /** Seconds between points. */
  stepS: number;
  /** First point's start (ms); point i covers [start + i * step, start + (i + 1) * step). */
  start: number;
  /** Points: every one a complete step inside the range. */
  count: number;
  /** Whether the 1 s tier answers (else the 1 min tier: the step is whole minutes). */
  fine: boolean;
}

/**
 * The points of a timeline over `range`: the smallest step giving at most MAX_TIMELINE_POINTS, at least
 * a minute when the 1 s tier (which reaches back to `fineFrom`) does not cover the range. Points sit on
 * multiples of the step (so a refresh a second later moves no point's edges) and lie inside the range,
 * the last one ending at or before `newest` (the newest complete second): no dip to zero at now.
 */
export function timelineGrid(range: TimeWindow, fineFrom: number, newest: number): TimelineGrid {
  const spanS = Math.max(1, (range.end - range.start) / 1000);
  const fine = range.start >= fineFrom;
  const stepS =
    TIMELINE_STEPS_S.find((s) => spanS / s <= MAX_TIMELINE_POINTS && (fine || s >= 60)) ??
    TIMELINE_STEPS_S[TIMELINE_STEPS_S.length - 1]!;
  const stepMs = stepS * 1000;
  const start = Math.ceil(range.start / stepMs) * stepMs;
  const end = Math.floor(Math.min(range.end, newest) / stepMs) * stepMs;
  return { stepS, start, count: Math.max(0, (end - start) / stepMs), fine: stepS < 60 };
}
