import {
  type GraphEdge,
  type GraphNode,
  type GraphResponse,
  MAX_EDGE_PORTS,
  namespaceNodeId,
  type PortProto,
} from '@weft/protocol';
import { nodeNamespace, parseEdgeFocus, parseFocus } from './focus.js';

/**
 * Past this many nodes (namespace boxes not counted) a map is unreadable and slow to draw: it shows
 * each namespace as one node instead (collapseLargeMap). bench/web measures 2,050 nodes uncollapsed and
 * 10,000 collapsed.
 */
export const COLLAPSE_ABOVE_NODES = 2500;

export interface CollapsedMap {
  /** What the map draws: the folded namespaces as one node each, their edges summed. */
  graph: GraphResponse;
  /** Ids of the namespace nodes that stand for their members (`ns:<namespace>`). */
  groups: ReadonlySet<string>;
  /** Nodes folded into them. */
  folded: number;
  /** Nodes of the graph it came from (namespace boxes not counted). */
  total: number;
}

/**
 * A large graph (over `above` nodes) with the nodes of each namespace folded into one node per
 * namespace (`ns:<namespace>`, labelled with its count: "team-3 (200 pods)"), and the edges between
 * them summed per pair of ends; null when the graph is not that large. The namespaces the focus is
 * about stay open (a namespace, workload or pod focus: its namespace; an edge: its ends'; a Kubernetes
 * node: the namespaces of the pods it runs), so drilling into a folded namespace shows its members
 * among the other namespaces' folded nodes. Traffic inside a folded namespace is not drawn; it counts
 * in the namespace's node. Nodes outside namespaces (world, hosts, nodes, others) stay as they are.
 */
export function collapseLargeMap(
  graph: GraphResponse,
  focus: string,
  above = COLLAPSE_ABOVE_NODES,
): CollapsedMap | null {
  const parents = new Set<string>();
  for (const n of graph.nodes) if (n.parent && n.parent !== n.id) parents.add(n.parent);
  let total = 0;
  for (const n of graph.nodes) if (!parents.has(n.id)) total++;
  if (total <= above) return null;

  const open = openNamespaces(graph, focus);
  // Each folded node's group, and each group's node (made as its first member is met).
  const groupOf = new Map<string, string>();
  const groupNodes = new Map<string, GroupNode>();
  const nodes: GraphNode[] = [];
  for (const n of graph.nodes) {
    if (parents.has(n.id) || !n.namespace || n.kind === 'namespace' || open.has(n.namespace)) continue;
    const id = namespaceNodeId(n.namespace);
    groupOf.set(n.id, id);
    let g = groupNodes.get(id);
    if (!g) {
      g = {
        node: { id, kind: 'namespace', label: '', namespace: n.namespace, bytesPerSec: 0, dropsPerSec: 0 },
      };
      g.kinds = new Map();
      groupNodes.set(id, g);
    }
    g.node.bytesPerSec += n.bytesPerSec;
    g.node.dropsPerSec += n.dropsPerSec;
    g.kinds!.set(n.kind, (g.kinds!.get(n.kind) ?? 0) + 1);
  }
  if (groupNodes.size === 0) return null;
  for (const n of graph.nodes) {
    // A folded namespace's box is replaced by its group node; an open one's box stays.
    if (groupOf.has(n.id) || groupNodes.has(n.id)) continue;
    nodes.push(n);
  }
  for (const g of groupNodes.values()) {
    let members = 0;
    for (const c of g.kinds!.values()) members += c;
    g.node.members = members;
    g.node.label = `${g.node.namespace} (${membersWords(g.kinds!, members)})`;
    nodes.push(g.node);
  }

  // Each node's number: the groups first (0 .. groups-1, what their members get too), then the nodes
  // drawn as they are. Edges are summed by these numbers, no id string built or hashed per edge (this
  // runs on 50,000 edges every second).
  const ids = [...groupNodes.keys()];
  const groups = ids.length;
  const slot = new Map<string, number>();
  for (let i = 0; i < groups; i++) slot.set(ids[i]!, i);
  for (const [id, g] of groupOf) slot.set(id, slot.get(g)!);
  for (const n of nodes) if (!slot.has(n.id)) slot.set(n.id, ids.push(n.id) - 1);
  const edges: GraphEdge[] = [];
  const sums: Sums = { slot, groups, ids, summed: [], all: [] };
  for (const e of graph.edges) if (!sumEdge(sums, e)) edges.push(e);
  const all = sums.all;
  for (const x of all)
    edges.push(
      x.count > 1
        ? finish(x)
        : { ...x.edge, id: `${x.source}->${x.target}`, source: x.source, target: x.target },
    );
  return {
    graph: { ...graph, nodes, edges },
    groups: new Set(groupNodes.keys()),
    folded: groupOf.size,
    total,
  };
}

