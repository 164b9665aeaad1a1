import type { FilterState, GraphEdge, GraphNode, GraphResponse, Level, TimeWindow } from '@weft/protocol';
import {
  namespaceNodeId,
  parseEdgeId,
  parseNodeId,
  podNodeId,
  timeMode,
  WORLD_NODE_ID,
  workloadNodeId,
} from '@weft/protocol';
import type { PromVectorSample } from './prometheusClient.js';
import { countsOnce, destinationOf, endKey, type LabelEnd, sampleValue, sourceOf } from './promPairs.js';
import type { GraphQueryName } from './promQueries.js';

export type MetricsLevel = 'pod' | 'workload' | 'namespace';

/** The workload of a pod the server knows (from the store's endpoints); undefined when it does not. */
export type WorkloadOf = (namespace: string, pod: string) => string | undefined;

export interface PromGraphOptions {
  metricsLevel: MetricsLevel;
  maxNodes: number;
  workloadOf?: WorkloadOf;
}

const LEVEL_RANK: Record<MetricsLevel | Level, number> = { node: -1, namespace: 0, workload: 1, pod: 2 };

interface PairSums {
  client: LabelEnd;
  server: LabelEnd;
  bytes: number;
  packets: number;
  drops: number;
  dropReasons: Map<string, number>;
  connects: number;
  failures: number;
  retransmits: number;
  rttSum: number;
  rttCount: number;
}

/**
 * A pod name without the suffixes its controller added (`api-7d9f8b6c4-x2x9z` -> `api`,
 * `db-0` -> `db`), for pods the server no longer remembers.
 */
export function workloadFromPodName(pod: string): string {
  const deployment = /^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$/.exec(pod);
  if (deployment) return deployment[1]!;
  const statefulSet = /^(.+)-\d{1,5}$/.exec(pod);
  if (statefulSet) return statefulSet[1]!;
  const daemonSet = /^(.+)-[a-z0-9]{5}$/.exec(pod);
  if (daemonSet) return daemonSet[1]!;
  return pod;
}

/** The map node one end rolls up to at `level` (ids as levelNode.ts builds them). */
function nodeFor(e: LabelEnd, level: Level, metricsLevel: MetricsLevel, workloadOf?: WorkloadOf): GraphNode {
  const base = { bytesPerSec: 0, dropsPerSec: 0 };
  if (e.namespace === '') return { id: WORLD_NODE_ID, kind: 'world', label: 'world', namespace: '', ...base };
  const ns = e.namespace;
  const parent = namespaceNodeId(ns);
  const nsNode: GraphNode = { id: parent, kind: 'namespace', label: ns, namespace: ns, ...base };
  if (level === 'namespace' || level === 'node' || e.pod === '') return nsNode;
  if (level === 'workload' || metricsLevel === 'workload') {
    const name =
      metricsLevel === 'workload' ? e.pod : (workloadOf?.(ns, e.pod) ?? workloadFromPodName(e.pod));
    return { id: workloadNodeId(ns, name), kind: 'workload', label: name, namespace: ns, parent, ...base };
  }
  return { id: podNodeId(ns, e.pod), kind: 'pod', label: e.pod, namespace: ns, parent, ...base };
}

/** The level the metrics can answer for `asked`, and the notice when that is coarser. */
export function availableLevel(asked: Level, metricsLevel: MetricsLevel): { level: Level; notice?: string } {
  if (asked === 'node')
    return {
      level: 'namespace',
      notice: 'the node level is not in the collectors’ metrics; the namespace level is shown',
    };
  if (LEVEL_RANK[asked] <= LEVEL_RANK[metricsLevel]) return { level: asked };
  return {
    level: metricsLevel,
    notice: `the ${asked} level is not in the collectors’ metrics (their metrics level is ${metricsLevel}); the ${metricsLevel} level is shown`,
  };
}

/** Filters the metrics can't apply: they have no ports, protocols or addresses. */
export function unsupportedFilters(f: FilterState): string[] {
  const out: string[] = [];
  if (f.protocol) out.push('protocol');
  if (f.port !== null) out.push('port');
  if (f.q) out.push('q');
  return out;
}

function pairKey(a: LabelEnd, b: LabelEnd): string {
  return `${endKey(a)}\u001f${endKey(b)}`;
}

/**
 * Folds the per-direction series into one sum per pair, oriented client -> server as the store's edges
 * are (both directions' bytes on one edge): the end that opened TCP connections (or sent what was
 * dropped) is the client; without any, the end that received more (a server answers more than asked).
 */
