import type { GraphEdge, GraphNode, GraphResponse } from './graph.js';
import type { EdgeChanges, GraphHead, NodeChanges } from './live.js';

/**
 * Live deltas (live.ts LiveDelta): what changed between two graphs of one subscription, and the graph
 * that the older one plus those changes gives. Both sides agree on one order of the lists (by id for
 * nodes; edges by bytes per second, biggest first, then id), so a graph built from deltas is the very
 * graph a whole update would have carried, item for item and in the same order.
 */

interface Keyed {
  id: string;
}

export interface GraphChanges {
  head: GraphHead;
  nodes: NodeChanges;
  edges: EdgeChanges;
}

/** A list's items by id. */
export type ItemsById<T> = ReadonlyMap<string, T>;

export function itemsById<T extends Keyed>(items: readonly T[]): Map<string, T> {
  const m = new Map<string, T>();
  for (const i of items) m.set(i.id, i);
  return m;
}

/** Equal as JSON carries them: undefined members absent, NaN and null alike (both arrive as null). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return !Number.isFinite(a) && !Number.isFinite(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    const an = a === null || (typeof a === 'number' && !Number.isFinite(a));
    const bn = b === null || (typeof b === 'number' && !Number.isFinite(b));
    return an && bn;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  const ka = definedKeys(a as Record<string, unknown>);
  const kb = definedKeys(b as Record<string, unknown>);
  if (ka.length !== kb.length) return false;
  for (const k of kb) {
    if (!Object.hasOwn(a, k)) return false;
    if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

function definedKeys(o: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const k in o) if (Object.hasOwn(o, k) && o[k] !== undefined) keys.push(k);
  return keys;
}

/**
 * `next` against `prev`: null when they are equal, 'shape' when a field came or went (the item is sent
 * whole), else the id and the fields whose values differ.
 */
function patchOf<T extends Keyed>(prev: T, next: T): Partial<T> | 'shape' | null {
  const p = prev as unknown as Record<string, unknown>;
  const n = next as unknown as Record<string, unknown>;
  let prevCount = 0;
  for (const k in p) if (Object.hasOwn(p, k) && p[k] !== undefined) prevCount++;
  let patch: Record<string, unknown> | null = null;
  let nextCount = 0;
  for (const k in n) {
    if (!Object.hasOwn(n, k) || n[k] === undefined) continue;
    nextCount++;
    if (!Object.hasOwn(p, k) || p[k] === undefined) return 'shape';
    if (!sameValue(p[k], n[k])) {
      patch ??= { id: next.id };
      patch[k] = n[k];
    }
  }
  if (prevCount !== nextCount) return 'shape';
  return patch as Partial<T> | null;
}

/** How one list changed from `prev` to `next`. */
export function itemChanges<T extends Keyed>(
  prev: ItemsById<T>,
  next: readonly T[],
): { put: T[]; patch: (Partial<T> & Keyed)[]; remove: string[] } {
  const put: T[] = [];
  const patch: (Partial<T> & Keyed)[] = [];
  const seen = new Set<string>();
  for (const item of next) {
    seen.add(item.id);
    const before = prev.get(item.id);
    if (before === undefined) {
      put.push(item);
      continue;
    }
    if (before === item) continue;
    const p = patchOf(before, item);
    if (p === 'shape') put.push(item);
    else if (p !== null) patch.push(p as Partial<T> & Keyed);
  }
  const remove: string[] = [];
  for (const id of prev.keys()) if (!seen.has(id)) remove.push(id);
  return { put, patch, remove };
}

/** The graph's fields other than its lists. */
export function graphHead(g: GraphResponse): GraphHead {
  const { nodes: _n, edges: _e, ...head } = g;
  return head;
}

/** What changed from the graph whose lists are `prevNodes`/`prevEdges` to `next`. */
export function graphChanges(
  prevNodes: ItemsById<GraphNode>,
  prevEdges: ItemsById<GraphEdge>,
  next: GraphResponse,
): GraphChanges {
  return {
    head: graphHead(next),
    nodes: itemChanges(prevNodes, next.nodes),
    edges: itemChanges(prevEdges, next.edges),
  };
}

const byId = (a: Keyed, b: Keyed) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const edgeOrder = (a: GraphEdge, b: GraphEdge) => b.bytesPerSec - a.bytesPerSec || byId(a, b);

/** The graph with its lists in the order both sides agree on (a new graph; `g` is left alone). */
export function canonicalGraph(g: GraphResponse): GraphResponse {
  return { ...g, nodes: [...g.nodes].sort(byId), edges: [...g.edges].sort(edgeOrder) };
}

/** A delta that does not fit the graph it is applied to (a patch for an item the graph lacks). */
export class GraphDeltaMismatch extends Error {}

function applyItems<T extends Keyed>(
  items: readonly T[],
  c: { put: readonly T[]; patch: readonly (Partial<T> & Keyed)[]; remove: readonly string[] },
  order: (a: T, b: T) => number,
): T[] {
  if (c.put.length === 0 && c.patch.length === 0 && c.remove.length === 0) return items as T[];
  const m = itemsById(items);
  for (const id of c.remove) m.delete(id);
  for (const item of c.put) m.set(item.id, item);
  for (const p of c.patch) {
    const old = m.get(p.id);
    if (old === undefined) throw new GraphDeltaMismatch(`a change for ${p.id}, which the graph lacks`);
    m.set(p.id, { ...old, ...p });
  }
  return [...m.values()].sort(order);
}

/**
 * `g` (in the agreed order: canonicalGraph, or a graph this returned) with `d` applied: a new graph, `g`
 * is left alone. Throws GraphDeltaMismatch when `d` was not made against `g`'s items.
 */
export function applyGraphDelta(g: GraphResponse, d: GraphChanges): GraphResponse {
  return {
    ...d.head,
    nodes: applyItems(g.nodes, d.nodes, byId),
    edges: applyItems(g.edges, d.edges, edgeOrder),
  };
}
