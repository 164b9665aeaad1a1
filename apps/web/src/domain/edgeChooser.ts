import { segmentDistance } from './sceneHit.js';
import type { Point } from './stableLayout.js';

/** An edge a tap came near, and how near, in screen pixels. */
export interface EdgeNear {
  id: string;
  d: number;
}

/** Screen pixels within which two edges under a tap are too close to tell apart: the map asks which. */
export const CHOOSER_GAP_PX = 4;
/** At most this many edges are offered. */
export const CHOOSER_MAX = 8;

/**
 * The edges a tap should offer: the nearest one and every other within CHOOSER_GAP_PX of it (nearest
 * first, ties by id, at most CHOOSER_MAX). One edge means the tap picked it; more, the map lists them.
 */
export function closeEdges(near: readonly EdgeNear[], gapPx = CHOOSER_GAP_PX): string[] {
  if (near.length === 0) return [];
  const sorted = [...near].sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const limit = sorted[0]!.d + gapPx;
  const out: string[] = [];
  for (const e of sorted) {
    if (e.d > limit || out.length === CHOOSER_MAX) break;
    if (!out.includes(e.id)) out.push(e.id);
  }
  return out;
}

/**
 * An edge's path as points: a straight line, or quadratic Bézier pieces through its control points as
 * cytoscape draws a bezier edge (with several control points, each piece ends halfway to the next one).
 */
export function edgePath(source: Point, controls: readonly Point[], target: Point, steps = 12): Point[] {
  if (controls.length === 0) return [source, target];
  const pts: Point[] = [source];
  let start = source;
  for (let i = 0; i < controls.length; i++) {
    const c = controls[i]!;
    const next = controls[i + 1];
    const end = next ? { x: (c.x + next.x) / 2, y: (c.y + next.y) / 2 } : target;
    for (let s = 1; s <= steps; s++) {
      const t = s / steps;
      const u = 1 - t;
      pts.push({
        x: u * u * start.x + 2 * u * t * c.x + t * t * end.x,
        y: u * u * start.y + 2 * u * t * c.y + t * t * end.y,
      });
    }
    start = end;
  }
  return pts;
}

/** The distance from `p` to the nearest point of the path `pts`. */
export function pathDistance(p: Point, pts: readonly Point[]): number {
  if (pts.length === 1) return Math.hypot(p.x - pts[0]!.x, p.y - pts[0]!.y);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    best = Math.min(best, segmentDistance(p.x, p.y, a.x, a.y, b.x, b.y));
  }
  return best;
}
