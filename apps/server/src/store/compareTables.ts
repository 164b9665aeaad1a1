import type { FilterState, GraphEdge, GraphResponse, TimeWindow } from '@weft/protocol';
import { BYTES, DNS_ERRORS, DROP_PACKETS, FAILURES, SCALARS } from './edgeTier.js';
import { appendVanished, edgeChanges, NONE } from './graphCompare.js';
import {
  answerOrder,
  edgeRates,
  type GraphOptions,
  type GraphTable,
  portsByEdge,
  tableEdge,
  tableGraph,
  tableNodes,
} from './graphQuery.js';
import { round } from './window.js';

/**
 * compareGraphs(tableGraph(current), tableGraph(baseline), ...) without the baseline's graph: edges
 * are matched by their ends' node numbers (both tables of one LevelTables generation, `others` one
 * node in both) instead of id strings, and only the vanished edges of the baseline become objects.
 * Building the baseline's ~5,000 workload edges to read four numbers of each, and keeping both graphs
 * alive through the marking (every young collection copied them), cost more than the baseline's query.
 */
export function compareTables(
  current: GraphTable,
  baseline: GraphTable,
  f: FilterState,
  opts: GraphOptions,
  baselineWindow: TimeWindow,
): GraphResponse {
  if (current.generation !== baseline.generation) throw new Error('compareTables: tables of two generations');
  const c = current.t;
  const b = baseline.t;
  // Node numbers of both tables, `others` past either table's nodes.
  const others = Math.max(c.others, b.others) + 1;
  const width = others + 1;
  const keyOf = (t: typeof c, k: number) => {
    const s = t.src[k]!;
    const d = t.dst[k]!;
    return (s === t.others ? others : s) * width + (d === t.others ? others : d);
  };
  const before = new Map<number, number>();
  for (let k = 0; k < b.count; k++) before.set(keyOf(b, k), k);
  const matched = new Uint8Array(b.count);
  const order = answerOrder(current, edgeRates(current));
  const answer = tableGraph(current, f, opts, order);
  const edges = answer.edges;
  const seconds = { current: current.seconds, baseline: baseline.seconds };
  const bs = baseline.seconds;
  for (let i = 0; i < order.length; i++) {
    const e = edges[i]!;
    const kb = before.get(keyOf(c, order[i]!));
    if (kb === undefined) {
      // A new edge that drops or fails says so too: "new, with drops" is what a fault looks like.
      e.changes = ['new', ...edgeChanges(e, NONE, seconds)];
      continue;
    }
    matched[kb] = 1;
    const at = kb * SCALARS;
    // baselineFigures of the baseline's edge, from its sums.
    const figures = {
      bytesPerSec: round(b.sums[at + BYTES]! / bs),
      dropsPerSec: round(b.sums[at + DROP_PACKETS]! / bs),
      tcpFailures: b.sums[at + FAILURES]!,
      dnsErrors: b.sums[at + DNS_ERRORS]!,
    };
    const changes = edgeChanges(e, figures, seconds);
    if (changes.length > 0) e.changes = changes;
    e.baseline = figures;
  }
  // In the baseline's order (busiest first, then id), after the edges of the selection.
  const vanished: GraphEdge[] = [];
  if (matched.some((m) => m === 0)) {
    const byEdge = portsByEdge(baseline);
    for (const kb of answerOrder(baseline, edgeRates(baseline)))
      if (matched[kb] === 0) vanished.push(tableEdge(baseline, kb, byEdge));
  }
  appendVanished(answer.nodes, edges, vanished, tableNodes(baseline));
  answer.baseline = { start: baselineWindow.start, end: baselineWindow.end };
  return answer;
}
