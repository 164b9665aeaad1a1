import type { EdgeChangeKind, GraphEdge, GraphNode, GraphResponse, TimeWindow } from '@weft/protocol';

/**
 * When a rate counts as "rose" against the baseline. Both windows are compared as rates per second
 * (their lengths differ: a 10 s live window against an hour). A rise must pass both tests:
 * - `ratio`: the selected window's rate is at least this multiple of the baseline's, so an edge that
 *   always drops a little is not marked for the usual wobble;
 * - `minExtra`: the selected window holds at least this many events more than the baseline rate
 *   predicts for it. An absolute floor in events, not in events per second: one stray failure in a
 *   10 s live window is noise however high its rate reads, and a fault of a few minutes inside a
 *   1 h window is not, however low its rate over the hour reads.
 */
export const CHANGE_THRESHOLDS = { ratio: 2, minExtra: 5 } as const;

/** An edge's measures that compare can mark, as per-second rates of one window. */
interface Rates {
  drops: number;
  failures: number;
  dnsErrors: number;
}

/** The figures of an edge that compare reads (a whole GraphEdge, or a baseline's figures). */
export type MarkedFigures = Pick<GraphEdge, 'dropsPerSec' | 'tcpFailures' | 'dnsErrors'>;

function rates(e: MarkedFigures, seconds: number): Rates {
  return { drops: e.dropsPerSec, failures: e.tcpFailures / seconds, dnsErrors: e.dnsErrors / seconds };
}

/** Whether `cur` (per second over `seconds`) rose past the thresholds against `base` (per second). */
export function rose(cur: number, base: number, seconds: number): boolean {
  const extra = (cur - base) * seconds;
  return extra >= CHANGE_THRESHOLDS.minExtra && cur >= base * CHANGE_THRESHOLDS.ratio;
}

/** What marks an edge seen in both windows gets (empty when nothing rose). */
export function edgeChanges(
  cur: MarkedFigures,
  base: MarkedFigures,
  seconds: { current: number; baseline: number },
): EdgeChangeKind[] {
  const c = rates(cur, seconds.current);
  const b = rates(base, seconds.baseline);
  const out: EdgeChangeKind[] = [];
  if (rose(c.drops, b.drops, seconds.current)) out.push('drops_rose');
  if (rose(c.failures, b.failures, seconds.current)) out.push('failures_rose');
  if (rose(c.dnsErrors, b.dnsErrors, seconds.current)) out.push('dns_errors_rose');
  return out;
}

/** An edge with no traffic: what an edge absent from a window had there (a literal: no spread per edge). */
function quietEdge(id: string, source: string, target: string, ports: GraphEdge['ports']): GraphEdge {
  return {
    id,
    source,
    target,
    ports,
    bytesPerSec: 0,
    packetsPerSec: 0,
    dropsPerSec: 0,
    dropReasons: {},
    tcpConnects: 0,
    tcpFailures: 0,
    connectLatencyP50Ms: null,
    connectLatencyP95Ms: null,
    rttMs: null,
    retransmits: 0,
    dnsQueries: 0,
    dnsErrors: 0,
  };
}

/** What an edge absent from the baseline had there. */
export const NONE = quietEdge('', '', '', []);

export function baselineFigures(e: GraphEdge): NonNullable<GraphEdge['baseline']> {
  return {
    bytesPerSec: e.bytesPerSec,
    dropsPerSec: e.dropsPerSec,
    tcpFailures: e.tcpFailures,
    dnsErrors: e.dnsErrors,
  };
}

/** A baseline edge with no traffic now: drawn with zero rates, its baseline figures beside. */
export function vanishedEdge(b: GraphEdge): GraphEdge {
  const e = quietEdge(
    b.id,
    b.source,
    b.target,
    b.ports.map((p) => ({ port: p.port, proto: p.proto, bytesPerSec: 0 })),
  );
  e.changes = ['vanished'];
  e.baseline = baselineFigures(b);
  return e;
}

/**
 * Adds the baseline's vanished edges after the selection's, and the baseline's nodes they need that the
 * selection lacks (with no traffic now), keeping the nodes in id order.
 */
export function appendVanished(
  nodes: GraphNode[],
  edges: GraphEdge[],
  vanished: readonly GraphEdge[],
  baselineNodes: readonly GraphNode[],
): void {
  if (vanished.length === 0) return;
  const have = new Set(nodes.map((n) => n.id));
  const baseNodes = new Map<string, GraphNode>(baselineNodes.map((n) => [n.id, n]));
  for (const v of vanished) {
    edges.push(vanishedEdge(v));
    for (const id of [v.source, v.target]) {
      const n = baseNodes.get(id);
      if (!n || have.has(id)) continue;
      have.add(id);
      n.bytesPerSec = 0;
      n.dropsPerSec = 0;
      nodes.push(n);
    }
  }
  nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The selected window's graph marked against the baseline's (both at the same level and filter):
 * edges of the selection only are `new`, edges of the baseline only are kept as `vanished` with zero
 * rates (and their nodes, so the map can draw them), edges in both get `baseline` figures and the
 * rises. `seconds` are each window's observed seconds (what their rates were divided by).
 * Edges are matched by id, so an `others` node folding different members in each window compares as
 * one node (the map cannot tell its members apart either).
 * Both graphs are consumed: `current`'s edges are marked in place and the baseline's nodes reused
 * (copying thousands of edge objects with a spread cost more than both graph queries).
 */
export function compareGraphs(
  current: GraphResponse,
  baseline: GraphResponse,
  baselineWindow: TimeWindow,
  seconds: { current: number; baseline: number },
): GraphResponse {
  const before = new Map<string, GraphEdge>();
  for (const e of baseline.edges) before.set(e.id, e);
  const edges = current.edges;
  for (const e of edges) {
    const b = before.get(e.id);
    if (!b) {
      // A new edge that drops or fails says so too: "new, with drops" is what a fault looks like.
      e.changes = ['new', ...edgeChanges(e, NONE, seconds)];
      continue;
    }
    before.delete(e.id);
    const changes = edgeChanges(e, b, seconds);
    if (changes.length > 0) e.changes = changes;
    e.baseline = baselineFigures(b);
  }
  // In the baseline's order (busiest first, then id), after the edges of the selection.
  const vanished = [...before.values()];
  appendVanished(current.nodes, edges, vanished, baseline.nodes);
  current.baseline = { start: baselineWindow.start, end: baselineWindow.end };
  return current;
}
