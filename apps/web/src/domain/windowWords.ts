import type { TimeMode } from '@weft/protocol';

/**
 * Which window an answer's numbers are over, in words, from the answer's own mode/start/end: "last
 * 10 s" (live), "the 10 s before 10:14:05" (at), "10:14 – 10:29 today" (range). Human local times,
 * never ISO. The timeline's labels (timeLabel.ts) are the timeline's own; this one names windows.
 */
export interface AnswerWindow {
  mode: TimeMode;
  start: number;
  end: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

function dayStart(ts: number): number {
  const d = new Date(ts);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "today", "yesterday" or "Dec 5" (with the year when it is not this year's). */
export function dayWords(ts: number, now: number): string {
  const days = Math.round((dayStart(now) - dayStart(ts)) / 86_400_000);
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  const d = new Date(ts);
  const year = d.getFullYear() === new Date(now).getFullYear() ? '' : ` ${d.getFullYear()}`;
  return `${MONTHS[d.getMonth()]} ${d.getDate()}${year}`;
}

/** Local clock time: seconds only when they are not :00 (or `seconds` insists). */
export function clock(ts: number, seconds = false): string {
  const d = new Date(ts);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return seconds || d.getSeconds() !== 0 ? `${hm}:${pad(d.getSeconds())}` : hm;
}

/** A moment: "10:14:05" today, "yesterday 10:14:05", "Dec 5 10:14:05". */
export function momentWords(ts: number, now: number, seconds = true): string {
  const day = dayWords(ts, now);
  return day === 'today' ? clock(ts, seconds) : `${day} ${clock(ts, seconds)}`;
}

/** "10 s", "5 min", "1 h", "1 h 30 min", "2 d". */
export function spanWords(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  return `${Math.round(h / 24)} d`;
}

/** A range: "10:14 – 10:29 today", "yesterday 23:50 – 00:10 today". */
export function rangeWords(start: number, end: number, now: number): string {
  const sd = dayWords(start, now);
  const ed = dayWords(end, now);
  const seconds = end - start < 120_000;
  if (sd === ed) return `${clock(start, seconds)} – ${clock(end, seconds)} ${ed}`;
  return `${sd} ${clock(start, seconds)} – ${clock(end, seconds)} ${ed}`;
}

/** The window in words, as the headline of numbers over it. */
export function windowWords(w: AnswerWindow, now: number): string {
  const len = w.end - w.start;
  if (w.mode === 'live') return `last ${spanWords(len)}`;
  if (w.mode === 'at') return `the ${spanWords(len)} before ${momentWords(w.end, now)}`;
  return rangeWords(w.start, w.end, now);
}

/** "over the last 10 s", "over the 10 s before 10:14:05", "over 10:14 – 10:29 today". */
export function overWords(w: AnswerWindow, now: number): string {
  return w.mode === 'range'
    ? `over ${windowWords(w, now)}`
    : `over the ${windowWords(w, now).replace(/^the /, '')}`;
}

/** "now" for live, "at 10:14:05" for a moment, "over 10:14 – 10:29 today" for a range. */
export function whenWords(w: AnswerWindow, now: number): string {
  if (w.mode === 'live') return 'now';
  if (w.mode === 'at') return `at ${momentWords(w.end, now)}`;
  return `over ${rangeWords(w.start, w.end, now)}`;
}

/** An instant for the URL's `at`: RFC 3339 to the second, as the picker writes it. */
export function atParam(ts: number): string {
  return new Date(Math.floor(ts / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
