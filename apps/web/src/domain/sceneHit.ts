import type { Scene } from './mapScene.js';

export interface SceneHit {
  kind: 'node' | 'edge' | 'group';
  id: string;
}

/** Screen pixels a tap may miss a thin edge or a small node by. */
const SLOP_PX = 4;

/**
 * What a tap at world point (x, y) lands on, in drawing order from the top: nodes, then edges (the
 * nearest within reach), then the namespace box around them. Linear scans: a tap is rare and 10,000
 * segment distances take well under a millisecond.
 */
export function hitTest(scene: Scene, x: number, y: number, zoom: number): SceneHit | null {
  const slop = SLOP_PX / zoom;
  for (let i = scene.nodes.length - 1; i >= 0; i--) {
    const n = scene.nodes[i]!;
    const reach = n.r + slop;
    if (
      Math.abs(x - n.x) <= reach &&
      Math.abs(y - n.y) <= reach &&
      (x - n.x) ** 2 + (y - n.y) ** 2 <= reach ** 2
    )
      return { kind: 'node', id: n.id };
  }
  let best: string | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  for (const e of scene.edges) {
    const reach = e.width / 2 + slop;
    const d = e.loop ? loopDistance(x, y, e.sx, e.sy, e.tr) : segmentDistance(x, y, e.sx, e.sy, e.tx, e.ty);
    if (d <= reach && d < bestD) {
      bestD = d;
      best = e.id;
    }
  }
  if (best) return { kind: 'edge', id: best };
  for (let i = scene.groups.length - 1; i >= 0; i--) {
    const g = scene.groups[i]!;
    if (x >= g.x0 && x <= g.x1 && y >= g.y0 && y <= g.y1) return { kind: 'group', id: g.id };
  }
  return null;
}

/**
 * Every edge a tap at world point (x, y) reaches, with its distance in screen pixels (for closeEdges:
 * edges drawn on top of each other are offered as a list).
 */
export function edgesNear(scene: Scene, x: number, y: number, zoom: number): { id: string; d: number }[] {
  const slop = SLOP_PX / zoom;
  const out: { id: string; d: number }[] = [];
  for (const e of scene.edges) {
    const reach = e.width / 2 + slop;
    const d = e.loop ? loopDistance(x, y, e.sx, e.sy, e.tr) : segmentDistance(x, y, e.sx, e.sy, e.tx, e.ty);
    if (d <= reach) out.push({ id: e.id, d: d * zoom });
  }
  return out;
}

export function segmentDistance(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** A self-loop is drawn as a circle above and right of its node (see loopCircle). */
function loopDistance(px: number, py: number, x: number, y: number, r: number): number {
  const c = loopCircle(x, y, r);
  return Math.abs(Math.hypot(px - c.x, py - c.y) - c.r);
}

export function loopCircle(x: number, y: number, r: number): { x: number; y: number; r: number } {
  const lr = Math.max(12, r * 0.9);
  return { x: x + r * 0.8, y: y - r * 0.8, r: lr };
}