interface Sums {
  slot: Map<string, number>;
  groups: number;
  ids: string[];
  /** By source number, then target number. */
  summed: (Map<number, SummedEdge> | undefined)[];
  all: SummedEdge[];
}

/**
 * Adds edge `e` into its summed edge when an end of it is folded (true), else false: it is drawn as it
 * is. A function of its own, called per edge, so the engine optimises it within the first call's
 * thousands of edges (the first picture of a large map runs it cold).
 */
function sumEdge(x: Sums, e: GraphEdge): boolean {
  const s = x.slot.get(e.source);
  const t = x.slot.get(e.target);
  if (s === undefined || t === undefined || (s >= x.groups && t >= x.groups)) return false;
  // Inside one folded namespace: counted in its node, not drawn.
  if (s === t) return true;
  let from = x.summed[s];
  if (!from) {
    from = new Map();
    x.summed[s] = from;
  }
  const into = from.get(t);
  if (into) addEdge(into, e);
  else {
    const sum: SummedEdge = { edge: e, source: x.ids[s]!, target: x.ids[t]!, count: 1, ports: null };
    from.set(t, sum);
    x.all.push(sum);
  }
  return true;
}

interface GroupNode {
  node: GraphNode & { members?: number };
  kinds?: Map<string, number>;
}

/** "200 pods", "3 workloads", or "12 nodes" when they are of several kinds. */
function membersWords(kinds: Map<string, number>, members: number): string {
  const kind = kinds.size === 1 ? [...kinds.keys()][0]! : 'node';
  const noun = kind === 'others' ? 'other' : kind;
  return `${members.toLocaleString('en-US')} ${members === 1 ? noun : `${noun}s`}`;
}

/** The namespaces the focus is about: never folded. */
function openNamespaces(graph: GraphResponse, focus: string): Set<string> {
  const open = new Set<string>();
  const f = parseFocus(focus);
  if (f?.kind === 'node') {
    for (const n of graph.nodes) if (n.node === f.name && n.namespace) open.add(n.namespace);
  } else if (f) open.add(f.namespace);
  const edge = parseEdgeFocus(focus);
  if (edge) {
    for (const id of [edge.source, edge.target]) {
      const ns = nodeNamespace(id);
      if (ns) open.add(ns);
    }
  }
  return open;
}

interface SummedEdge {
  /** The first edge met while it is the only one; then the sum (a copy, the graph's edges untouched). */
  edge: GraphEdge;
  source: string;
  target: string;
  count: number;
  ports: PortProto[] | null;
}

/**
 * Adds `e` into a summed edge: rates and counts add up; latencies take the worst (the p95 of the
 * summed traffic is at most the largest of the edges' p95s); ports are summed per port and protocol.
 */
