import type { MapEdgeData, MapModel, MapNodeData } from './mapModel.js';
import type { Point } from './stableLayout.js';

/**
 * The map as plain geometry for the canvas renderer used on large graphs: every node, namespace box
 * and edge with its position and what decides its look. Built from the same MapModel and layout as
 * the cytoscape map, so both show the same picture; pure, so it is tested without a canvas.
 */
export type NodeShape = 'circle' | 'round-rect' | 'diamond' | 'rect' | 'hexagon' | 'barrel' | 'tag';

export interface SceneNode {
  id: string;
  x: number;
  y: number;
  /** Half the node's size, in map units. */
  r: number;
  shape: NodeShape;
  kind: MapNodeData['kind'];
  label: string;
  full: string;
  drops: boolean;
  focus: boolean;
  /** A DNS endpoint, or a node or host running one: drawn with the DNS colour. */
  dns: boolean;
  /** world, host and "others": their names are always drawn, like cytoscape's large style did. */
  outside: boolean;
}

/** A namespace holding pods or workloads: drawn as a box around them, like a compound node. */
export interface SceneGroup {
  id: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  label: string;
  full: string;
}

export interface SceneEdge {
  id: string;
  sx: number;
  sy: number;
  tx: number;
  ty: number;
  /** Target node's half size: arrows stop at its rim. */
  tr: number;
  width: number;
  health: MapEdgeData['health'];
  dns: boolean;
  loop: boolean;
  label: string;
  /** Compare marks (changes.ts): drawn as a halo (new, rose) or a ghost line (vanished). */
  presence: MapEdgeData['presence'];
  rose: boolean;
}

export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Scene {
  groups: SceneGroup[];
  nodes: SceneNode[];
  edges: SceneEdge[];
  bounds: Bounds;
}

/** Room between a namespace's pods and its box, as the cytoscape style's `padding`. */
export const GROUP_PADDING = 24;
/** World nodes have a fixed size in the cytoscape style too. */
const WORLD_R = 20;
// Hysteresis, as in the cytoscape diff: a rate wobbling by a few percent each second does not move
// a width or size by a visible step, so it must not cost a redraw.
const WIDTH_STEP = 0.75;
const SIZE_STEP = 4;

/** Whether a space-separated class list holds `name` (no RegExp: this runs for every element every second). */
export function hasClass(classes: string, name: string): boolean {
  let i = classes.indexOf(name);
  while (i >= 0) {
    const end = i + name.length;
    if ((i === 0 || classes[i - 1] === ' ') && (end === classes.length || classes[end] === ' ')) return true;
    i = classes.indexOf(name, i + 1);
  }
  return false;
}

export function nodeShape(kind: MapNodeData['kind'], classes: string): NodeShape {
  if (hasClass(classes, 'dns')) return 'hexagon';
  switch (kind) {
    case 'pod':
      return 'circle';
    case 'world':
      return 'diamond';
    case 'host':
      return 'rect';
    case 'node':
      return 'barrel';
    case 'service':
      return 'tag';
    default:
      return 'round-rect';
  }
}

/** The box a namespace draws around its members: their circles' bounds, padded. */
export function groupBox(members: readonly SceneNode[]): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const m of members) {
    x0 = Math.min(x0, m.x - m.r);
    y0 = Math.min(y0, m.y - m.r);
    x1 = Math.max(x1, m.x + m.r);
    y1 = Math.max(y1, m.y + m.r);
  }
  return { x0: x0 - GROUP_PADDING, y0: y0 - GROUP_PADDING, x1: x1 + GROUP_PADDING, y1: y1 + GROUP_PADDING };
}

/**
 * The scene for `model` at `positions`. With `prev` (the scene on screen), widths and sizes that
 * moved less than a visible step keep their previous value, so `sameLook` can skip the redraw.
 */
