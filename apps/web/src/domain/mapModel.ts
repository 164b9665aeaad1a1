import { formatNumber, type GraphEdge, type GraphNode, type GraphResponse } from '@weft/protocol';
import { CHANGE_WORDS, type EdgePresence, edgeMark, markClasses } from './changes.js';
import { edgeHealth, edgeLabel, edgeWidth } from './edgeLabel.js';
import { formatByteRate, truncateMiddle } from './format.js';
import type { Point } from './stableLayout.js';

/**
 * The graph as map elements: plain data, no cytoscape, so it is testable and cheap to diff.
 * Labels are text only (cytoscape draws them on canvas), shortened so a hostile 253-character name
 * cannot stretch the map; the full name travels in `full` for tooltips and the side panel.
 */
export interface MapNodeData {
  id: string;
  label: string;
  full: string;
  kind: GraphNode['kind'] | 'group';
  parent?: string;
  bytesPerSec: number;
  dropsPerSec: number;
  size: number;
}

export interface MapEdgeData {
  id: string;
  source: string;
  target: string;
  label: string;
  width: number;
  health: 'ok' | 'drops' | 'failing';
  bytesPerSec: number;
  /** With `compare`: the edge appeared or vanished against the baseline. */
  presence: EdgePresence;
  /** With `compare`: its drops, failures or DNS errors rose against the baseline. */
  rose: boolean;
  /** With `compare`: the changes in words ("drops rose, TCP failures rose"), '' without. */
  changed: string;
}

export interface MapNodeEl {
  data: MapNodeData;
  classes: string;
  position?: Point;
}

export interface MapEdgeEl {
  data: MapEdgeData;
  classes: string;
}

export interface MapModel {
  nodes: MapNodeEl[];
  edges: MapEdgeEl[];
  /** Nodes that hold others (namespaces at workload/pod level). */
  groups: Set<string>;
  /** Which window the rates are over, in words ("last 10 s"): tooltips say it. */
  window: string;
}

export const LABEL_MAX = 28;

export function isOutside(n: { kind: MapNodeData['kind'] }): boolean {
  return n.kind === 'world' || n.kind === 'host' || n.kind === 'others';
}

export function nodeClasses(n: GraphNode, group: boolean): string {
  const c = [`k-${n.kind}`];
  if (group) c.push('group');
  // A Kubernetes node or host that runs CoreDNS is still a machine: it keeps its own shape and gets
  // a DNS-coloured border; only DNS endpoints themselves (pods, workloads, kube-system) are hexagons.
  if (n.dns) c.push(n.kind === 'node' || n.kind === 'host' ? 'hosts-dns' : 'dns');
  if (n.dropsPerSec > 0) c.push('has-drops');
  return c.join(' ');
}

function nodeSize(bytesPerSec: number): number {
  return Math.round(24 + Math.min(26, Math.log10(1 + bytesPerSec / 1000) * 6));
}

export function buildMapModel(graph: GraphResponse, focus = '', window = ''): MapModel {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const groups = new Set<string>();
  for (const n of graph.nodes) if (n.parent && n.parent !== n.id) groups.add(n.parent);
  const nodes: MapNodeEl[] = [];
  // A parent the server named but did not send still needs a box to hold its children.
  for (const g of groups) {
    if (ids.has(g)) continue;
    const name = g.replace(/^ns:/, '');
    nodes.push({
      data: {
        id: g,
        label: truncateMiddle(name, LABEL_MAX),
        full: name,
        kind: 'group',
        bytesPerSec: 0,
        dropsPerSec: 0,
        size: 0,
      },
      classes: 'k-namespace group',
    });
    ids.add(g);
  }
  for (const n of graph.nodes) {
    const group = groups.has(n.id);
    const label = n.kind === 'others' && n.members ? `${n.label} (${n.members})` : n.label;
    const data: MapNodeData = {
      id: n.id,
      label: truncateMiddle(label, LABEL_MAX),
      full: label,
      kind: n.kind,
      bytesPerSec: n.bytesPerSec,
      dropsPerSec: n.dropsPerSec,
      size: nodeSize(n.bytesPerSec),
    };
    if (n.parent && n.parent !== n.id && ids.has(n.parent)) data.parent = n.parent;
    nodes.push({ data, classes: n.id === focus ? `${nodeClasses(n, group)} focus` : nodeClasses(n, group) });
  }
  const edges: MapEdgeEl[] = [];
  for (const e of graph.edges) {
    if (!ids.has(e.source) || !ids.has(e.target)) continue;
    const health = edgeHealth(e);
    const mark = edgeMark(e.changes);
    edges.push({
      data: {
        id: e.id,
        source: e.source,
        target: e.target,
        label: edgeLabel(e),
        // Half-pixel steps: finer changes are invisible and would restyle the edge every second.
        width: Math.round(edgeWidth(e.bytesPerSec) * 2) / 2,
        health,
        bytesPerSec: e.bytesPerSec,
        presence: mark.presence,
        rose: mark.rose,
        changed: e.changes ? e.changes.map((c) => CHANGE_WORDS[c]).join(', ') : '',
      },
      classes: `h-${health}${e.dnsQueries > 0 && e.ports[0]?.port === 53 ? ' dns' : ''}${markClasses(mark)}`,
    });
  }
  return { nodes, edges, groups, window };
}

/**
 * An edge's tooltip: its label with the window it is over, and what changed. Built on hover only, so
 * thousands of edges do not each carry one.
 */
export function edgeTitle(d: Pick<MapEdgeData, 'label' | 'changed'>, window: string): string {
  const over = window ? `${d.label} (${window})` : d.label;
  return d.changed ? `${over}: ${d.changed}` : over;
}

/** Top nodes by traffic, for the keyboard-reachable list beside the map. */
export function topNodes(graph: GraphResponse, n: number): GraphNode[] {
  return topN(graph.nodes, n, (a, b) => b.bytesPerSec - a.bytesPerSec || byId(a, b));
}

/** Edges worth a look first: drops, then failures, then traffic. */
export function topEdges(graph: GraphResponse, n: number): GraphEdge[] {
  const rank = (e: GraphEdge) => (e.dropsPerSec > 0 ? 2 : e.tcpFailures > 0 ? 1 : 0);
  return topN(graph.edges, n, (a, b) => rank(b) - rank(a) || b.bytesPerSec - a.bytesPerSec || byId(a, b));
}

// Plain code-unit order: localeCompare is far slower, and this runs on 10,000 edges every second.
function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The first n of `items` in `cmp` order without sorting them all (n is small, items many). */
export function topN<T>(items: readonly T[], n: number, cmp: (a: T, b: T) => number): T[] {
  const best: T[] = [];
  for (const item of items) {
    if (best.length === n && cmp(item, best[n - 1]!) >= 0) continue;
    let i = best.length;
    while (i > 0 && cmp(item, best[i - 1]!) < 0) i--;
    best.splice(i, 0, item);
    if (best.length > n) best.pop();
  }
  return best;
}

/** Summary line for a node in lists and tooltips. */
export function nodeSummary(n: Pick<GraphNode, 'bytesPerSec' | 'dropsPerSec'>): string {
  return `${formatByteRate(n.bytesPerSec)}${n.dropsPerSec > 0 ? `, ${formatNumber(n.dropsPerSec)} drops/s` : ''}`;
}