function addEdge(into: SummedEdge, e: GraphEdge): void {
  if (into.count === 1) {
    const first = into.edge;
    // Every field named (not spread), so the sum keeps one fast shape while 50,000 edges add into it.
    into.edge = {
      id: `${into.source}->${into.target}`,
      source: into.source,
      target: into.target,
      ports: [],
      bytesPerSec: first.bytesPerSec,
      packetsPerSec: first.packetsPerSec,
      dropsPerSec: first.dropsPerSec,
      dropReasons: { ...first.dropReasons },
      tcpConnects: first.tcpConnects,
      tcpFailures: first.tcpFailures,
      connectLatencyP50Ms: first.connectLatencyP50Ms,
      connectLatencyP95Ms: first.connectLatencyP95Ms,
      rttMs: first.rttMs,
      retransmits: first.retransmits,
      dnsQueries: first.dnsQueries,
      dnsErrors: first.dnsErrors,
    };
    if (first.portsMore) into.edge.portsMore = first.portsMore;
    if (first.changes) into.edge.changes = [...first.changes];
    if (first.baseline) into.edge.baseline = { ...first.baseline };
    into.ports = [];
    for (const p of first.ports) addPort(into.ports, p);
  }
  const a = into.edge;
  into.count++;
  a.bytesPerSec += e.bytesPerSec;
  a.packetsPerSec += e.packetsPerSec;
  if (e.dropsPerSec > 0) {
    a.dropsPerSec += e.dropsPerSec;
    for (const r in e.dropReasons) a.dropReasons[r] = (a.dropReasons[r] ?? 0) + e.dropReasons[r]!;
  }
  a.tcpConnects += e.tcpConnects;
  a.tcpFailures += e.tcpFailures;
  a.retransmits += e.retransmits;
  a.dnsQueries += e.dnsQueries;
  a.dnsErrors += e.dnsErrors;
  a.connectLatencyP50Ms = worst(a.connectLatencyP50Ms, e.connectLatencyP50Ms);
  a.connectLatencyP95Ms = worst(a.connectLatencyP95Ms, e.connectLatencyP95Ms);
  a.rttMs = worst(a.rttMs, e.rttMs);
  for (const p of e.ports) addPort(into.ports!, p);
  if (e.portsMore) a.portsMore = (a.portsMore ?? 0) + e.portsMore;
  if (e.changes) {
    a.changes ??= [];
    for (const c of e.changes) if (!a.changes.includes(c)) a.changes.push(c);
  }
  if (e.baseline) {
    a.baseline ??= { bytesPerSec: 0, dropsPerSec: 0, tcpFailures: 0, dnsErrors: 0 };
    const b = a.baseline;
    b.bytesPerSec += e.baseline.bytesPerSec;
    b.dropsPerSec += e.baseline.dropsPerSec;
    b.tcpFailures += e.baseline.tcpFailures;
    b.dnsErrors += e.baseline.dnsErrors;
  }
}

function worst(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

/** Adds port `p` into `ports` (copies, a handful a summed edge: found by a look along them). */
function addPort(ports: PortProto[], p: PortProto): void {
  let q: PortProto | undefined;
  for (const x of ports)
    if (x.port === p.port && x.proto === p.proto) {
      q = x;
      break;
    }
  if (!q) {
    ports.push(p.dnsFailure ? { ...p, dnsFailure: { ...p.dnsFailure } } : { ...p });
    return;
  }
  q.bytesPerSec += p.bytesPerSec;
  if (p.tcpConnects) q.tcpConnects = (q.tcpConnects ?? 0) + p.tcpConnects;
  if (p.tcpFailures) q.tcpFailures = (q.tcpFailures ?? 0) + p.tcpFailures;
  if (p.refused) q.refused = (q.refused ?? 0) + p.refused;
  if (p.timeouts) q.timeouts = (q.timeouts ?? 0) + p.timeouts;
  if (p.resets) q.resets = (q.resets ?? 0) + p.resets;
  if (p.dnsQueries) q.dnsQueries = (q.dnsQueries ?? 0) + p.dnsQueries;
  if (p.dnsErrors) q.dnsErrors = (q.dnsErrors ?? 0) + p.dnsErrors;
  if (p.dropsPerSec) {
    // The reason of the port whose drops were the most of them.
    if (p.dropReason && p.dropsPerSec > (q.dropsPerSec ?? 0)) q.dropReason = p.dropReason;
    q.dropsPerSec = (q.dropsPerSec ?? 0) + p.dropsPerSec;
  }
  if (p.dnsFailure && (!q.dnsFailure || p.dnsFailure.count > q.dnsFailure.count))
    q.dnsFailure = { ...p.dnsFailure };
  // The worst p95, as for connect latencies.
  if (p.dnsP95Ms !== undefined) q.dnsP95Ms = Math.max(q.dnsP95Ms ?? 0, p.dnsP95Ms);
}

/** A summed edge's own lists: its ports as an edge lists them (troubled ones first past the limit). */
function finish(x: SummedEdge): GraphEdge {
  const e = x.edge;
  const all = x.ports!.sort((a, b) => b.bytesPerSec - a.bytesPerSec);
  if (all.length > MAX_EDGE_PORTS) {
    const troubled = all.filter(troubledPort);
    const quiet = all.filter((p) => !troubledPort(p));
    const kept = [...troubled, ...quiet].slice(0, MAX_EDGE_PORTS);
    kept.sort((a, b) => b.bytesPerSec - a.bytesPerSec);
    e.ports = kept;
    e.portsMore = (e.portsMore ?? 0) + all.length - MAX_EDGE_PORTS;
  } else e.ports = all;
  return e;
}

function troubledPort(p: PortProto): boolean {
  return (p.tcpFailures ?? 0) > 0 || (p.dropsPerSec ?? 0) > 0 || (p.dnsErrors ?? 0) > 0;
}
