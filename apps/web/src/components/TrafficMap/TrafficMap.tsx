import cytoscape, { type Core, type ElementDefinition, type EventObject, type NodeSingular } from 'cytoscape';
import { useEffect, useRef } from 'react';
import {
  edgeTitle,
  isOutside,
  type MapEdgeEl,
  type MapModel,
  type MapNodeEl,
} from '../../domain/mapModel.js';
import { type Point, SPACING, StableLayout } from '../../domain/stableLayout.js';
import { contentOf, FIT_MS, ViewFit } from '../../domain/viewFit.js';
import { countOutside } from '../../domain/viewport.js';
import { cytoscapeEdgesNear } from './cytoscapeEdgesNear.js';
import { labelSizes, mapStyle, readColors } from './mapStyle.js';
import { markApplied } from './markApplied.js';
/** Past this many edges the map switches to the fast style (see mapStyle). */
export const LARGE_EDGES = 1500;

export interface TrafficMapProps {
  model: MapModel;
  /**
   * Changes when the question changes (level, focus, filter): fresh layout and a refit. Same key = live
   * update (refitted only when its nodes changed and the user has not moved the view: ViewFit).
   */
  layoutKey: string;
  onNodeActivate: (id: string) => void;
  onEdgeSelect: (id: string | null, at?: { x: number; y: number }) => void;
  /**
   * A tap where several edges lie within a few pixels of each other (edgeChooser.ts): their ids,
   * nearest first, and where the tap was (CSS px in the map). Without it such a tap picks the nearest.
   */
  onEdgeChoices?: (ids: string[], at: { x: number; y: number }) => void;
  selectedEdge?: string | null;
  height?: number;
}

interface Applied {
  key: string;
  large: boolean;
}

/**
 * The traffic map. Cytoscape is created once; each model is applied as a diff inside one batch, so
 * a live update touches only what changed and nodes stay where they are. At thousands of edges the
 * fast style applies and only what that style draws (width, colour class) is compared.
 */
