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
