import { type IngestHello, resolveTime } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { CollectorRegistry } from '../ingest/collectorRegistry.js';
import { endingAtLive, liveEnd, liveLagLimitMs } from './liveEnd.js';

const S = Date.parse('2026-11-27T10:00:00Z');
const hello = (node: string): IngestHello => ({
  type: 'hello',
  protocol: 3,
  node,
  boot: `${node}-boot`,
  collectorVersion: 'test',
  hooks: [],
  simulated: false,
});
const LIMIT = liveLagLimitMs(1_000);
const endOf = (r: CollectorRegistry, now: number) =>
  liveEnd(now, (t, behind) => r.caughtUp(t, behind), LIMIT);

/** Two collectors that closed their intervals on every second up to `upTo` (a few ms after each). */
function registry(upTo: number): CollectorRegistry {
  const r = new CollectorRegistry();
  r.connect(hello('a'), S - 60_000);
  r.connect(hello('b'), S - 60_000);
  for (let t = S - 30_000; t <= upTo; t += 1_000) {
    r.batch('a', t + 4, 0, t + 20);
    r.batch('b', t + 9, 0, t + 40);
  }
  return r;
}

describe('liveEnd', () => {
  it('is the start of the current second once every collector delivered the second before it', () => {
    expect(endOf(registry(S + 12_000), S + 12_300)).toBe(S + 12_000);
  });

  it('stays a second back while a collector has not yet delivered the second just ended', () => {
    const r = registry(S + 11_000);
    // 12.003 s: the intervals closed at 12 s have not arrived; the newest second all of them hold is 11.
    expect(endOf(r, S + 12_003)).toBe(S + 11_000);
    r.batch('a', S + 12_004, 0, S + 12_010);
    expect(endOf(r, S + 12_011)).toBe(S + 11_000);
    r.batch('b', S + 12_009, 0, S + 12_015);
    expect(endOf(r, S + 12_016)).toBe(S + 12_000);
  });

  it('lets a collector behind by more than the lag limit hold nobody back', () => {
    const r = registry(S + 12_000);
    r.connect(hello('stalled'), S);
    r.batch('stalled', S + 5_000, 0, S + 5_100);
    expect(endOf(r, S + 12_300)).toBe(S + 12_000);
    // One that has sent nothing yet is left out too.
    r.connect(hello('new'), S + 12_100);
    expect(endOf(r, S + 12_300)).toBe(S + 12_000);
  });

  it('is never further back than the lag limit', () => {
    const r = registry(S + 12_000);
    // b falls one second behind at 13 s, then stops: live waits for it a second, then goes on.
    r.batch('a', S + 13_004, 0, S + 13_020);
    r.batch('a', S + 14_004, 0, S + 14_020);
    expect(endOf(r, S + 14_100)).toBe(S + 12_000);
    r.batch('b', S + 13_009, 0, S + 13_030);
    expect(endOf(r, S + 14_100)).toBe(S + 13_000);
    // b stops at 13 s: at 15.5 s live waits for it as long as it may (2 s), at 16.5 s it is left out.
    r.batch('a', S + 15_004, 0, S + 15_020);
    expect(endOf(r, S + 15_500)).toBe(S + 13_000);
    expect(endOf(r, S + 16_500)).toBe(S + 15_000);
    expect(liveEnd(S + 15_500, () => false, LIMIT)).toBe(S + 15_000 - LIMIT);
  });

  it('is the start of the current second with no collector connected', () => {
    expect(endOf(new CollectorRegistry(), S + 12_999)).toBe(S + 12_000);
  });

  it('allows two collector intervals of lag, at least 2 s', () => {
    expect(liveLagLimitMs(1_000)).toBe(2_000);
    expect(liveLagLimitMs(250)).toBe(2_000);
    expect(liveLagLimitMs(5_000)).toBe(10_000);
  });
});

describe('endingAtLive', () => {
  const none = { from: '', to: '', at: '' };
  const now = S + 12_400;

  it('ends the live window at the live end', () => {
    const t = endingAtLive(resolveTime(none, now, 10_000), S + 11_000, 10_000);
    expect(t.mode).toBe('live');
    expect(t.window).toEqual({ start: S + 1_000, end: S + 11_000 });
  });

  it('ends a moment newer than what has arrived at the live end, and leaves older ones and ranges', () => {
    const at = (expr: string) =>
      endingAtLive(resolveTime({ ...none, at: expr }, now, 10_000), S + 11_000, 10_000);
    expect(at('now').window).toEqual({ start: S + 1_000, end: S + 11_000 });
    expect(at('now-5s').window).toEqual({ start: S - 3_000, end: S + 7_000 });
    const range = resolveTime({ ...none, from: 'now-5m' }, now, 10_000);
    expect(endingAtLive(range, S + 11_000, 10_000)).toBe(range);
  });
});
