import { DEFAULT_FILTER, type FilterState } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { replayEnd, replayPatch, replayStart, replayStep } from './replay.js';

const NOW = Date.parse('2026-12-07T12:00:00.400Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const state = (p: Partial<FilterState>): FilterState => ({ ...DEFAULT_FILTER, ...p });

describe('replayStep', () => {
  it('moves the moment by speed x real time, on whole seconds', () => {
    expect(replayStep(0, 1, 1000, 1e9)).toEqual({ at: 1000, done: false });
    expect(replayStep(0, 10, 1000, 1e9)).toEqual({ at: 10_000, done: false });
    expect(replayStep(0, 60, 1000, 1e9)).toEqual({ at: 60_000, done: false });
    // A late frame catches up rather than slowing the replay down.
    expect(replayStep(0, 60, 1500, 1e9)).toEqual({ at: 90_000, done: false });
  });
  it('always advances at least a second', () => {
    expect(replayStep(5000, 1, 10, 1e9)).toEqual({ at: 6000, done: false });
  });
  it('stops at the end', () => {
    expect(replayStep(50_000, 60, 1000, 100_000)).toEqual({ at: 100_000, done: true });
    expect(replayStep(40_000, 60, 1000, 100_000)).toEqual({ at: 100_000, done: true });
    expect(replayStep(30_000, 60, 1000, 100_000)).toEqual({ at: 90_000, done: false });
  });
  it('a 60x replay through an hour takes a minute of frames', () => {
    let at = 0;
    let frames = 0;
    for (let done = false; !done; frames++) ({ at, done } = replayStep(at, 60, 1000, 3_600_000));
    expect(frames).toBe(60);
    expect(at).toBe(3_600_000);
  });
});

describe('where a replay starts and ends', () => {
  it('from the moment when there is one, else from the range start', () => {
    const at = NOW - 600_000;
    expect(replayStart(state({ at: iso(Math.floor(at / 1000) * 1000) }), NOW)).toBe(
      Math.floor(at / 1000) * 1000,
    );
    expect(replayStart(state({}), NOW)).toBe(NOW - 3_600_000);
    expect(replayStart(state({ from: 'now-15m' }), NOW)).toBe(NOW - 900_000);
  });
  it('a moment already at the end starts over from the range start', () => {
    expect(replayStart(state({ from: 'now-15m', at: iso(NOW - 400) }), NOW)).toBe(NOW - 900_000);
  });
  it('ends at the range end, or now', () => {
    expect(replayEnd(state({ from: 'now-15m' }), NOW)).toBe(NOW - 400);
    expect(replayEnd(state({ from: iso(NOW - 7_200_000), to: iso(NOW - 3_600_000) }), NOW)).toBe(
      NOW - 3_600_400,
    );
  });
  it('pins the range so the strip holds still; an open end stays open', () => {
    // Live: the last hour, still running to now.
    expect(replayPatch(state({}), NOW)).toEqual({ at: iso(NOW - 3_600_400), from: iso(NOW - 3_600_400) });
    // A moment two hours ago: the hour around it, closed.
    const at = Date.parse('2026-12-07T10:00:00Z');
    expect(replayPatch(state({ at: iso(at) }), NOW)).toEqual({
      at: iso(at),
      from: '2026-12-07T09:30:00Z',
      to: '2026-12-07T10:30:00Z',
    });
    // A range already given is kept as it is.
    expect(replayPatch(state({ from: 'now-15m' }), NOW)).toEqual({ at: iso(NOW - 900_400) });
  });
});