export function pairSums(answers: Record<GraphQueryName, PromVectorSample[]>): PairSums[] {
  const directed = new Map<string, { src: LabelEnd; dst: LabelEnd; bytes: number }>();
  const connected = new Map<string, number>();
  // Connection attempts, failed ones and drops (a refused SYN is the client's) all point client -> server.
  for (const list of [answers.everConnected, answers.connects, answers.failures, answers.drops])
    for (const s of list) {
      const k = pairKey(sourceOf(s.metric), destinationOf(s.metric));
      connected.set(k, (connected.get(k) ?? 0) + sampleValue(s));
    }
  for (const s of answers.bytes) {
    if (!countsOnce(s.metric)) continue;
    const src = sourceOf(s.metric);
    const dst = destinationOf(s.metric);
    const k = pairKey(src, dst);
    const d = directed.get(k) ?? { src, dst, bytes: 0 };
    d.bytes += sampleValue(s);
    directed.set(k, d);
  }
  const orient = (src: LabelEnd, dst: LabelEnd): [LabelEnd, LabelEnd] => {
    const fwd = pairKey(src, dst);
    const back = pairKey(dst, src);
    const cf = connected.get(fwd) ?? 0;
    const cb = connected.get(back) ?? 0;
    if (cf !== cb) return cf > cb ? [src, dst] : [dst, src];
    const bf = directed.get(fwd)?.bytes ?? 0;
    const bb = directed.get(back)?.bytes ?? 0;
    if (bf !== bb) return bb > bf ? [src, dst] : [dst, src];
    return fwd <= back ? [src, dst] : [dst, src];
  };
  const sums = new Map<string, PairSums>();
  const at = (m: Record<string, string>): PairSums => {
    const [client, server] = orient(sourceOf(m), destinationOf(m));
    const k = pairKey(client, server);
    let p = sums.get(k);
    if (!p) {
      p = {
        client,
        server,
        bytes: 0,
        packets: 0,
        drops: 0,
        dropReasons: new Map(),
        connects: 0,
        failures: 0,
        retransmits: 0,
        rttSum: 0,
        rttCount: 0,
      };
      sums.set(k, p);
    }
    return p;
  };
  for (const s of answers.bytes) if (countsOnce(s.metric)) at(s.metric).bytes += sampleValue(s);
  for (const s of answers.packets) if (countsOnce(s.metric)) at(s.metric).packets += sampleValue(s);
  for (const s of answers.drops) {
    const v = sampleValue(s);
    if (v === 0) continue;
    const p = at(s.metric);
    p.drops += v;
    const reason = s.metric.reason ?? '';
    p.dropReasons.set(reason, (p.dropReasons.get(reason) ?? 0) + v);
  }
  for (const s of answers.connects) at(s.metric).connects += sampleValue(s);
  for (const s of answers.failures) at(s.metric).failures += sampleValue(s);
  for (const s of answers.retransmits) at(s.metric).retransmits += sampleValue(s);
  for (const s of answers.rttSum) at(s.metric).rttSum += sampleValue(s);
  for (const s of answers.rttCount) at(s.metric).rttCount += sampleValue(s);
  return [...sums.values()];
}

const round = (n: number, d = 3) => {
  const f = 10 ** d;
  return Number.isFinite(n) ? Math.round(n * f) / f : 0;
};

function matches(
  f: FilterState,
  a: GraphNode,
  b: GraphNode,
  ends: [LabelEnd, LabelEnd],
  level: Level,
): boolean {
  if (f.namespace.length > 0 && !f.namespace.includes(a.namespace) && !f.namespace.includes(b.namespace))
    return false;
  if (f.pod && !ends.some((e) => `${e.namespace}/${e.pod}` === f.pod)) return false;
  // The filter's workload is `<ns>/<name>`, the id's own spelling after its kind.
  if (f.workload && level === 'workload') {
    const slash = f.workload.indexOf('/');
    const id = workloadNodeId(f.workload.slice(0, slash), f.workload.slice(slash + 1));
    if (![a, b].some((n) => n.id === id)) return false;
  }
  if (f.focus) {
    const edge = parseEdgeId(f.focus);
    const node = parseNodeId(f.focus);
    if (edge) {
      if (a.id !== edge.source || b.id !== edge.target) return false;
    } else if (node?.kind === 'ns') {
      if (a.namespace !== node.namespace && b.namespace !== node.namespace) return false;
    } else if (a.id !== f.focus && b.id !== f.focus) return false;
  }
  return true;
}

/**
 * The graph of a window from the collectors' metrics: GraphResponse as the store would answer it,
 * without what the metrics don't hold (ports, connect latency percentiles, DNS per edge).
 */