export function TrafficMap({
  model,
  layoutKey,
  onNodeActivate,
  onEdgeSelect,
  onEdgeChoices,
  selectedEdge,
  height = 560,
}: TrafficMapProps) {
  const wrapper = useRef<HTMLDivElement>(null);
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const layoutRef = useRef<StableLayout>(new StableLayout());
  const applied = useRef<Applied>({ key: '', large: false });
  const fitRef = useRef(new ViewFit());
  /** Whether a picture was on screen: the first one is not animated into place. */
  const shown = useRef(false);
  /** The zoom the label sizes were chosen for (the last fit's). */
  const labelZoom = useRef(1);
  /** Where the nodes on screen are, in map units. */
  const positionsRef = useRef<Map<string, Point>>(new Map());
  const handlers = useRef({ onNodeActivate, onEdgeSelect, onEdgeChoices });
  handlers.current = { onNodeActivate, onEdgeSelect, onEdgeChoices };
  // The tooltip names the window of the model on screen.
  const windowRef = useRef(model.window);
  windowRef.current = model.window;
  const large = model.edges.length > LARGE_EDGES;

  // Created again only when the map crosses the size threshold, with the renderer settings for its
  // size. (Cytoscape's WebGL renderer was measured too: on software GL it is ten times slower.)
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const cy = cytoscape({
      container: el,
      style: mapStyle(readColors(), large),
      minZoom: 0.02,
      maxZoom: 4,
      boxSelectionEnabled: false,
      pixelRatio: large ? 1 : 'auto',
      motionBlur: false,
      textureOnViewport: large,
      hideEdgesOnViewport: large,
    });
    cyRef.current = cy;
    applied.current = { key: '', large };
    cy.on('tap', 'node', (e: EventObject) => handlers.current.onNodeActivate(e.target.id()));
    cy.on('tap', 'edge', (e: EventObject) => {
      const p = e.renderedPosition ?? { x: 0, y: 0 };
      const choose = handlers.current.onEdgeChoices;
      const ids = choose && e.position ? cytoscapeEdgesNear(cy, e.target, e.position) : [];
      if (choose && ids.length > 1) choose(ids, { x: p.x, y: p.y });
      else handlers.current.onEdgeSelect(e.target.id(), { x: p.x, y: p.y });
    });
    cy.on('tap', (e: EventObject) => {
      if (e.target === cy) handlers.current.onEdgeSelect(null);
    });
    // A dropped node stays where the user put it through later models (until another level or
    // focus); a dropped namespace box keeps its members where they went with it.
    cy.on('dragfree', 'node', (e: EventObject) => {
      const n = e.target as NodeSingular;
      const leaves = n.isParent() ? n.descendants().filter((d) => !d.isParent()) : n;
      leaves.forEach((l) => {
        layoutRef.current.pin(l.id(), l.position());
      });
    });
    // The user's own pan or zoom (cytoscape names the gestures apart from a programmatic viewport).
    cy.on('dragpan scrollzoom pinchzoom', () => {
      cy.stop(true, false);
      fitRef.current.userMove();
      markView(cy, wrapper.current, positionsRef.current);
    });
    cy.on('mouseover', 'node, edge', (e: EventObject) => {
      const d = e.target.data();
      const title = e.target.isEdge() ? edgeTitle(d, windowRef.current) : (d.full ?? d.label ?? '');
      if (wrapper.current) wrapper.current.title = title;
    });
    cy.on('mouseout', 'node, edge', () => {
      if (wrapper.current) wrapper.current.title = '';
    });
    const onTheme = () => cy.style(mapStyle(readColors(), applied.current.large, labelZoom.current));
    window.addEventListener('weft-theme', onTheme);
    return () => {
      window.removeEventListener('weft-theme', onTheme);
      cy.destroy();
      cyRef.current = null;
    };
  }, [large]);

  useEffect(() => {
    const cy = cyRef.current;
    const el = container.current;
    const box = wrapper.current;
    if (!cy || !el || !box) return;
    // Measured by bench/web (performance.measure is cheap and visible in DevTools).
    performance.mark('weft-map-apply-start');
    const fresh =
      applied.current.key !== layoutKey || layoutRef.current.size > 4 * (model.nodes.length + 100);
    if (fresh) {
      layoutRef.current = new StableLayout();
      cy.elements().remove();
    }
    const large = model.edges.length > LARGE_EDGES;
    if (large !== applied.current.large || fresh) {
      cy.style(mapStyle(readColors(), large, labelZoom.current));
      // Viewport tricks only pay off when the scene is big; on small maps they would blur labels.
      const r = (
        cy as unknown as { renderer(): { textureOnViewport: boolean; hideEdgesOnViewport: boolean } }
      ).renderer();
      r.textureOnViewport = large;
      r.hideEdgesOnViewport = large;
    }
    applied.current = { key: layoutKey, large };

    const positions = layoutRef.current.positions(
      model.nodes.map((n) => ({
        id: n.data.id,
        parent: n.data.parent,
        outside: isOutside(n.data),
      })),
    );
    if (fresh) {
      cy.batch(() => addAll(cy, model, positions));
    } else {
      // An empty batch still makes cytoscape draw a frame: with nothing visible changed (the usual
      // live update, thanks to the hysteresis below) it must not be opened at all.
      const ops = diffOps(cy, model, positions, large);
      if (ops.length > 0) {
        cy.batch(() => {
          for (const op of ops) op();
        });
      }
    }
    const fit = fitRef.current.onModel(fresh, contentOf(model.nodes.map((n) => n.data.id)));
    // The first picture appears fitted; later ones glide there from the view before.
    if (fit) {
      const zoom = fitTo(cy, positions, el, box, shown.current);
      // Labels sized for the fitted view: at least 11 px on screen (labelSizes).
      if (zoom !== null && labelSizes(zoom).edge !== labelSizes(labelZoom.current).edge) {
        labelZoom.current = zoom;
        if (!large) cy.style(mapStyle(readColors(), large, zoom));
      }
    }
    shown.current = true;
    positionsRef.current = positions;
    if (!fit) markView(cy, box, positions);
    markApplied(box, model);
  }, [model, layoutKey]);

  // After every model too: a re-added edge must come back selected.
  // biome-ignore lint/correctness/useExhaustiveDependencies: model is the trigger, not an input
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    // Touch the selection only when it differs: even an empty unselect makes cytoscape draw a frame.
    const selected = cy.$(':selected');
    const want = selectedEdge && cy.hasElementWithId(selectedEdge) ? selectedEdge : null;
    if (selected.length === (want ? 1 : 0) && (!want || selected.id() === want)) return;
    if (selected.nonempty()) selected.unselect();
    if (want) cy.getElementById(want).select();
  }, [selectedEdge, model]);

  // Cytoscape resizes and redraws everything whenever an attribute of its container changes, so
  // the container is never touched: state for tests and tooltips lives on the wrapper.
  return (
    <div
      ref={wrapper}
      data-testid="traffic-map"
      role="img"
      aria-label="Traffic map: the lists beside it hold the same nodes and connections for keyboard use"
      className="w-full rounded-lg border border-line bg-bg"
      style={{ height }}
    >
      <div ref={container} data-testid="traffic-map-canvas" className="h-full w-full" />
    </div>
  );
}

function nodeDef(n: MapNodeEl, pos: Point | undefined): ElementDefinition {
  return {
    group: 'nodes',
    data: { ...n.data },
    classes: n.classes,
    ...(pos ? { position: { ...pos } } : {}),
  };
}

function edgeDef(e: MapEdgeEl): ElementDefinition {
  return { group: 'edges', data: { ...e.data }, classes: e.classes };
}

function addAll(cy: Core, model: MapModel, positions: Map<string, Point>) {
  // Parents before children, nodes before edges: cytoscape needs both ends to exist.
  const parents: ElementDefinition[] = [];
  const children: ElementDefinition[] = [];
  for (const n of model.nodes)
    (n.data.parent ? children : parents).push(nodeDef(n, positions.get(n.data.id)));
  cy.add([...parents, ...children, ...model.edges.map(edgeDef)]);
}

