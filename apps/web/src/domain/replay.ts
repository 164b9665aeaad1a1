import { type FilterState, resolveTime, type TimeChoice } from '@weft/protocol';
import { isoSecond } from './isoSecond.js';

/**
 * Replay: the moment `at` moves forward at a multiple of real time, one frame per REPLAY_FRAME_MS, each
 * frame a REST answer for that moment. Pure stepping here; the hook owns the clock.
 */
export const REPLAY_SPEEDS = [1, 10, 60] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];
export const REPLAY_FRAME_MS = 1_000;

const SECOND = 1_000;

/** Where a replay begins: the current moment, or the start of the range (live: an hour ago). */
export function replayStart(choice: TimeChoice, now: number, rateWindowMs?: number): number {
  const t = resolveTime(choice, now, rateWindowMs);
  if (t.mode === 'at' && t.window.end < Math.min(now, t.range.end) - SECOND) return t.window.end;
  return t.range.start;
}

/**
 * The URL patch that starts a replay: `at` at the start and the range pinned, so the strip under it
 * stays where it is while `at` moves (an `at` alone would re-centre the strip's hour every frame). An
 * open end stays open: the replay then runs until now.
 */
export function replayPatch(state: FilterState, now: number, rateWindowMs?: number): Partial<FilterState> {
  const t = resolveTime(state, now, rateWindowMs);
  const start = replayStart(state, now, rateWindowMs);
  const patch: Partial<FilterState> = { at: isoSecond(start) };
  if (state.from === '') patch.from = isoSecond(t.range.start);
  if (state.to === '' && state.from === '' && t.range.end < now - SECOND) patch.to = isoSecond(t.range.end);
  return patch;
}

/** Where a replay ends: the range's end, or now. */
export function replayEnd(choice: TimeChoice, now: number): number {
  const end = choice.to === '' ? now : Math.min(now, resolveTime(choice, now).range.end);
  return Math.floor(end / SECOND) * SECOND;
}

/**
 * One frame: `elapsedMs` of real time at `speed` moves the moment forward (at least a second, so a
 * slow frame never stalls the replay). Done when it reaches `end`.
 */
export function replayStep(
  current: number,
  speed: number,
  elapsedMs: number,
  end: number,
): { at: number; done: boolean } {
  const advance = Math.max(SECOND, Math.round((speed * elapsedMs) / SECOND) * SECOND);
  const next = Math.floor((current + advance) / SECOND) * SECOND;
  if (next >= end) return { at: end, done: true };
  return { at: next, done: false };
}