export function graphFromProm(
  answers: Record<GraphQueryName, PromVectorSample[]>,
  f: FilterState,
  win: TimeWindow,
  opts: PromGraphOptions,
): GraphResponse {
  const { level, notice } = availableLevel(f.level, opts.metricsLevel);
  const notices = notice ? [notice] : [];
  const ignored = unsupportedFilters(f);
  if (ignored.length > 0)
    notices.push(`not applied (the collectors’ metrics don't hold them): ${ignored.join(', ')}`);
  const seconds = Math.max(1, (win.end - win.start) / 1000);
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, { e: PairSums; a: GraphNode; b: GraphNode }>();
  const node = (n: GraphNode) => {
    const had = nodes.get(n.id);
    if (had) return had;
    nodes.set(n.id, n);
    return n;
  };
  for (const p of pairSums(answers)) {
    if (p.bytes === 0 && p.packets === 0 && p.drops === 0 && p.connects === 0 && p.rttCount === 0) continue;
    if (f.verdict === 'dropped' && p.drops === 0) continue;
    if (f.reason && !p.dropReasons.has(f.reason)) continue;
    if (f.verdict === 'forwarded' && p.packets === 0) continue;
    const a0 = nodeFor(p.client, level, opts.metricsLevel, opts.workloadOf);
    const b0 = nodeFor(p.server, level, opts.metricsLevel, opts.workloadOf);
    if (!matches(f, a0, b0, [p.client, p.server], level)) continue;
    const a = node(a0);
    const b = node(b0);
    const id = `${a.id}->${b.id}`;
    const had = edges.get(id);
    if (!had) edges.set(id, { e: { ...p, dropReasons: new Map(p.dropReasons) }, a, b });
    else {
      const e = had.e;
      e.bytes += p.bytes;
      e.packets += p.packets;
      e.drops += p.drops;
      for (const [r, n] of p.dropReasons) e.dropReasons.set(r, (e.dropReasons.get(r) ?? 0) + n);
      e.connects += p.connects;
      e.failures += p.failures;
      e.retransmits += p.retransmits;
      e.rttSum += p.rttSum;
      e.rttCount += p.rttCount;
    }
  }
  const folded = foldOthers(nodes, edges, opts.maxNodes);
  const out: GraphEdge[] = [];
  const shown = new Map<string, GraphNode>();
  for (const { e, a, b } of edges.values()) {
    const bytes = e.bytes;
    for (const n of a === b ? [a] : [a, b]) {
      const g = shown.get(n.id) ?? { ...n };
      g.bytesPerSec = round(g.bytesPerSec + bytes / seconds);
      g.dropsPerSec = round(g.dropsPerSec + e.drops / seconds);
      shown.set(n.id, g);
    }
    const dropReasons: Record<string, number> = Object.create(null);
    for (const [r, n] of e.dropReasons) dropReasons[r] = round(n / seconds);
    out.push({
      id: `${a.id}->${b.id}`,
      source: a.id,
      target: b.id,
      ports: [],
      bytesPerSec: round(bytes / seconds),
      packetsPerSec: round(e.packets / seconds),
      dropsPerSec: round(e.drops / seconds),
      dropReasons,
      tcpConnects: Math.round(e.connects),
      tcpFailures: Math.round(e.failures),
      connectLatencyP50Ms: null,
      connectLatencyP95Ms: null,
      rttMs: e.rttCount > 0 ? round((e.rttSum / e.rttCount) * 1000) : null,
      retransmits: Math.round(e.retransmits),
      dnsQueries: 0,
      dnsErrors: 0,
    });
  }
  out.sort((x, y) => y.bytesPerSec - x.bytesPerSec || (x.id < y.id ? -1 : 1));
  return {
    level,
    mode: timeMode(f),
    start: win.start,
    end: win.end,
    nodes: [...shown.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)),
    edges: out,
    folded,
    simulated: false,
    source: 'prometheus',
    ...(notices.length > 0 ? { sourceNotice: notices.join('; ') } : {}),
  };
}

/** Past `maxNodes`, the least busy nodes become one `others` node (as the store's graph does). */
function foldOthers(
  nodes: Map<string, GraphNode>,
  edges: Map<string, { e: PairSums; a: GraphNode; b: GraphNode }>,
  maxNodes: number,
): number {
  if (nodes.size <= maxNodes) return 0;
  const weight = new Map<string, number>();
  for (const { e, a, b } of edges.values()) {
    const w = e.bytes + e.drops * 1500 + e.connects;
    weight.set(a.id, (weight.get(a.id) ?? 0) + w);
    if (b !== a) weight.set(b.id, (weight.get(b.id) ?? 0) + w);
  }
  const order = [...nodes.keys()].sort(
    (x, y) => (weight.get(y) ?? 0) - (weight.get(x) ?? 0) || (x < y ? -1 : 1),
  );
  const keep = new Set(order.slice(0, maxNodes - 1));
  const others: GraphNode = {
    id: 'others',
    kind: 'others',
    label: 'others',
    namespace: '',
    bytesPerSec: 0,
    dropsPerSec: 0,
    members: nodes.size - keep.size,
  };
  const merged = new Map<string, { e: PairSums; a: GraphNode; b: GraphNode }>();
  for (const { e, a, b } of edges.values()) {
    const a2 = keep.has(a.id) ? a : others;
    const b2 = keep.has(b.id) ? b : others;
    const id = `${a2.id}->${b2.id}`;
    const had = merged.get(id);
    if (!had) merged.set(id, { e: { ...e, dropReasons: new Map(e.dropReasons) }, a: a2, b: b2 });
    else {
      had.e.bytes += e.bytes;
      had.e.packets += e.packets;
      had.e.drops += e.drops;
      for (const [r, n] of e.dropReasons) had.e.dropReasons.set(r, (had.e.dropReasons.get(r) ?? 0) + n);
      had.e.connects += e.connects;
      had.e.failures += e.failures;
      had.e.retransmits += e.retransmits;
      had.e.rttSum += e.rttSum;
      had.e.rttCount += e.rttCount;
    }
  }
  edges.clear();
  for (const [k, v] of merged) edges.set(k, v);
  return nodes.size - keep.size;
}
