import type { Bounds } from './mapScene.js';

/** Screen = world * zoom + pan, in CSS pixels. */
export interface Viewport {
  zoom: number;
  panX: number;
  panY: number;
}

export const MIN_ZOOM = 0.02;
export const MAX_ZOOM = 4;
/** Room for labels and borders around a fitted picture, in map units. */
const FIT_PAD = 88;

const clampZoom = (z: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));

/** The whole picture centred in a `w` x `h` view, no closer than 1.6 (a handful of nodes stays readable, not huge). */
export function fitBounds(b: Bounds, w: number, h: number): Viewport {
  const x0 = b.x0 - FIT_PAD;
  const y0 = b.y0 - FIT_PAD;
  const x1 = b.x1 + FIT_PAD;
  const y1 = b.y1 + FIT_PAD;
  const zoom = clampZoom(Math.min(1.6, w / (x1 - x0), h / (y1 - y0)));
  return { zoom, panX: w / 2 - ((x0 + x1) / 2) * zoom, panY: h / 2 - ((y0 + y1) / 2) * zoom };
}

/** Zooms by `factor` keeping the world point under the screen point (sx, sy) where it is. */
export function zoomAt(v: Viewport, factor: number, sx: number, sy: number): Viewport {
  const zoom = clampZoom(v.zoom * factor);
  const wx = (sx - v.panX) / v.zoom;
  const wy = (sy - v.panY) / v.zoom;
  return { zoom, panX: sx - wx * zoom, panY: sy - wy * zoom };
}

export function toWorld(v: Viewport, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - v.panX) / v.zoom, y: (sy - v.panY) / v.zoom };
}

/** The world rectangle a `w` x `h` view shows. */
export function visibleWorld(v: Viewport, w: number, h: number): Bounds {
  return { x0: -v.panX / v.zoom, y0: -v.panY / v.zoom, x1: (w - v.panX) / v.zoom, y1: (h - v.panY) / v.zoom };
}

/**
 * The view `t` (0..1) of the way from `a` to `b` in a `w` x `h` view: the world point at the centre
 * moves in a straight line and the zoom changes by the same factor each step, so a glide neither
 * swings out nor rushes the zoom.
 */
export function viewportBetween(a: Viewport, b: Viewport, t: number, w: number, h: number): Viewport {
  if (t <= 0) return a;
  if (t >= 1) return b;
  const ca = toWorld(a, w / 2, h / 2);
  const cb = toWorld(b, w / 2, h / 2);
  const zoom = a.zoom * (b.zoom / a.zoom) ** t;
  const cx = ca.x + (cb.x - ca.x) * t;
  const cy = ca.y + (cb.y - ca.y) * t;
  return { zoom, panX: w / 2 - cx * zoom, panY: h / 2 - cy * zoom };
}

/** How many of the circles (world centre and radius) reach outside a `w` x `h` view. */
export function countOutside(
  circles: Iterable<{ x: number; y: number; r?: number }>,
  v: Viewport,
  w: number,
  h: number,
): number {
  let n = 0;
  for (const c of circles) {
    const r = (c.r ?? 0) * v.zoom;
    const sx = c.x * v.zoom + v.panX;
    const sy = c.y * v.zoom + v.panY;
    if (sx - r < 0 || sy - r < 0 || sx + r > w || sy + r > h) n++;
  }
  return n;
}

/** Two fingers' midpoint and spread, in screen pixels. */
export interface Pinch {
  x: number;
  y: number;
  dist: number;
}

/**
 * One step of a two-finger gesture: the picture follows the midpoint and scales with the spread, so
 * the world point between the fingers stays between them.
 */
export function pinchStep(v: Viewport, before: Pinch, now: Pinch): Viewport {
  const moved = { ...v, panX: v.panX + now.x - before.x, panY: v.panY + now.y - before.y };
  return before.dist > 0 ? zoomAt(moved, now.dist / before.dist, now.x, now.y) : moved;
}
