import cytoscape, { type Core, type ElementDefinition, type EventObject } from 'cytoscape';
import { useEffect, useRef } from 'react';
import type { MapModel } from '../../domain/mapModel.js';
import { StableLayout } from '../../domain/stableLayout.js';
import { mapStyle, readColors } from './mapStyle.js';

/** Past this many edges the map switches to the fast style (see mapStyle). */
export const LARGE_EDGES = 1500;

export interface TrafficMapProps {
  model: MapModel;
  /** Changes when the question changes (level, focus): fresh layout and a refit. Same key = live update. */
  layoutKey: string;
  onNodeActivate: (id: string) => void;
  onEdgeSelect: (id: string | null, at?: { x: number; y: number }) => void;
  selectedEdge?: string | null;
  height?: number;
}

interface Applied {
  key: string;
  large: boolean;
}

/**
 * The traffic map. Cytoscape is created once; each model is applied as a diff inside one batch, so
 * a live update touches only what changed and nodes stay where they are.
 */
export function TrafficMap({
  model,
  layoutKey,
  onNodeActivate,
  onEdgeSelect,
  selectedEdge,
  height = 560,
}: TrafficMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const layoutRef = useRef<StableLayout>(new StableLayout());
  const applied = useRef<Applied>({ key: '', large: false });
  const handlers = useRef({ onNodeActivate, onEdgeSelect });
  handlers.current = { onNodeActivate, onEdgeSelect };

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const cy = cytoscape({
      container: el,
      style: mapStyle(readColors(), false),
      minZoom: 0.03,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autoungrabify: false,
    });
    cyRef.current = cy;
    cy.on('tap', 'node', (e: EventObject) => handlers.current.onNodeActivate(e.target.id()));
    cy.on('tap', 'edge', (e: EventObject) => {
      const p = e.renderedPosition ?? { x: 0, y: 0 };
      handlers.current.onEdgeSelect(e.target.id(), { x: p.x, y: p.y });
    });
    cy.on('tap', (e: EventObject) => {
      if (e.target === cy) handlers.current.onEdgeSelect(null);
    });
    cy.on('mouseover', 'node, edge', (e: EventObject) => {
      const d = e.target.data();
      el.title = d.full ?? d.label ?? '';
    });
    cy.on('mouseout', 'node, edge', () => {
      el.title = '';
    });
    const onTheme = () => cy.style(mapStyle(readColors(), applied.current.large));
    window.addEventListener('weft-theme', onTheme);
    return () => {
      window.removeEventListener('weft-theme', onTheme);
      cy.destroy();
      cyRef.current = null;
    };
  }, []);

  useEffect(() => {
    const cy = cyRef.current;
    const el = container.current;
    if (!cy || !el) return;
    const fresh =
      applied.current.key !== layoutKey || layoutRef.current.size > 4 * (model.nodes.length + 100);
    if (fresh) {
      layoutRef.current = new StableLayout();
      cy.elements().remove();
    }
    const large = model.edges.length > LARGE_EDGES;
    if (large !== applied.current.large || fresh) cy.style(mapStyle(readColors(), large));
    applied.current = { key: layoutKey, large };

    const positions = layoutRef.current.positions(
      model.nodes.map((n) => ({
        id: n.data.id,
        parent: n.data.parent,
        outside: n.data.kind === 'world' || n.data.kind === 'host' || n.data.kind === 'others',
      })),
    );
    cy.batch(() => {
      const keep = new Set<string>();
      const add: ElementDefinition[] = [];
      for (const n of model.nodes) {
        keep.add(n.data.id);
        const existing = cy.getElementById(n.data.id);
        const pos = positions.get(n.data.id);
        if (existing.nonempty() && (existing.data('parent') ?? undefined) === n.data.parent) {
          const d = existing.data();
          if (
            d.label !== n.data.label ||
            d.size !== n.data.size ||
            d.dropsPerSec !== n.data.dropsPerSec ||
            d.bytesPerSec !== n.data.bytesPerSec
          ) {
            existing.data(n.data);
          }
          if (existing.classes().join(' ') !== n.classes) existing.classes(n.classes);
          if (pos && !existing.isParent()) {
            const p = existing.position();
            if (p.x !== pos.x || p.y !== pos.y) existing.position(pos);
          }
        } else {
          if (existing.nonempty()) existing.remove();
          add.push({
            group: 'nodes',
            data: { ...n.data },
            classes: n.classes,
            ...(pos ? { position: { ...pos } } : {}),
          });
        }
      }
      for (const e of model.edges) {
        keep.add(e.data.id);
        const existing = cy.getElementById(e.data.id);
        if (
          existing.nonempty() &&
          existing.data('source') === e.data.source &&
          existing.data('target') === e.data.target
        ) {
          const d = existing.data();
          if (d.label !== e.data.label || d.width !== e.data.width || d.health !== e.data.health)
            existing.data(e.data);
          if (existing.classes().join(' ') !== e.classes) existing.classes(e.classes);
        } else {
          if (existing.nonempty()) existing.remove();
          add.push({ group: 'edges', data: { ...e.data }, classes: e.classes });
        }
      }
      cy.elements().forEach((ele) => {
        if (!keep.has(ele.id())) ele.remove();
      });
      // Parents before children, nodes before edges: cytoscape needs the ends to exist.
      add.sort((a, b) => rank(a) - rank(b));
      if (add.length > 0) cy.add(add);
    });
    if (fresh) {
      cy.resize();
      cy.fit(undefined, 40);
      if (cy.zoom() > 1.6) cy.zoom(1.6);
      if (model.nodes.length > 0) cy.center();
    }
    el.dataset.nodes = String(model.nodes.length);
    el.dataset.edges = String(model.edges.length);
    el.dataset.dropEdges = String(model.edges.filter((e) => e.data.health === 'drops').length);
    el.dataset.ready = '1';
  }, [model, layoutKey]);

  // After every model too: a re-added edge must come back selected.
  // biome-ignore lint/correctness/useExhaustiveDependencies: model is the trigger, not an input
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.edges(':selected').unselect();
    if (selectedEdge) cy.getElementById(selectedEdge).select();
  }, [selectedEdge, model]);

  return (
    <div
      ref={container}
      data-testid="traffic-map"
      role="img"
      aria-label="Traffic map: the lists beside it hold the same nodes and connections for keyboard use"
      className="w-full rounded-lg border border-line bg-bg"
      style={{ height }}
    />
  );
}

function rank(e: ElementDefinition): number {
  if (e.group === 'edges') return 3;
  return e.data.parent ? 2 : 1;
}
