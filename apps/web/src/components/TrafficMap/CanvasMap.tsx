import { useEffect, useRef } from 'react';
import { closeEdges } from '../../domain/edgeChooser.js';
import { edgeTitle, isOutside, type MapModel } from '../../domain/mapModel.js';
import { buildScene, type Scene, sameLook } from '../../domain/mapScene.js';
import { edgesNear, hitTest } from '../../domain/sceneHit.js';
import { type Point, StableLayout } from '../../domain/stableLayout.js';
import { contentOf, easeOut, FIT_MS, ViewFit } from '../../domain/viewFit.js';
import {
  countOutside,
  fitBounds,
  type Pinch,
  pinchStep,
  toWorld,
  type Viewport,
  viewportBetween,
  zoomAt,
} from '../../domain/viewport.js';
import { drawScene, EDGE_LABEL_ZOOM, NODE_LABEL_ZOOM } from './drawScene.js';
import { type MapColors, readColors } from './mapStyle.js';
import { markApplied } from './markApplied.js';
import { type DragTarget, NodeDrag } from './nodeDrag.js';
import type { TrafficMapProps } from './TrafficMap.js';

interface MapState {
  key: string;
  /** The latest model, laid out, waiting for the next frame. */
  pending: { model: MapModel; positions: Map<string, Point>; fresh: boolean; fit: boolean } | null;
  scene: Scene | null;
  /** The model `scene` was built from: a node drag needs its parents and edge ends. */
  model: MapModel | null;
  /** The view changed (pan, zoom, selection, theme, size): draw even if the scene did not. */
  dirty: boolean;
  vp: Viewport;
  fit: ViewFit;
  /** The view gliding to a new fit. */
  glide: { from: Viewport; to: Viewport; t0: number } | null;
  colors: MapColors | null;
  selected: string | null;
  frame: number;
  /** A pan is under way: its frames move the last drawing (`shot`) instead of drawing the scene. */
  panning: boolean;
  /** The drawing a pan moves: a copy of the canvas and what it showed. */
  shot: Shot | null;
  /** Draw the scene itself in the next frame even while panning (the pan paused; a new scene). */
  fullNext: boolean;
  /** The timer of a pan's pause. */
  pause: ReturnType<typeof setTimeout> | null;
}

interface Shot {
  canvas: HTMLCanvasElement;
  vp: Viewport;
  scene: Scene;
  selected: string | null;
  colors: MapColors;
  width: number;
  height: number;
}

/**
 * A pan that rests this long (ms) gets the scene drawn where it is, so what came into view is filled
 * in; until then its frames only move the last drawing (a copy), which costs a blit instead of
 * stroking every edge again (bench/web/RESULTS.md: at 10,000 pods a full frame took 100-300 ms).
 */
const PAN_PAUSE_MS = 120;

/** Pointer travel (CSS px) that turns a press into a pan or a node drag instead of a tap. */
const DRAG_PX = 4;

/**
 * The traffic map for large graphs (thousands of edges), drawn on one canvas by drawScene instead
 * of cytoscape: cytoscape restyles, z-sorts and redraws every layer when one element is added, which
 * at 10,000 edges in software rendering took 0.6-0.7 s per update with a new pod and 1.7 s for the
 * first frame. Here an update rebuilds plain geometry and redraws in one batched pass, and only when
 * something visible changed. Same props, wrapper attributes and gestures as TrafficMap: tap a node
 * or namespace to drill in, tap an edge to select it, drag a node or namespace to move it, drag
 * anything else to pan, wheel or pinch to zoom.
 */
