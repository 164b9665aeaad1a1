import { resolveTime, type TimeChoice, type TimeMode, timeMode } from '@weft/protocol';

/**
 * The web's time words, the one place each is said: a day ("today", "Sat 5 Dec"), a clock time, a moment
 * ("10:14:05 today"), a window ("10:14 – 10:29 today", "yesterday 23:10 – 00:10"), a length ("15 min"),
 * and the whole selection ("Live · last 10 s", "At 10:14:05 today"). Never raw ISO: the URL keeps the
 * exact value, people read these. Times are in the browser's locale and time zone unless the caller
 * names others (tests do). What an answer's numbers are over is built on these in windowWords.ts.
 */
export interface TimeLabelOptions {
  locale?: string;
  timeZone?: string;
}

const DAY_MS = 86_400_000;

/**
 * One Intl.DateTimeFormat per locale and options: making one costs about a millisecond, and labels
 * are made on every live update.
 */
const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string | undefined, o: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(o)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, o);
    formats.set(key, f);
  }
  return f;
}

/** Calendar day of `ms` in the time zone, as a comparable number (yyyymmdd). */
function dayKey(ms: number, timeZone: string | undefined): number {
  const parts = dateFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(ms);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return get('year') * 10_000 + get('month') * 100 + get('day');
}

/** The day before a yyyymmdd key, on the calendar (DST days are not 24 h long, calendars are). */
function previousDay(key: number): number {
  const d = new Date(Date.UTC(Math.floor(key / 10_000), (Math.floor(key / 100) % 100) - 1, (key % 100) - 1));
  return d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

/** "today", "yesterday", or the date ("Mon 30 Nov", with the year when it is not this year's). */
export function dayWord(ms: number, now: number, opts: TimeLabelOptions = {}): string {
  const day = dayKey(ms, opts.timeZone);
  const today = dayKey(now, opts.timeZone);
  if (day === today) return 'today';
  if (day === previousDay(today)) return 'yesterday';
  const sameYear = Math.floor(day / 10_000) === Math.floor(today / 10_000);
  return dateFormat(opts.locale, {
    timeZone: opts.timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: sameYear ? undefined : 'numeric',
  })
    .format(ms)
    .replace(',', '');
}

/** Wall-clock time in the locale's style: "10:14" or "10:14:05" (en-GB), "10:14 AM" (en-US). */
export function clockTime(ms: number, seconds: boolean, opts: TimeLabelOptions = {}): string {
  return dateFormat(opts.locale, {
    timeZone: opts.timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: seconds ? '2-digit' : undefined,
  }).format(ms);
}

/** A moment: "10:14:05 today". */
export function momentLabel(ms: number, now: number, opts: TimeLabelOptions = {}): string {
  return `${clockTime(ms, true, opts)} ${dayWord(ms, now, opts)}`;
}

/** Windows shorter than this show seconds: a drag-selected minute must not read "10:14 – 10:14". */
const SECONDS_BELOW_MS = 10 * 60_000;

/**
 * A window: "10:14 – 10:29 today"; across midnight "yesterday 23:10 – 00:10" (a window under a day
 * that crosses midnight can only end the next day); longer, both days are named.
 */
export function windowLabel(start: number, end: number, now: number, opts: TimeLabelOptions = {}): string {
  const seconds = end - start < SECONDS_BELOW_MS;
  const a = clockTime(start, seconds, opts);
  const b = clockTime(end, seconds, opts);
  const dayA = dayWord(start, now, opts);
  // The end is exclusive: a window ending exactly at midnight belongs to the day it covers.
  const dayB = dayWord(Math.max(start, end - 1), now, opts);
  if (dayA === dayB) return `${a} – ${b} ${dayA}`;
  if (end - start < DAY_MS) return `${dayA} ${a} – ${b}`;
  return `${dayA} ${a} – ${dayWord(end, now, opts)} ${b}`;
}

/** A length: "10 s", "5 min", "90 min", "2 h 30 min", "3 d". */
export function spanWords(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  return `${Math.round(h / 24)} d`;
}

const UNIT_WORDS = { s: 's', m: 'min', h: 'h', d: 'd' } as const;

/** "now-15m" -> "15 min", in the unit it was written in ("now-1h" is "1 h"); undefined for anything else. */
export function relativeSpan(expr: string): string | undefined {
  const m = /^now-(\d+)([smhd])$/.exec(expr);
  return m ? `${m[1]} ${UNIT_WORDS[m[2] as keyof typeof UNIT_WORDS]}` : undefined;
}

/**
 * Whether the selection's range ends now (live, or `now-...` up to now): it is then said by its length
 * ("last 15 min"), since its clock times change every second.
 */
export function endsNow(choice: TimeChoice): boolean {
  const mode = timeMode(choice);
  if (mode === 'live') return true;
  return (
    mode === 'range' && relativeSpan(choice.from) !== undefined && (choice.to === '' || choice.to === 'now')
  );
}

export interface SelectionLabel {
  mode: TimeMode;
  /** Short word for the badge. */
  badge: string;
  /** What is shown, in words. */
  text: string;
}

/** The whole selection in words. `paused` only matters in live mode (the client holds the last answer). */
export function selectionLabel(
  choice: TimeChoice,
  now: number,
  rateWindowS: number,
  opts: TimeLabelOptions & { paused?: boolean; pausedAt?: number } = {},
): SelectionLabel {
  const mode = timeMode(choice);
  if (mode === 'live') {
    if (opts.paused) {
      const when = opts.pausedAt === undefined ? '' : ` at ${momentLabel(opts.pausedAt, now, opts)}`;
      return { mode, badge: 'Paused', text: `Paused${when} · last ${rateWindowS} s` };
    }
    return { mode, badge: 'Live', text: `Live · last ${rateWindowS} s` };
  }
  const resolved = resolveTime(choice, now, rateWindowS * 1000);
  if (mode === 'at') return { mode, badge: 'At', text: `At ${momentLabel(resolved.window.end, now, opts)}` };
  if (endsNow(choice)) return { mode, badge: 'Range', text: `Last ${relativeSpan(choice.from)}` };
  return { mode, badge: 'Range', text: windowLabel(resolved.range.start, resolved.range.end, now, opts) };
}
