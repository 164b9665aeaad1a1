import { LabelGrid } from '../../domain/labelGrid.js';
import type { Scene, SceneEdge, SceneNode } from '../../domain/mapScene.js';
import { loopCircle } from '../../domain/sceneHit.js';
import { type Viewport, visibleWorld } from '../../domain/viewport.js';
import { type MapColors, MIN_LABEL_PX } from './mapStyle.js';

/** Zoom from which text is drawn, matching the cytoscape style's min-zoomed-font-size rules. */
export const NODE_LABEL_ZOOM = 7 / 11;
export const EDGE_LABEL_ZOOM = 6 / 9;
/** Zoom from which edges get arrowheads: below it they are hairlines and arrows would be noise. */
const ARROW_ZOOM = 0.35;
/** Edge labels drawn at most per frame: more would cover the picture and cost more than the lines. */
const MAX_EDGE_LABELS = 600;
const DNS_COLOR = '#39c5cf';
/** Compare marks: a halo colour no health state uses (health is grey, amber, red). */
export const ROSE_COLOR = '#db61a2';
/** Halo widths (screen px beyond the line) of the compare marks; a new edge's halo is outside a rise's. */
const NEW_HALO_PX = 8;
const ROSE_HALO_PX = 4;
const NO_DASH: number[] = [];
const WORLD_COLOR = '#bc8cff';
const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';

export interface DrawOptions {
  /** CSS pixels of the canvas. */
  width: number;
  height: number;
  pixelRatio: number;
  colors: MapColors;
  selectedEdge: string | null;
}

/**
 * Draws the scene in one pass, batched: every edge or node that looks the same goes into one path,
 * so 10,000 edges cost a few dozen strokes. Outside the view nothing is drawn.
 */
