import { describe, expect, it } from 'vitest';
import {
  clockTime,
  dayWord,
  endsNow,
  momentLabel,
  relativeSpan,
  selectionLabel,
  spanWords,
  windowLabel,
} from './timeLabel.js';

const GB_BERLIN = { locale: 'en-GB', timeZone: 'Europe/Berlin' };
// 2026-12-07 10:30:00 in Berlin (UTC+1 in winter).
const NOW = Date.parse('2026-12-07T09:30:00Z');
const berlin = (local: string) => Date.parse(`${local}+01:00`);
const choice = (c: Partial<{ from: string; to: string; at: string }>) => ({ from: '', to: '', at: '', ...c });

describe('dayWord', () => {
  it('says today and yesterday by the calendar of the time zone, not by 24 h', () => {
    expect(dayWord(berlin('2026-12-07T00:00:01'), NOW, GB_BERLIN)).toBe('today');
    expect(dayWord(berlin('2026-12-06T23:59:59'), NOW, GB_BERLIN)).toBe('yesterday');
    expect(dayWord(berlin('2026-12-06T00:00:00'), NOW, GB_BERLIN)).toBe('yesterday');
    expect(dayWord(berlin('2026-12-05T23:59:59'), NOW, GB_BERLIN)).toBe('Sat 5 Dec');
  });
  it('names the year only when it is not this one', () => {
    expect(dayWord(berlin('2025-11-30T12:00:00'), NOW, GB_BERLIN)).toBe('Sun 30 Nov 2025');
    expect(dayWord(berlin('2025-01-02T12:00:00'), NOW, GB_BERLIN)).toBe('Thu 2 Jan 2025');
  });
  it('the same instant is today in one zone and yesterday in another', () => {
    const t = Date.parse('2026-12-07T03:00:00Z');
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(dayWord(t, now, { timeZone: 'Europe/Berlin' })).toBe('today');
    expect(dayWord(t, now, { timeZone: 'America/New_York' })).toBe('yesterday');
  });
  it('yesterday across a DST change is the previous calendar day', () => {
    // 2026-03-29 is 23 h long in Berlin: 24 h before 00:30 on the 30th is still the 28th.
    const now = Date.parse('2026-03-30T00:30:00+02:00');
    expect(dayWord(Date.parse('2026-03-29T00:10:00+01:00'), now, GB_BERLIN)).toBe('yesterday');
    expect(dayWord(Date.parse('2026-03-28T23:50:00+01:00'), now, GB_BERLIN)).toBe('Sat 28 Mar');
  });
});

describe('clockTime', () => {
  it('two-digit hours and minutes; seconds only when asked', () => {
    expect(clockTime(berlin('2026-12-07T08:05:00'), false, GB_BERLIN)).toBe('08:05');
    expect(clockTime(berlin('2026-12-07T08:05:00'), true, GB_BERLIN)).toBe('08:05:00');
  });
});

describe('momentLabel and windowLabel', () => {
  it('a moment to the second', () => {
    expect(momentLabel(berlin('2026-12-07T10:14:05'), NOW, GB_BERLIN)).toBe('10:14:05 today');
  });
  it('a window within one day names the day once', () => {
    expect(windowLabel(berlin('2026-12-07T10:14:00'), berlin('2026-12-07T10:29:00'), NOW, GB_BERLIN)).toBe(
      '10:14 – 10:29 today',
    );
  });
  it('a window across midnight under a day names the start day only', () => {
    expect(windowLabel(berlin('2026-12-06T23:10:00'), berlin('2026-12-07T00:10:00'), NOW, GB_BERLIN)).toBe(
      'yesterday 23:10 – 00:10',
    );
  });
  it('a window ending exactly at midnight belongs to its day', () => {
    expect(windowLabel(berlin('2026-12-06T22:00:00'), berlin('2026-12-07T00:00:00'), NOW, GB_BERLIN)).toBe(
      '22:00 – 00:00 yesterday',
    );
  });
  it('a day or longer names both days', () => {
    expect(windowLabel(berlin('2026-12-06T10:00:00'), berlin('2026-12-07T10:00:00'), NOW, GB_BERLIN)).toBe(
      'yesterday 10:00 – today 10:00',
    );
  });
  it('short windows keep their seconds', () => {
    expect(windowLabel(berlin('2026-12-07T10:14:20'), berlin('2026-12-07T10:15:40'), NOW, GB_BERLIN)).toBe(
      '10:14:20 – 10:15:40 today',
    );
  });
  it('follows the locale: 12-hour clocks in en-US', () => {
    const t = berlin('2026-12-07T15:04:05');
    expect(momentLabel(t, NOW, { locale: 'en-US', timeZone: 'Europe/Berlin' })).toBe('03:04:05 PM today');
  });
});