export function CanvasMap({
  model,
  layoutKey,
  onNodeActivate,
  onEdgeSelect,
  onEdgeChoices,
  selectedEdge,
  height = 560,
}: TrafficMapProps) {
  const wrapper = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const layoutRef = useRef<StableLayout>(new StableLayout());
  const handlers = useRef({ onNodeActivate, onEdgeSelect, onEdgeChoices });
  handlers.current = { onNodeActivate, onEdgeSelect, onEdgeChoices };
  const st = useRef<MapState>({
    key: '',
    pending: null,
    scene: null,
    model: null,
    dirty: false,
    vp: { zoom: 1, panX: 0, panY: 0 },
    fit: new ViewFit(),
    glide: null,
    colors: null,
    selected: null,
    frame: 0,
    panning: false,
    shot: null,
    fullNext: false,
    pause: null,
  });

  // One animation frame turns the latest model into a scene and draws it when it looks different:
  // React's task (the model, the lists beside the map) and this one stay short each.
  const frame = () => {
    const s = st.current;
    s.frame = 0;
    const el = canvas.current;
    if (!el) return;
    const width = el.clientWidth || 800;
    const height = el.clientHeight || 560;
    const next = s.pending;
    if (next) {
      s.pending = null;
      const scene = buildScene(next.model, next.positions, next.fresh ? null : s.scene);
      const labels = s.vp.zoom >= Math.min(NODE_LABEL_ZOOM, EDGE_LABEL_ZOOM);
      if (next.fresh || !s.scene || !sameLook(s.scene, scene, labels)) s.dirty = true;
      if (next.fit) {
        const to = fitBounds(scene.bounds, width, height);
        // The first picture appears fitted; later ones glide there from the view before.
        if (s.scene) s.glide = { from: s.vp, to, t0: performance.now() };
        else s.vp = to;
      }
      s.scene = scene;
      s.model = next.model;
    }
    const glide = s.glide;
    if (glide) {
      const t = (performance.now() - glide.t0) / FIT_MS;
      s.vp = viewportBetween(glide.from, glide.to, easeOut(t), width, height);
      s.dirty = true;
      if (t >= 1) s.glide = null;
      else s.frame = requestAnimationFrame(() => frameRef.current());
    }
    const box = wrapper.current;
    if (box && s.scene) {
      box.dataset.view = s.glide ? 'moving' : 'settled';
      box.dataset.nodesOutside = String(countOutside(s.scene.nodes, s.vp, width, height));
      box.dataset.zoom = s.vp.zoom.toFixed(3);
    }
    const ctx = s.dirty && s.scene ? el.getContext('2d') : null;
    s.dirty = false;
    if (!ctx || !s.scene) return;
    performance.mark('weft-map-draw-start');
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    if (el.width !== Math.round(width * dpr) || el.height !== Math.round(height * dpr)) {
      el.width = Math.round(width * dpr);
      el.height = Math.round(height * dpr);
    }
    s.colors ??= readColors();
    const shot = s.shot;
    if (
      s.panning &&
      !s.fullNext &&
      shot &&
      shot.scene === s.scene &&
      shot.selected === s.selected &&
      shot.colors === s.colors &&
      shot.vp.zoom === s.vp.zoom &&
      shot.width === el.width &&
      shot.height === el.height
    ) {
      // The same picture, moved: what the pan uncovers stays blank until it rests.
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, el.width, el.height);
      ctx.drawImage(
        shot.canvas,
        Math.round((s.vp.panX - shot.vp.panX) * dpr),
        Math.round((s.vp.panY - shot.vp.panY) * dpr),
      );
    } else {
      drawScene(ctx, s.scene, s.vp, {
        width,
        height,
        pixelRatio: dpr,
        colors: s.colors,
        selectedEdge: s.selected,
      });
      s.fullNext = false;
      s.shot = s.panning ? takeShot(el, s) : null;
    }
    performance.measure('weft-map-draw', 'weft-map-draw-start');
    performance.clearMarks('weft-map-draw-start');
    performance.clearMeasures('weft-map-draw');
  };
  const frameRef = useRef(frame);
  frameRef.current = frame;
  /** Asks for a frame; `redraw` when the view itself changed (pan, zoom, selection, theme, size). */
  const schedule = (redraw: boolean) => {
    const s = st.current;
    if (redraw) s.dirty = true;
    if (!s.frame) s.frame = requestAnimationFrame(() => frameRef.current());
  };
  const scheduleRef = useRef(schedule);
  scheduleRef.current = schedule;

  useEffect(() => {
    const box = wrapper.current;
    if (!box) return;
    performance.mark('weft-map-apply-start');
    const s = st.current;
    const fresh = s.key !== layoutKey || layoutRef.current.size > 4 * (model.nodes.length + 100);
    if (fresh) layoutRef.current = new StableLayout();
    const positions = layoutRef.current.positions(
      model.nodes.map((n) => ({ id: n.data.id, parent: n.data.parent, outside: isOutside(n.data) })),
    );
    const fit = s.fit.onModel(fresh, contentOf(model.nodes.map((n) => n.data.id)));
    // A fresh layout (and a fit) stays due until drawn, even if another model arrives before the frame.
    s.pending = {
      model,
      positions,
      fresh: fresh || (s.pending?.fresh ?? false),
      fit: fit || (s.pending?.fit ?? false),
    };
    s.key = layoutKey;
    scheduleRef.current(false);
    markApplied(box, model);
  }, [model, layoutKey]);

  useEffect(() => {
    const s = st.current;
    const want = selectedEdge ?? null;
    if (want === s.selected) return;
    s.selected = want;
    scheduleRef.current(true);
  }, [selectedEdge]);

  useEffect(() => {
    const el = canvas.current;
    const box = wrapper.current;
    if (!el || !box) return;
    const s = st.current;
    const local = (e: { clientX: number; clientY: number }) => {
      const r = el.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const hitAt = (p: { x: number; y: number }) => {
      if (!s.scene) return null;
      const w = toWorld(s.vp, p.x, p.y);
      return hitTest(s.scene, w.x, w.y, s.vp.zoom);
    };
    // A press: it pans, or moves `target` when it landed on a node or namespace, once it travels DRAG_PX.
    let drag: {
      x: number;
      y: number;
      panX: number;
      panY: number;
      moved: boolean;
      target: DragTarget | null;
      /** Where the pointer was at the last node move: moves are applied as steps, like cytoscape's. */
      last: { x: number; y: number };
      nodes: NodeDrag | null;
    } | null = null;
    let cursor = '';
    const setCursor = (c: string) => {
      if (c === cursor) return;
      cursor = c;
      el.style.cursor = c;
    };
    // Fingers on the canvas: two of them pinch-zoom, as cytoscape allowed on touch screens.
    const down = new Map<number, { x: number; y: number }>();
    let pinch: Pinch | null = null;
    const spread = (): Pinch => {
      const [a, b] = [...down.values()] as [{ x: number; y: number }, { x: number; y: number }];
      return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, dist: Math.hypot(a.x - b.x, a.y - b.y) };
    };
    /** The user's own pan or zoom: it ends a glide, and is kept while the question stays the same. */
    const userMove = () => {
      s.glide = null;
      s.fit.userMove();
    };
    const onDown = (e: PointerEvent) => {
      if (e.button !== 0) return;
      const p = local(e);
      down.set(e.pointerId, p);
      el.setPointerCapture?.(e.pointerId);
      if (down.size === 2) {
        // A second finger turns the gesture into a pinch: no tap, no pan from the first finger.
        drag = null;
        pinch = spread();
        return;
      }
      if (down.size !== 1) return;
      const hit = hitAt(p);
      const target = hit && hit.kind !== 'edge' ? { kind: hit.kind, id: hit.id } : null;
      drag = { x: p.x, y: p.y, panX: s.vp.panX, panY: s.vp.panY, moved: false, target, last: p, nodes: null };
    };
    const onMove = (e: PointerEvent) => {
      const p = local(e);
      if (down.has(e.pointerId)) down.set(e.pointerId, p);
      if (pinch && down.size >= 2) {
        const now = spread();
        userMove();
        s.vp = pinchStep(s.vp, pinch, now);
        pinch = now;
        scheduleRef.current(true);
        return;
      }
      if (drag) {
        const dx = p.x - drag.x;
        const dy = p.y - drag.y;
        if (!drag.moved && Math.hypot(dx, dy) < DRAG_PX) return;
        drag.moved = true;
        if (drag.target && s.scene && s.model) {
          // A live update drew a new scene under the drag: as on the cytoscape map, the node is
          // back at its layout slot and keeps following the pointer's steps from there.
          if (drag.nodes?.scene !== s.scene) drag.nodes = new NodeDrag(s.scene, s.model, drag.target);
          drag.nodes.moveBy((p.x - drag.last.x) / s.vp.zoom, (p.y - drag.last.y) / s.vp.zoom);
          drag.last = p;
          setCursor('grabbing');
        } else {
          // A pan started during a glide goes on from where the glide had got to.
          if (s.glide) {
            drag.panX = s.vp.panX - dx;
            drag.panY = s.vp.panY - dy;
          }
          userMove();
          if (!s.panning) {
            // The canvas shows the scene at the view before this move (or is about to: then the
            // next frame draws it in full and keeps that).
            s.panning = true;
            s.shot = s.dirty || s.pending ? null : takeShot(el, s);
          }
          if (s.pause) clearTimeout(s.pause);
          s.pause = setTimeout(() => {
            s.pause = null;
            s.fullNext = true;
            scheduleRef.current(true);
          }, PAN_PAUSE_MS);
          s.vp = { ...s.vp, panX: drag.panX + dx, panY: drag.panY + dy };
        }
        scheduleRef.current(true);
        return;
      }
      const hit = hitAt(p);
      box.title = hit ? titleOf(s.scene!, s.model, hit) : '';
      setCursor(hit && hit.kind !== 'edge' ? 'grab' : '');
    };
    /** A pan's end: the scene is drawn where it stopped. */
    const endPan = () => {
      if (!s.panning) return;
      s.panning = false;
      s.shot = null;
      if (s.pause) clearTimeout(s.pause);
      s.pause = null;
      scheduleRef.current(true);
    };
    const onCancel = (e: PointerEvent) => {
      endPan();
      down.delete(e.pointerId);
      if (down.size < 2) pinch = null;
      drag = null;
      setCursor('');
    };
    const onUp = (e: PointerEvent) => {
      endPan();
      down.delete(e.pointerId);
      if (down.size < 2) pinch = null;
      const d = drag;
      drag = null;
      if (d?.nodes) {
        setCursor('grab');
        // Dropped: it stays there through later models (until another level or focus).
        for (const n of d.nodes.moving) layoutRef.current.pin(n.id, n);
      }
      if (!d || d.moved) return;
      const p = local(e);
      const hit = hitAt(p);
      if (!hit) handlers.current.onEdgeSelect(null);
      else if (hit.kind === 'edge') {
        // Edges drawn within a few pixels of each other under the tap: the map asks which one.
        const w = toWorld(s.vp, p.x, p.y);
        const ids = closeEdges(edgesNear(s.scene!, w.x, w.y, s.vp.zoom));
        const choose = handlers.current.onEdgeChoices;
        if (choose && ids.length > 1) choose(ids, p);
        else handlers.current.onEdgeSelect(hit.id, p);
      } else handlers.current.onNodeActivate(hit.id);
    };
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const p = local(e);
      const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      userMove();
      s.vp = zoomAt(s.vp, Math.exp(-delta * 0.002), p.x, p.y);
      scheduleRef.current(true);
    };
    const onLeave = () => {
      box.title = '';
      if (!drag) setCursor('');
    };
    const onTheme = () => {
      s.colors = readColors();
      scheduleRef.current(true);
    };
    el.addEventListener('pointerdown', onDown);
    el.addEventListener('pointermove', onMove);
    el.addEventListener('pointerup', onUp);
    el.addEventListener('pointercancel', onCancel);
    el.addEventListener('pointerleave', onLeave);
    el.addEventListener('wheel', onWheel, { passive: false });
    window.addEventListener('weft-theme', onTheme);
    const resize =
      typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => scheduleRef.current(true));
    resize?.observe(el);
    return () => {
      el.removeEventListener('pointerdown', onDown);
      el.removeEventListener('pointermove', onMove);
      el.removeEventListener('pointerup', onUp);
      el.removeEventListener('pointercancel', onCancel);
      el.removeEventListener('pointerleave', onLeave);
      el.removeEventListener('wheel', onWheel);
      window.removeEventListener('weft-theme', onTheme);
      resize?.disconnect();
      if (s.frame) cancelAnimationFrame(s.frame);
      s.frame = 0;
      if (s.pause) clearTimeout(s.pause);
      s.pause = null;
    };
  }, []);

  return (
    <div
      ref={wrapper}
      data-testid="traffic-map"
      data-renderer="canvas"
      role="img"
      aria-label="Traffic map: the lists beside it hold the same nodes and connections for keyboard use"
      className="w-full rounded-lg border border-line bg-bg"
      style={{ height }}
    >
      <canvas ref={canvas} data-testid="traffic-map-canvas" className="block h-full w-full touch-none" />
    </div>
  );
}

/** A copy of what the canvas shows now (the scene of `s` at its view), or null where none can be made. */
function takeShot(el: HTMLCanvasElement, s: MapState): Shot | null {
  if (!s.scene || !s.colors || el.width === 0 || el.height === 0) return null;
  const copy = document.createElement('canvas');
  copy.width = el.width;
  copy.height = el.height;
  const ctx = copy.getContext('2d');
  if (!ctx) return null;
  ctx.drawImage(el, 0, 0);
  return {
    canvas: copy,
    vp: s.vp,
    scene: s.scene,
    selected: s.selected,
    colors: s.colors,
    width: el.width,
    height: el.height,
  };
}

function titleOf(scene: Scene, model: MapModel | null, hit: { kind: string; id: string }): string {
  if (hit.kind === 'edge') {
    const e = model?.edges.find((x) => x.data.id === hit.id);
    return e ? edgeTitle(e.data, model!.window) : (scene.edges.find((x) => x.id === hit.id)?.label ?? '');
  }
  if (hit.kind === 'group') return scene.groups.find((g) => g.id === hit.id)?.full ?? '';
  return scene.nodes.find((n) => n.id === hit.id)?.full ?? '';
}