export function drawScene(ctx: CanvasRenderingContext2D, scene: Scene, v: Viewport, o: DrawOptions): void {
  const { zoom } = v;
  const dpr = o.pixelRatio;
  const c = o.colors;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, o.width, o.height);
  ctx.setTransform(dpr * zoom, 0, 0, dpr * zoom, dpr * v.panX, dpr * v.panY);
  ctx.lineJoin = 'round';
  const px = 1 / zoom;
  const view = visibleWorld(v, o.width, o.height);
  const margin = 60 * px;
  const inView = (x0: number, y0: number, x1: number, y1: number) =>
    x1 >= view.x0 - margin && x0 <= view.x1 + margin && y1 >= view.y0 - margin && y0 <= view.y1 + margin;

  // Namespace boxes.
  ctx.beginPath();
  for (const g of scene.groups) {
    if (!inView(g.x0, g.y0, g.x1, g.y1)) continue;
    ctx.roundRect(g.x0, g.y0, g.x1 - g.x0, g.y1 - g.y0, 16);
  }
  ctx.fillStyle = c.nsBg;
  ctx.fill();
  ctx.lineWidth = px;
  ctx.strokeStyle = c.line;
  ctx.setLineDash([5 * px, 4 * px]);
  ctx.stroke();
  ctx.setLineDash([]);

  // Edges: quiet ones first, so drops and failures are drawn over them.
  const buckets = new Map<string, SceneEdge[]>();
  let selected: SceneEdge | null = null;
  const visibleEdges: SceneEdge[] = [];
  for (const e of scene.edges) {
    if (!inView(Math.min(e.sx, e.tx), Math.min(e.sy, e.ty), Math.max(e.sx, e.tx), Math.max(e.sy, e.ty)))
      continue;
    visibleEdges.push(e);
    if (e.id === o.selectedEdge) {
      selected = e;
      continue;
    }
    // Marked edges sort after plain ones of their health, so their halos are not covered by neighbours.
    const presence = e.presence === 'new' ? 2 : e.presence === 'vanished' ? 1 : 0;
    const key = `${e.health === 'drops' ? 2 : e.health === 'failing' ? 1 : 0}|${e.rose ? 1 : 0}|${presence}|${e.dns ? 1 : 0}|${e.width}`;
    const list = buckets.get(key);
    if (list) list.push(e);
    else buckets.set(key, [e]);
  }
  const okColor = zoom >= 0.5 ? c.muted : c.line;
  const arrows = zoom >= ARROW_ZOOM;
  // Thousands of quiet edges crossing the view would merge into a grey wall: they fade with their
  // number on screen, problems never do.
  let quiet = 0;
  for (const e of visibleEdges) if (isQuiet(e)) quiet++;
  const quietAlpha = Math.min(1, Math.max(0.15, 400 / Math.max(1, quiet)));
  for (const key of [...buckets.keys()].sort()) {
    const list = buckets.get(key)!;
    const first = list[0]!;
    const vanished = first.presence === 'vanished';
    const color = first.health === 'drops' ? c.danger : first.health === 'failing' ? c.warn : okColor;
    // Problems and marks keep a visible width however far out the map is zoomed.
    const minPx = first.health === 'drops' ? 1.25 : first.health === 'failing' || !isQuiet(first) ? 1 : 0.5;
    const width = edgeWidth(first.width, minPx, zoom);
    if (first.presence === 'new') {
      ctx.globalAlpha = 0.45;
      strokeEdges(ctx, list, width + NEW_HALO_PX * px, c.ok, NO_DASH);
    }
    if (first.rose) {
      ctx.globalAlpha = 0.7;
      strokeEdges(ctx, list, width + ROSE_HALO_PX * px, ROSE_COLOR, NO_DASH);
    }
    // A vanished edge is a ghost: what was there in the baseline, faint and broken.
    ctx.globalAlpha = vanished ? 0.5 : isQuiet(first) ? quietAlpha : 1;
    strokeEdges(ctx, list, width, vanished ? c.muted : color, dash(first, px));
    if (arrows) fillArrows(ctx, list, vanished ? c.muted : color, px);
  }
  ctx.globalAlpha = 1;
  if (selected) {
    strokeEdges(ctx, [selected], edgeWidth(selected.width + 1, 2, zoom), c.accent, dash(selected, px));
    fillArrows(ctx, [selected], c.accent, px);
  }

  // Nodes, batched by look.
  const looks = new Map<string, SceneNode[]>();
  const visibleNodes: SceneNode[] = [];
  for (const n of scene.nodes) {
    if (!inView(n.x - n.r, n.y - n.r, n.x + n.r, n.y + n.r)) continue;
    visibleNodes.push(n);
    const key = `${n.shape}|${n.kind}|${n.drops ? 1 : 0}|${n.focus ? 1 : 0}|${n.dns ? 1 : 0}`;
    const list = looks.get(key);
    if (list) list.push(n);
    else looks.set(key, [n]);
  }
  for (const list of looks.values()) drawNodes(ctx, list, c, px);

  // Text in screen space, so it stays sharp at any zoom.
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const sx = (x: number) => x * zoom + v.panX;
  const sy = (y: number) => y * zoom + v.panY;
  ctx.textAlign = 'center';
  // Most important text first; whatever would cover text already placed is left out.
  const grid = new LabelGrid();
  for (const g of scene.groups) {
    if (!inView(g.x0, g.y0, g.x1, g.y1)) continue;
    const w = (g.x1 - g.x0) * zoom;
    if (w < 36) continue;
    const size = Math.max(11, Math.min(13, 13 * zoom));
    ctx.font = `bold ${size}px ${FONT}`;
    const text = fitText(ctx, g.label, w - 8);
    pillText(ctx, grid, text, sx((g.x0 + g.x1) / 2), sy(g.y0) + 3, size, c.muted, c.bg, 'top', true);
  }
  if (selected) {
    const [mx, my] = edgeMid(selected);
    pillText(ctx, grid, selected.label, sx(mx), sy(my), 12, c.fg, c.bg, 'middle');
  }
  const nodeLabels = zoom >= NODE_LABEL_ZOOM;
  ctx.textBaseline = 'top';
  for (const n of visibleNodes) {
    if (!nodeLabels && !n.outside) continue;
    const size = nodeLabels ? Math.min(16, Math.max(MIN_LABEL_PX, 11 * zoom)) : MIN_LABEL_PX;
    ctx.font = `${n.focus ? 'bold ' : ''}${size}px ${FONT}`;
    const w = ctx.measureText(n.label).width;
    const x = sx(n.x);
    const y = sy(n.y + n.r) + 4 * Math.min(1, zoom);
    if (!grid.claim(x - w / 2, y, w, size)) continue;
    ctx.fillStyle = c.fg;
    ctx.fillText(n.label, x, y);
  }
  if (zoom >= EDGE_LABEL_ZOOM) {
    const size = Math.min(14, Math.max(MIN_LABEL_PX, 9 * zoom));
    let drawn = 0;
    // Problems are labelled first; a label whose middle is off screen is not drawn at all.
    for (const pass of ['problem', 'ok'] as const) {
      for (const e of visibleEdges) {
        if (drawn >= MAX_EDGE_LABELS) break;
        if (e === selected || isQuiet(e) !== (pass === 'ok')) continue;
        const [mx, my] = edgeMid(e);
        if (mx < view.x0 || mx > view.x1 || my < view.y0 || my > view.y1) continue;
        if (pillText(ctx, grid, e.label, sx(mx), sy(my), size, c.fg, c.bg, 'middle')) drawn++;
      }
    }
  }
}

