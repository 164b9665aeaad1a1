import type { Incident, TimeWindow } from '@weft/protocol';

/**
 * The strip's pure geometry: time <-> x, a drag into a window, the path of a series, which incident is
 * the previous or next one, where the arrow keys move the moment. The component only wires events.
 */
const SECOND = 1_000;

export function timeToX(t: number, range: TimeWindow, width: number): number {
  const span = range.end - range.start;
  if (span <= 0 || width <= 0) return 0;
  return Math.min(width, Math.max(0, ((t - range.start) / span) * width));
}

/** The moment under x, on a whole second, inside the range. */
export function xToTime(x: number, range: TimeWindow, width: number): number {
  if (width <= 0) return range.end;
  const ratio = Math.min(1, Math.max(0, x / width));
  return Math.round((range.start + ratio * (range.end - range.start)) / SECOND) * SECOND;
}

/** Below this many pixels a press-and-release is a click, not a drag (hands shake). */
export const DRAG_MIN_PX = 4;

/**
 * A drag from x0 to x1 as a window (either direction), or null when it is a click. The window is at
 * least `minMs` long (a rate window: shorter reads as no data).
 */
export function dragToWindow(
  x0: number,
  x1: number,
  range: TimeWindow,
  width: number,
  minMs = 10 * SECOND,
): TimeWindow | null {
  if (Math.abs(x1 - x0) < DRAG_MIN_PX) return null;
  let start = xToTime(Math.min(x0, x1), range, width);
  let end = xToTime(Math.max(x0, x1), range, width);
  if (end - start < minMs) {
    end = Math.min(range.end, start + minMs);
    start = Math.min(start, end - minMs);
  }
  return { start, end };
}

/**
 * An SVG area path for one column, scaled to [0, height] by `max` (0 = flat). Point i covers
 * [t[i], t[i] + step), so it is drawn as a step across that span.
 */
export function areaPath(
  t: readonly number[],
  values: readonly number[],
  stepMs: number,
  range: TimeWindow,
  width: number,
  height: number,
  max: number,
): string {
  if (t.length === 0) return '';
  const y = (v: number) => (max > 0 ? height - Math.min(1, Math.max(0, v / max)) * height : height);
  const r = (n: number) => Math.round(n * 10) / 10;
  let d = `M${r(timeToX(t[0]!, range, width))},${height}`;
  for (let i = 0; i < t.length; i++) {
    const yi = r(y(values[i] ?? 0));
    d += `L${r(timeToX(t[i]!, range, width))},${yi}L${r(timeToX(t[i]! + stepMs, range, width))},${yi}`;
  }
  d += `L${r(timeToX(t[t.length - 1]! + stepMs, range, width))},${height}Z`;
  return d;
}

/**
 * The moment to look at for an incident: an alert's transition itself; for drops started/stopped (a
 * step's start) the step's end, so the rate window ending there has seen the change.
 */
export function incidentMoment(incident: Incident, stepMs: number, now: number): number {
  const t =
    incident.kind === 'drops_started' || incident.kind === 'drops_stopped'
      ? incident.at + stepMs
      : incident.at;
  return Math.min(now, Math.floor(t / SECOND) * SECOND);
}

/**
 * The incident before (dir -1) or after (+1) the moment `current`, by the moment it is looked at (so
 * stepping back from an incident does not land on the same one). Incidents sharing a moment count once.
 */
export function adjacentIncident(
  incidents: readonly Incident[],
  current: number,
  dir: -1 | 1,
  stepMs: number,
  now: number,
): { incident: Incident; moment: number } | null {
  let best: { incident: Incident; moment: number } | null = null;
  for (const incident of incidents) {
    const moment = incidentMoment(incident, stepMs, now);
    if (dir < 0 ? moment >= current - SECOND / 2 : moment <= current + SECOND / 2) continue;
    if (!best || (dir < 0 ? moment > best.moment : moment < best.moment)) best = { incident, moment };
  }
  return best;
}

/**
 * Where a key moves the moment: arrows by one step (Shift: ten), PageUp/PageDown by ten, Home/End to
 * the range's ends. Undefined for other keys.
 */
export function keyMove(
  key: string,
  shift: boolean,
  current: number,
  range: TimeWindow,
  stepMs: number,
): number | undefined {
  const step = Math.max(SECOND, stepMs) * (shift ? 10 : 1);
  let next: number;
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      next = current - step;
      break;
    case 'ArrowRight':
    case 'ArrowUp':
      next = current + step;
      break;
    case 'PageDown':
      next = current - step * 10;
      break;
    case 'PageUp':
      next = current + step * 10;
      break;
    case 'Home':
      next = range.start;
      break;
    case 'End':
      next = range.end;
      break;
    default:
      return undefined;
  }
  return Math.floor(Math.min(range.end, Math.max(range.start, next)) / SECOND) * SECOND;
}

/** The index of the point covering `t`, or -1 outside the data. */
export function pointIndexAt(t: number, start: number, stepMs: number, count: number): number {
  if (stepMs <= 0 || t < start) return -1;
  const i = Math.floor((t - start) / stepMs);
  return i < count ? i : -1;
}

/** Markers this close (px) to a click take it: aiming a 3 px marker must not need a steady hand. */
export const MARKER_SNAP_PX = 5;

/** The moment of the incident marker nearest x, if one is within MARKER_SNAP_PX. */
export function incidentNear(
  incidents: readonly Incident[],
  x: number,
  range: TimeWindow,
  width: number,
  stepMs: number,
  now: number,
): number | null {
  let best: { d: number; moment: number } | null = null;
  for (const incident of incidents) {
    const d = Math.abs(timeToX(incident.at, range, width) - x);
    if (d <= MARKER_SNAP_PX && (!best || d < best.d))
      best = { d, moment: incidentMoment(incident, stepMs, now) };
  }
  return best?.moment ?? null;
}