describe('selectionLabel', () => {
  it('live names the rate window; paused says so', () => {
    expect(selectionLabel(choice({}), NOW, 10, GB_BERLIN)).toEqual({
      mode: 'live',
      badge: 'Live',
      text: 'Live · last 10 s',
    });
    expect(
      selectionLabel(choice({}), NOW, 10, {
        ...GB_BERLIN,
        paused: true,
        pausedAt: berlin('2026-12-07T10:29:50'),
      }).text,
    ).toBe('Paused at 10:29:50 today · last 10 s');
  });
  it('at is the moment, on the whole second the rate window ends on', () => {
    const l = selectionLabel(choice({ at: '2026-12-07T09:14:05.600Z' }), NOW, 10, GB_BERLIN);
    expect(l).toEqual({ mode: 'at', badge: 'At', text: 'At 10:14:05 today' });
  });
  it('a relative range ending now reads "Last ..."; any other range as its window', () => {
    expect(selectionLabel(choice({ from: 'now-15m' }), NOW, 10, GB_BERLIN).text).toBe('Last 15 min');
    expect(selectionLabel(choice({ from: 'now-24h', to: 'now' }), NOW, 10, GB_BERLIN).text).toBe('Last 24 h');
    expect(selectionLabel(choice({ from: 'now-2h', to: 'now-1h' }), NOW, 10, GB_BERLIN).text).toBe(
      '08:30 – 09:30 today',
    );
    expect(
      selectionLabel(choice({ from: '2026-12-06T22:10:00Z', to: '2026-12-06T23:10:00Z' }), NOW, 10, GB_BERLIN)
        .text,
    ).toBe('yesterday 23:10 – 00:10');
  });
  it('never shows raw ISO', () => {
    for (const c of [
      choice({ at: '2026-12-01T09:14:05Z' }),
      choice({ from: '2026-12-01T09:14:05Z' }),
      choice({ from: '2026-11-01T09:14:05Z', to: '2026-12-01T09:14:05Z' }),
    ]) {
      expect(selectionLabel(c, NOW, 10, GB_BERLIN).text).not.toMatch(/\d{4}-\d{2}-\d{2}|T\d{2}:|Z\b/);
    }
  });
});

describe('spanWords', () => {
  it('says a length in the largest unit that reads well', () => {
    expect(spanWords(10_000)).toBe('10 s');
    expect(spanWords(15 * 60_000)).toBe('15 min');
    expect(spanWords(3 * 3_600_000)).toBe('3 h');
    expect(spanWords(90 * 60_000)).toBe('90 min');
    expect(spanWords(150 * 60_000)).toBe('2 h 30 min');
    expect(spanWords(3 * 86_400_000)).toBe('3 d');
  });
});

describe('endsNow', () => {
  it('live and relative ranges up to now are said by their length; anything else by its times', () => {
    expect(endsNow(choice({}))).toBe(true);
    expect(endsNow(choice({ from: 'now-15m' }))).toBe(true);
    expect(endsNow(choice({ from: 'now-15m', to: 'now' }))).toBe(true);
    expect(endsNow(choice({ from: 'now-2h', to: 'now-1h' }))).toBe(false);
    expect(endsNow(choice({ from: '2026-12-07T09:00:00Z' }))).toBe(false);
    expect(endsNow(choice({ at: '2026-12-07T09:00:00Z' }))).toBe(false);
  });
});

describe('relativeSpan', () => {
  it('spells the unit', () => {
    expect(relativeSpan('now-5m')).toBe('5 min');
    expect(relativeSpan('now-6h')).toBe('6 h');
    expect(relativeSpan('now-30s')).toBe('30 s');
    expect(relativeSpan('now-2d')).toBe('2 d');
    expect(relativeSpan('now')).toBeUndefined();
    expect(relativeSpan('2026-12-07T09:14:05Z')).toBeUndefined();
  });
});
