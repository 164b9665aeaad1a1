import {
  canonicalGraph,
  GraphDeltaMismatch,
  type GraphEdge,
  type GraphNode,
  itemsById,
  type LiveDelta,
  type LiveUpdate,
} from '@weft/protocol';

export interface LiveReceived {
  /** The graph to show now (whole, as an update would carry it), or null when there is none new. */
  show: LiveUpdate | null;
  /** The client must ask for the whole graph: a delta did not follow the graph it holds. */
  resync: boolean;
}

/**
 * The graph of one live subscription as the browser holds it: a whole update replaces it, a delta on the
 * update it holds (`base` is that one's `seq`) is applied to it. A delta on anything else means the
 * client missed a message: it asks once for the whole graph and ignores deltas until that comes.
 */
export class LiveGraph {
  private held: LiveUpdate | null = null;
  private asked = false;
  /**
   * The held graph's items by id, kept from one delta to the next (not rebuilt for 50,000 edges); made
   * at the first delta after a whole graph, so the first picture does not wait for them.
   */
  private nodesById: Map<string, GraphNode> | null = null;
  private edgesById: Map<string, GraphEdge> | null = null;

  /** A new subscription (or connection): what is held no longer answers it. */
  reset(): void {
    this.held = null;
    this.asked = false;
  }

  get current(): LiveUpdate | null {
    return this.held;
  }

  receive(msg: LiveUpdate | LiveDelta): LiveReceived {
    if (msg.type === 'update') {
      this.held = { ...msg, graph: canonicalGraph(msg.graph) };
      this.nodesById = null;
      this.edgesById = null;
      this.asked = false;
      return { show: this.held, resync: false };
    }
    const held = this.held;
    if (held !== null && msg.base === held.seq) {
      try {
        // As protocol's applyGraphDelta gives it (the same items in the same order), on the kept maps.
        this.nodesById ??= itemsById(held.graph.nodes);
        this.edgesById ??= itemsById(held.graph.edges);
        const nodes = applyChanges(held.graph.nodes, this.nodesById, msg.nodes, byId);
        const edges = applyChanges(held.graph.edges, this.edgesById, msg.edges, edgeOrder);
        const { type: _t, base: _b, head: _h, nodes: _n, edges: _e, ...rest } = msg;
        this.held = { ...rest, type: 'update', graph: { ...msg.head, nodes, edges } };
        return { show: this.held, resync: false };
      } catch (err) {
        if (!(err instanceof GraphDeltaMismatch)) throw err;
      }
    }
    // Behind: what is held stays on screen until the whole graph comes.
    this.held = null;
    const resync = !this.asked;
    this.asked = true;
    return { show: null, resync };
  }
}

interface Keyed {
  id: string;
}

// The agreed order of protocol's graphDelta.ts: nodes by id, edges by bytes per second then id.
const byId = (a: Keyed, b: Keyed) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const edgeOrder = (a: GraphEdge, b: GraphEdge) => b.bytesPerSec - a.bytesPerSec || byId(a, b);

/**
 * `list` (in `order`, its items those of `by`) with changes `c` applied: `by` is brought up to date in
 * place, the list returned is new (the same one when nothing changed). Only the changed items are
 * sorted, then merged into the unchanged ones, which keep their order: a delta of 5% of 50,000 edges
 * costs a pass, not a sort of them all. Throws GraphDeltaMismatch for a patch of an item `by` lacks
 * (`by` is then behind `list`: the caller drops both and asks for the whole graph).
 */
export function applyChanges<T extends Keyed>(
  list: readonly T[],
  by: Map<string, T>,
  c: { put: readonly T[]; patch: readonly (Partial<T> & Keyed)[]; remove: readonly string[] },
  order: (a: T, b: T) => number,
): T[] {
  if (c.put.length === 0 && c.patch.length === 0 && c.remove.length === 0) return list as T[];
  const changed = new Set<string>();
  for (const id of c.remove) if (by.delete(id)) changed.add(id);
  for (const item of c.put) {
    by.set(item.id, item);
    changed.add(item.id);
  }
  for (const p of c.patch) {
    const old = by.get(p.id);
    if (old === undefined) throw new GraphDeltaMismatch(`a change for ${p.id}, which the graph lacks`);
    by.set(p.id, { ...old, ...p });
    changed.add(p.id);
  }
  const moved: T[] = [];
  for (const id of changed) {
    const item = by.get(id);
    if (item !== undefined) moved.push(item);
  }
  moved.sort(order);
  const out: T[] = [];
  let j = 0;
  for (const item of list) {
    if (changed.has(item.id)) continue;
    while (j < moved.length && order(moved[j]!, item) < 0) out.push(moved[j++]!);
    out.push(item);
  }
  while (j < moved.length) out.push(moved[j++]!);
  return out;
}