export function buildScene(model: MapModel, positions: Map<string, Point>, prev?: Scene | null): Scene {
  // Live updates usually list the same elements in the same order: look at the same index first
  // and build a lookup only when that fails.
  let prevNodes: Map<string, SceneNode> | null = null;
  let prevEdges: Map<string, SceneEdge> | null = null;
  const prevNode = (i: number, id: string) => {
    const same = prev?.nodes[i];
    if (!prev || same?.id === id) return same;
    prevNodes ??= new Map(prev.nodes.map((n) => [n.id, n]));
    return prevNodes.get(id);
  };
  const prevEdge = (i: number, id: string) => {
    const same = prev?.edges[i];
    if (!prev || same?.id === id) return same;
    prevEdges ??= new Map(prev.edges.map((e) => [e.id, e]));
    return prevEdges.get(id);
  };
  const nodes: SceneNode[] = [];
  const byId = new Map<string, SceneNode>();
  const members = new Map<string, SceneNode[]>();
  for (const n of model.nodes) {
    if (model.groups.has(n.data.id)) continue;
    const p = positions.get(n.data.id);
    if (!p) continue;
    const kind = n.data.kind;
    let r = kind === 'world' ? WORLD_R : n.data.size / 2;
    const before = prevNode(nodes.length, n.data.id);
    if (before && Math.abs(before.r - r) * 2 < SIZE_STEP) r = before.r;
    const node: SceneNode = {
      id: n.data.id,
      x: p.x,
      y: p.y,
      r,
      shape: nodeShape(kind, n.classes),
      kind,
      label: n.data.label,
      full: n.data.full,
      drops: n.data.dropsPerSec > 0,
      dns: hasClass(n.classes, 'dns') || hasClass(n.classes, 'hosts-dns'),
      focus: hasClass(n.classes, 'focus'),
      outside: kind === 'world' || kind === 'host' || kind === 'others',
    };
    nodes.push(node);
    byId.set(node.id, node);
    if (n.data.parent) {
      const list = members.get(n.data.parent) ?? [];
      list.push(node);
      members.set(n.data.parent, list);
    }
  }
  const groups: SceneGroup[] = [];
  for (const n of model.nodes) {
    const inside = members.get(n.data.id);
    if (!model.groups.has(n.data.id) || !inside) continue;
    groups.push({ id: n.data.id, ...groupBox(inside), label: n.data.label, full: n.data.full });
  }
  const edges: SceneEdge[] = [];
  for (const e of model.edges) {
    const s = byId.get(e.data.source);
    const t = byId.get(e.data.target);
    if (!s || !t) continue;
    let width = e.data.width;
    const before = prevEdge(edges.length, e.data.id);
    if (before && Math.abs(before.width - width) < WIDTH_STEP) width = before.width;
    edges.push({
      id: e.data.id,
      sx: s.x,
      sy: s.y,
      tx: t.x,
      ty: t.y,
      tr: t.r,
      width,
      health: e.data.health,
      dns: hasClass(e.classes, 'dns'),
      loop: s === t,
      label: e.data.label,
      presence: e.data.presence,
      rose: e.data.rose,
    });
  }
  return { groups, nodes, edges, bounds: sceneBounds(groups, nodes) };
}

function sceneBounds(groups: SceneGroup[], nodes: SceneNode[]): Bounds {
  const b = {
    x0: Number.POSITIVE_INFINITY,
    y0: Number.POSITIVE_INFINITY,
    x1: Number.NEGATIVE_INFINITY,
    y1: Number.NEGATIVE_INFINITY,
  };
  for (const g of groups) {
    b.x0 = Math.min(b.x0, g.x0);
    b.y0 = Math.min(b.y0, g.y0);
    b.x1 = Math.max(b.x1, g.x1);
    b.y1 = Math.max(b.y1, g.y1);
  }
  for (const n of nodes) {
    b.x0 = Math.min(b.x0, n.x - n.r);
    b.y0 = Math.min(b.y0, n.y - n.r);
    b.x1 = Math.max(b.x1, n.x + n.r);
    b.y1 = Math.max(b.y1, n.y + n.r);
  }
  if (!Number.isFinite(b.x0)) return { x0: 0, y0: 0, x1: 0, y1: 0 };
  return b;
}

/**
 * Whether two scenes draw the same picture at a zoom where no edge label is drawn: positions,
 * sizes, shapes, widths and states. Labels count only when `withLabels` (zoomed in far enough to show them).
 */
export function sameLook(a: Scene, b: Scene, withLabels: boolean): boolean {
  if (a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) return false;
  if (a.groups.length !== b.groups.length) return false;
  for (let i = 0; i < a.groups.length; i++) {
    const p = a.groups[i]!;
    const q = b.groups[i]!;
    if (
      p.id !== q.id ||
      p.x0 !== q.x0 ||
      p.y0 !== q.y0 ||
      p.x1 !== q.x1 ||
      p.y1 !== q.y1 ||
      p.label !== q.label
    )
      return false;
  }
  for (let i = 0; i < a.nodes.length; i++) {
    const p = a.nodes[i]!;
    const q = b.nodes[i]!;
    if (p.id !== q.id || p.x !== q.x || p.y !== q.y || p.r !== q.r || p.shape !== q.shape) return false;
    if (p.drops !== q.drops || p.focus !== q.focus || p.label !== q.label) return false;
  }
  for (let i = 0; i < a.edges.length; i++) {
    const p = a.edges[i]!;
    const q = b.edges[i]!;
    if (p.id !== q.id || p.width !== q.width || p.health !== q.health || p.dns !== q.dns) return false;
    if (p.presence !== q.presence || p.rose !== q.rose) return false;
    if (p.sx !== q.sx || p.sy !== q.sy || p.tx !== q.tx || p.ty !== q.ty) return false;
    if (withLabels && p.label !== q.label) return false;
  }
  return true;
}
