import type { Incident } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import {
  adjacentIncident,
  areaPath,
  dragToWindow,
  incidentMoment,
  incidentNear,
  keyMove,
  pointIndexAt,
  timeToX,
  xToTime,
} from './timelineGeometry.js';

const T0 = Date.parse('2026-12-07T09:00:00Z');
const HOUR = { start: T0, end: T0 + 3_600_000 };
const W = 720; // 5 s per pixel

describe('time <-> x', () => {
  it('maps the range onto the width and back, on whole seconds', () => {
    expect(timeToX(T0, HOUR, W)).toBe(0);
    expect(timeToX(T0 + 1_800_000, HOUR, W)).toBe(360);
    expect(xToTime(360, HOUR, W)).toBe(T0 + 1_800_000);
    expect(xToTime(100.3, HOUR, W) % 1000).toBe(0);
    expect(xToTime(timeToX(T0 + 600_000, HOUR, W), HOUR, W)).toBe(T0 + 600_000);
  });
  it('clamps outside the strip', () => {
    expect(timeToX(T0 - 10_000, HOUR, W)).toBe(0);
    expect(timeToX(HOUR.end + 10_000, HOUR, W)).toBe(W);
    expect(xToTime(-50, HOUR, W)).toBe(T0);
    expect(xToTime(W + 50, HOUR, W)).toBe(HOUR.end);
  });
});

describe('dragToWindow', () => {
  it('a press that barely moves is a click', () => {
    expect(dragToWindow(100, 103, HOUR, W)).toBeNull();
  });
  it('a drag either way is the window between the two points', () => {
    const w = { start: T0 + 500_000, end: T0 + 1_000_000 };
    expect(dragToWindow(100, 200, HOUR, W)).toEqual(w);
    expect(dragToWindow(200, 100, HOUR, W)).toEqual(w);
  });
  it('is never shorter than the rate window, nor outside the range', () => {
    const narrow = { start: T0, end: T0 + 60_000 }; // 720 px for a minute: 4 px = 0.33 s
    expect(dragToWindow(715, 720, narrow, W, 10_000)).toEqual({ start: T0 + 50_000, end: T0 + 60_000 });
  });
});

describe('areaPath', () => {
  it('draws each point as a step across its span, scaled to the max', () => {
    const d = areaPath([T0, T0 + 1_800_000], [10, 5], 1_800_000, HOUR, W, 40, 10);
    expect(d).toBe('M0,40L0,0L360,0L360,20L720,20L720,40Z');
  });
  it('is flat at the bottom when everything is zero, and empty without points', () => {
    expect(areaPath([T0], [0], 3_600_000, HOUR, W, 40, 0)).toBe('M0,40L0,40L720,40L720,40Z');
    expect(areaPath([], [], 30_000, HOUR, W, 40, 1)).toBe('');
  });
});

const incident = (kind: Incident['kind'], at: number): Incident => ({ kind, at, label: `${kind} at ${at}` });

describe('incidents', () => {
  const step = 30_000;
  const now = HOUR.end;
  const list = [
    incident('drops_started', T0 + 600_000),
    incident('drops_started', T0 + 600_000),
    incident('alert_fired', T0 + 700_500),
    incident('drops_stopped', T0 + 1_200_000),
  ];
  it('drops are looked at at the end of the step they changed in; alerts at their transition', () => {
    expect(incidentMoment(list[0]!, step, now)).toBe(T0 + 630_000);
    expect(incidentMoment(list[2]!, step, now)).toBe(T0 + 700_000);
    expect(incidentMoment(incident('drops_started', now - 10_000), step, now)).toBe(now);
  });
  it('steps to the next and previous moment, never onto the one it is on', () => {
    expect(adjacentIncident(list, T0, 1, step, now)?.moment).toBe(T0 + 630_000);
    expect(adjacentIncident(list, T0 + 630_000, 1, step, now)?.moment).toBe(T0 + 700_000);
    expect(adjacentIncident(list, T0 + 700_000, -1, step, now)?.moment).toBe(T0 + 630_000);
    expect(adjacentIncident(list, T0 + 630_000, -1, step, now)).toBeNull();
    expect(adjacentIncident(list, T0 + 1_230_000, 1, step, now)).toBeNull();
    expect(adjacentIncident([], T0, 1, step, now)).toBeNull();
  });
});

describe('keyMove', () => {
  const step = 30_000;
  it('arrows move by a step, Shift by ten, Home/End to the ends, inside the range', () => {
    const mid = T0 + 1_800_000;
    expect(keyMove('ArrowLeft', false, mid, HOUR, step)).toBe(mid - step);
    expect(keyMove('ArrowRight', false, mid, HOUR, step)).toBe(mid + step);
    expect(keyMove('ArrowRight', true, mid, HOUR, step)).toBe(mid + 10 * step);
    expect(keyMove('PageDown', false, mid, HOUR, step)).toBe(mid - 10 * step);
    expect(keyMove('Home', false, mid, HOUR, step)).toBe(HOUR.start);
    expect(keyMove('End', false, mid, HOUR, step)).toBe(HOUR.end);
    expect(keyMove('ArrowLeft', false, T0 + 5_000, HOUR, step)).toBe(T0);
    expect(keyMove('Enter', false, mid, HOUR, step)).toBeUndefined();
  });
});

describe('pointIndexAt and incidentNear', () => {
  it('finds the point covering a moment', () => {
    expect(pointIndexAt(T0 + 45_000, T0, 30_000, 120)).toBe(1);
    expect(pointIndexAt(T0 - 1, T0, 30_000, 120)).toBe(-1);
    expect(pointIndexAt(T0 + 3_600_000, T0, 30_000, 120)).toBe(-1);
  });
  it('a click within a few pixels of a marker takes the marker', () => {
    const list = [incident('alert_fired', T0 + 600_000)]; // x = 120
    expect(incidentNear(list, 123, HOUR, W, 30_000, HOUR.end)).toBe(T0 + 600_000);
    expect(incidentNear(list, 130, HOUR, W, 30_000, HOUR.end)).toBeNull();
  });
});
