import type { TimeWindow } from './timeRange.js';
import type { TimeMode } from './timeSelection.js';

/**
 * A window said in plain words, so every answer (Diagnose's summary, the CLI's tables) names the time it
 * was computed over the same way: "over the last 10 s", "over the 10 s up to 10:14:05 UTC",
 * "from 09:00:00 to 10:00:00 UTC". Times are UTC: the server and the CLI may not share the reader's zone.
 */
export function durationInWords(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const parts: string[] = [];
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m && !d) parts.push(`${m} min`);
  if (sec && !d && !h) parts.push(`${sec} s`);
  return parts.join(' ');
}

/** `10:14:05` on the day of `now` (UTC), `2026-11-27 10:14:05` on another. */
export function clockInWords(t: number, now: number): string {
  const iso = new Date(t).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return sameDay ? iso.slice(11, 19) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** A window ending this close to now is "the last ..." (the live window ends at the last whole second). */
const NOW_SLACK_MS = 2_000;

export function windowInWords(mode: TimeMode, window: TimeWindow, now: number): string {
  const length = durationInWords(window.end - window.start);
  if (mode === 'live' || (mode === 'range' && now - window.end <= NOW_SLACK_MS))
    return `over the last ${length}`;
  if (mode === 'at') return `over the ${length} up to ${clockInWords(window.end, now)} UTC`;
  return `from ${clockInWords(window.start, now)} to ${clockInWords(window.end, now)} UTC`;
}
