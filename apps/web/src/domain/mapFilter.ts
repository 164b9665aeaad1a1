import type { GraphEdge, GraphResponse } from '@weft/protocol';
import { slowDns } from './edgeLabel.js';

/**
 * An edge with a problem: it dropped, failed connects, had failed DNS answers or slow ones (a port's
 * DNS p95 at least DNS_SLOW_MS) in the window.
 */
export function hasProblem(
  e: Pick<GraphEdge, 'dropsPerSec' | 'tcpFailures' | 'dnsErrors'> & Partial<Pick<GraphEdge, 'ports'>>,
): boolean {
  return e.dropsPerSec > 0 || e.tcpFailures > 0 || e.dnsErrors > 0 || (e.ports?.some(slowDns) ?? false);
}

/**
 * The graph with only its problem edges (hasProblem), the nodes they join and those nodes' parents:
 * the map's "only problems" filter, applied in the browser because the graph API has no such filter
 * (namespace, text, protocol and port it applies itself). The same object back when every edge has a
 * problem, so a memo downstream sees no change.
 */
export function onlyProblems(graph: GraphResponse): GraphResponse {
  const edges = graph.edges.filter(hasProblem);
  if (edges.length === graph.edges.length) return graph;
  const keep = new Set<string>();
  for (const e of edges) {
    keep.add(e.source);
    keep.add(e.target);
  }
  const parents = new Set<string>();
  for (const n of graph.nodes) if (keep.has(n.id) && n.parent) parents.add(n.parent);
  const nodes = graph.nodes.filter((n) => keep.has(n.id) || parents.has(n.id));
  return { ...graph, nodes, edges };
}