/**
 * Line width in map units: the rate's width scaled with the zoom, but never thinner than `minPx` on
 * screen nor wider than its own width in pixels (zoomed into 10,000 edges, wider lines only merge
 * into a grey wall).
 */
function edgeWidth(width: number, minPx: number, zoom: number): number {
  return Math.min(width, Math.max(width * zoom, minPx)) / zoom;
}

/** Healthy and unmarked: such edges fade when there are many, and are labelled last. */
function isQuiet(e: SceneEdge): boolean {
  return e.health === 'ok' && e.presence === null && !e.rose;
}

function dash(e: SceneEdge, px: number): number[] {
  if (e.presence === 'vanished') return [2 * px, 5 * px];
  if (e.health === 'drops') return [6 * px, 4 * px];
  if (e.dns) return [1.5 * px, 3 * px];
  return [];
}

function strokeEdges(
  ctx: CanvasRenderingContext2D,
  list: SceneEdge[],
  width: number,
  color: string,
  d: number[],
) {
  ctx.beginPath();
  for (const e of list) {
    if (e.loop) {
      const l = loopCircle(e.sx, e.sy, e.tr);
      ctx.moveTo(l.x + l.r, l.y);
      ctx.arc(l.x, l.y, l.r, 0, Math.PI * 2);
    } else {
      ctx.moveTo(e.sx, e.sy);
      ctx.lineTo(e.tx, e.ty);
    }
  }
  ctx.lineWidth = width;
  ctx.strokeStyle = color;
  ctx.setLineDash(d);
  ctx.stroke();
  ctx.setLineDash([]);
}

/** Arrowheads at the target's rim, sized like cytoscape's (arrow-scale 0.8) but never under 5 px. */
function fillArrows(ctx: CanvasRenderingContext2D, list: SceneEdge[], color: string, px: number) {
  ctx.beginPath();
  for (const e of list) {
    if (e.loop) continue;
    const dx = e.tx - e.sx;
    const dy = e.ty - e.sy;
    const len = Math.hypot(dx, dy);
    if (len === 0) continue;
    const ux = dx / len;
    const uy = dy / len;
    const size = Math.max(5 * px, 2.4 * e.width + 3);
    const tipX = e.tx - ux * e.tr;
    const tipY = e.ty - uy * e.tr;
    const bx = tipX - ux * size;
    const by = tipY - uy * size;
    ctx.moveTo(tipX, tipY);
    ctx.lineTo(bx - uy * size * 0.5, by + ux * size * 0.5);
    ctx.lineTo(bx + uy * size * 0.5, by - ux * size * 0.5);
    ctx.closePath();
  }
  ctx.fillStyle = color;
  ctx.fill();
}