/** The changes that bring the map to `model`, as operations to run inside one batch. */
function diffOps(cy: Core, model: MapModel, positions: Map<string, Point>, large: boolean): (() => void)[] {
  const ops: (() => void)[] = [];
  const keep = new Set<string>();
  const parents: ElementDefinition[] = [];
  const children: ElementDefinition[] = [];
  const edges: ElementDefinition[] = [];
  for (const n of model.nodes) {
    const id = n.data.id;
    keep.add(id);
    const pos = positions.get(id);
    if (!cy.hasElementWithId(id)) {
      (n.data.parent ? children : parents).push(nodeDef(n, pos));
      continue;
    }
    const existing = cy.getElementById(id) as NodeSingular;
    if ((existing.data('parent') ?? undefined) !== n.data.parent) {
      ops.push(() => existing.remove());
      (n.data.parent ? children : parents).push(nodeDef(n, pos));
      continue;
    }
    const d = existing.data();
    // Same hysteresis as edge widths: a node breathing by a pixel with each second's rate would
    // invalidate the whole layer it is drawn in.
    const sizeMoved = Math.abs(d.size - n.data.size) >= (large ? 4 : 1);
    if (d.label !== n.data.label || sizeMoved) ops.push(() => existing.data(n.data));
    if (existing.classes().join(' ') !== n.classes) ops.push(() => existing.classes(n.classes));
    if (pos && !existing.isParent()) {
      const p = existing.position();
      if (p.x !== pos.x || p.y !== pos.y) ops.push(() => existing.position(pos));
    }
  }
  for (const e of model.edges) {
    const id = e.data.id;
    keep.add(id);
    if (!cy.hasElementWithId(id)) {
      edges.push(edgeDef(e));
      continue;
    }
    const existing = cy.getElementById(id);
    const d = existing.data();
    if (d.source !== e.data.source || d.target !== e.data.target) {
      ops.push(() => existing.remove());
      edges.push(edgeDef(e));
      continue;
    }
    // Every restyle costs a redraw of its layer. The fast style draws no labels, and a width that
    // wobbles by a fraction of a pixel with each second's rate is not worth showing: hysteresis.
    const widthMoved = Math.abs(d.width - e.data.width) >= (large ? 0.75 : 0.25);
    if (widthMoved || d.health !== e.data.health || (!large && d.label !== e.data.label)) {
      ops.push(() => existing.data(e.data));
    }
    if (existing.classes().join(' ') !== e.classes) ops.push(() => existing.classes(e.classes));
  }
  const gone = cy.elements().filter((ele) => !keep.has(ele.id()));
  if (gone.nonempty()) ops.push(() => gone.remove());
  if (parents.length + children.length + edges.length > 0)
    ops.push(() => cy.add([...parents, ...children, ...edges]));
  return ops;
}

/**
 * On the wrapper, for the e2e suite: whether the view is still gliding, its zoom, and how many nodes lie
 * outside it (from the layout's positions, as fitTo reads them).
 */
function markView(cy: Core, box: HTMLElement | null, positions: Map<string, Point>, moving = false) {
  if (!box) return;
  const el = cy.container();
  const { x, y } = cy.pan();
  const v = { zoom: cy.zoom(), panX: x, panY: y };
  box.dataset.view = moving ? 'moving' : 'settled';
  box.dataset.zoom = v.zoom.toFixed(3);
  box.dataset.nodesOutside = String(
    countOutside(positions.values(), v, el?.clientWidth ?? 0, el?.clientHeight ?? 0),
  );
}

/**
 * Fits the view from the layout's own positions (asking cytoscape for the bounding box of thousands of
 * elements is slow); returns the zoom it fits at.
 */
function fitTo(
  cy: Core,
  positions: Map<string, Point>,
  el: HTMLElement,
  box: HTMLElement,
  glide: boolean,
): number | null {
  cy.resize();
  if (positions.size === 0) return null;
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const p of positions.values()) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  // Room for node size, labels and group padding.
  const pad = SPACING * 0.8;
  minX -= pad;
  minY -= pad;
  maxX += pad;
  maxY += pad;
  const w = el.clientWidth || 800;
  const h = el.clientHeight || 560;
  const zoom = Math.min(1.6, Math.max(0.02, Math.min(w / (maxX - minX), h / (maxY - minY))));
  const pan = { x: w / 2 - ((minX + maxX) / 2) * zoom, y: h / 2 - ((minY + maxY) / 2) * zoom };
  cy.stop(true, false);
  const done = () => markView(cy, box, positions);
  if (!glide) {
    cy.viewport({ zoom, pan });
    done();
    return zoom;
  }
  markView(cy, box, positions, true);
  cy.animate({ zoom, pan }, { duration: FIT_MS, easing: 'ease-out-cubic', complete: done });
  return zoom;
}
