import { describe, expect, it } from 'vitest';
import { closeEdges } from './edgeChooser.js';
import type { Scene } from './mapScene.js';
import { edgesNear, hitTest, loopCircle, segmentDistance } from './sceneHit.js';

const node = (id: string, x: number, y: number) => ({
  id,
  x,
  y,
  r: 10,
  shape: 'circle' as const,
  kind: 'pod' as const,
  label: id,
  full: id,
  drops: false,
  dns: false,
  focus: false,
  outside: false,
});
const edge = (id: string, sx: number, sy: number, tx: number, ty: number, loop = false) => ({
  id,
  sx,
  sy,
  tx,
  ty,
  tr: 10,
  width: 2,
  health: 'ok' as const,
  dns: false,
  loop,
  label: id,
  presence: null,
  rose: false,
});

const scene: Scene = {
  groups: [{ id: 'ns:a', x0: -50, y0: -50, x1: 250, y1: 150, label: 'a', full: 'a' }],
  nodes: [node('pod:a/x', 0, 0), node('pod:a/y', 200, 0), node('pod:a/z', 0, 100)],
  edges: [edge('x->y', 0, 0, 200, 0), edge('x->z', 0, 0, 0, 100), edge('z->z', 0, 100, 0, 100, true)],
  bounds: { x0: -50, y0: -50, x1: 250, y1: 150 },
};

describe('hitTest', () => {
  it('finds a node before the edges that end under it', () => {
    expect(hitTest(scene, 3, 2, 1)).toEqual({ kind: 'node', id: 'pod:a/x' });
  });
  it('finds the nearest edge within a few screen pixels, more generous when zoomed out', () => {
    expect(hitTest(scene, 100, 2, 1)).toEqual({ kind: 'edge', id: 'x->y' });
    expect(hitTest(scene, 100, 30, 1)).toEqual({ kind: 'group', id: 'ns:a' });
    expect(hitTest(scene, 100, 30, 0.1)).toEqual({ kind: 'edge', id: 'x->y' });
  });
  it('finds a self-loop on its circle', () => {
    const c = loopCircle(0, 100, 10);
    expect(hitTest(scene, c.x + c.r, c.y, 1)).toEqual({ kind: 'edge', id: 'z->z' });
  });
  it('finds the namespace box around empty space inside it, nothing outside', () => {
    expect(hitTest(scene, 150, 120, 1)).toEqual({ kind: 'group', id: 'ns:a' });
    expect(hitTest(scene, 400, 400, 1)).toBeNull();
  });
});

describe('segmentDistance', () => {
  it('measures to the segment, not the infinite line', () => {
    expect(segmentDistance(5, 3, 0, 0, 10, 0)).toBe(3);
    expect(segmentDistance(14, 3, 0, 0, 10, 0)).toBe(5);
    expect(segmentDistance(3, 4, 0, 0, 0, 0)).toBe(5);
  });
});

describe('edgesNear', () => {
  it('gives every edge a tap reaches, in screen pixels: both of two drawn on top of each other', () => {
    const both: Scene = {
      ...scene,
      edges: [...scene.edges, edge('y->x', 200, 0, 0, 0), edge('x->w', 0, 3, 200, 3)],
    };
    const near = edgesNear(both, 100, 1, 1);
    expect(near.map((e) => e.id).sort()).toEqual(['x->w', 'x->y', 'y->x']);
    expect(near.find((e) => e.id === 'x->y')!.d).toBe(1);
    expect(closeEdges(near)).toEqual(['x->y', 'y->x', 'x->w']);
    // Zoomed in 4x, the third is 10 screen pixels away: out of reach.
    expect(edgesNear(both, 100, 0.5, 4).map((e) => [e.id, e.d])).toEqual([
      ['x->y', 2],
      ['y->x', 2],
    ]);
  });
});