function drawNodes(ctx: CanvasRenderingContext2D, list: SceneNode[], c: MapColors, px: number) {
  const n0 = list[0]!;
  ctx.beginPath();
  for (const n of list) shapePath(ctx, n);
  ctx.fillStyle = n0.focus ? c.accent : n0.kind === 'world' ? c.panel : c.panel2;
  ctx.fill();
  const border = n0.drops ? 3 : n0.kind === 'host' ? 4 : n0.focus ? 5 : 2;
  ctx.lineWidth = Math.max(border, 0.75 * px);
  ctx.strokeStyle = n0.drops
    ? c.danger
    : n0.dns
      ? DNS_COLOR
      : n0.kind === 'world'
        ? WORLD_COLOR
        : n0.kind === 'host' || n0.kind === 'others'
          ? c.muted
          : n0.kind === 'node'
            ? c.ok
            : c.accent;
  if (n0.kind === 'others') ctx.setLineDash([4 * px, 3 * px]);
  ctx.stroke();
  ctx.setLineDash([]);
  if (n0.kind === 'host') {
    // A double border, as cytoscape's `border-style: double`.
    ctx.lineWidth = Math.max(1.4, 0.5 * px);
    ctx.strokeStyle = c.panel2;
    ctx.stroke();
  }
}

function shapePath(ctx: CanvasRenderingContext2D, n: SceneNode) {
  const { x, y, r } = n;
  switch (n.shape) {
    case 'circle':
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, Math.PI * 2);
      return;
    case 'diamond':
      ctx.moveTo(x, y - r);
      ctx.lineTo(x + r, y);
      ctx.lineTo(x, y + r);
      ctx.lineTo(x - r, y);
      ctx.closePath();
      return;
    case 'rect':
      ctx.rect(x - r, y - r, 2 * r, 2 * r);
      return;
    case 'hexagon':
      for (let i = 0; i < 6; i++) {
        const a = (Math.PI / 3) * i;
        if (i === 0) ctx.moveTo(x + r * Math.cos(a), y + r * Math.sin(a));
        else ctx.lineTo(x + r * Math.cos(a), y + r * Math.sin(a));
      }
      ctx.closePath();
      return;
    case 'barrel':
      ctx.roundRect(x - r, y - r * 0.8, 2 * r, 1.6 * r, r * 0.5);
      return;
    case 'tag':
      ctx.moveTo(x - r, y - r);
      ctx.lineTo(x + r * 0.5, y - r);
      ctx.lineTo(x + r, y);
      ctx.lineTo(x + r * 0.5, y + r);
      ctx.lineTo(x - r, y + r);
      ctx.closePath();
      return;
    default:
      ctx.moveTo(x + r, y);
      ctx.roundRect(x - r, y - r, 2 * r, 2 * r, r * 0.3);
  }
}

function edgeMid(e: SceneEdge): [number, number] {
  if (e.loop) {
    const l = loopCircle(e.sx, e.sy, e.tr);
    return [l.x + l.r, l.y - l.r];
  }
  return [(e.sx + e.tx) / 2, (e.sy + e.ty) / 2];
}

/** Text on a background pill, so it reads over the lines under it; false when the place is taken. */
function pillText(
  ctx: CanvasRenderingContext2D,
  grid: LabelGrid,
  text: string,
  x: number,
  y: number,
  size: number,
  fg: string,
  bg: string,
  baseline: 'middle' | 'top',
  fontSet = false,
): boolean {
  if (!text) return false;
  if (!fontSet) ctx.font = `${size}px ${FONT}`;
  const w = ctx.measureText(text).width;
  const top = baseline === 'middle' ? y - size / 2 - 2 : y - 1;
  if (!grid.claim(x - w / 2 - 3, top, w + 6, size + 4)) return false;
  ctx.globalAlpha = 0.85;
  ctx.fillStyle = bg;
  ctx.fillRect(x - w / 2 - 3, top, w + 6, size + 4);
  ctx.globalAlpha = 1;
  ctx.fillStyle = fg;
  ctx.textBaseline = baseline;
  ctx.fillText(text, x, baseline === 'middle' ? y : y + 1);
  return true;
}

/** `text` shortened with an ellipsis to fit `max` pixels in the current font. */
function fitText(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > max) s = s.slice(0, -1);
  return `${s}…`;
}
