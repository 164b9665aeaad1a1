import type { FilterState, GraphEdge, GraphNode, GraphResponse, Level, TimeWindow } from '@weft/protocol';
import { visitWindow, windowScalars } from './buckets.js';
import { EdgeBucket } from './edgeBucket.js';
import { type LevelNode, levelNode } from './levelNode.js';
import { pairMatcher } from './match.js';
import type { EdgeSeries } from './series.js';
import type { Store } from './store.js';
import { observedSeconds, round, usToMs } from './window.js';

export interface GraphOptions {
  maxNodes: number;
  simulated: boolean;
  /** Read every pod-level series even where a rollup would do (tests compare the two). */
  scanAll?: boolean;
}

interface EdgeAgg {
  src: LevelNode;
  dst: LevelNode;
  sum: EdgeBucket;
  ports: Map<string, { port: number; proto: string; bytes: number }>;
}

const OTHERS: LevelNode = { id: 'others', kind: 'others', label: 'others', namespace: '' };
const LEVEL_INDEX: Record<Level, number> = { node: 0, namespace: 1, workload: 2, pod: 3 };

function nodesOf(s: EdgeSeries, level: Level): readonly [LevelNode, LevelNode, string] {
  if (!s.levelCache) s.levelCache = {};
  const k = LEVEL_INDEX[level];
  let pair = s.levelCache[k];
  if (!pair) {
    const a = levelNode(s.client, level);
    const b = levelNode(s.server, level);
    pair = [a, b, `${a.id}->${b.id}`] as const;
    s.levelCache[k] = pair;
  }
  return pair;
}

/**
 * The namespace map reads the namespace rollups when the filter needs nothing finer than a namespace,
 * protocol or port (their endpoints are one representative pod per side).
 */
export function seriesFor(store: Store, f: FilterState, scanAll = false): Iterable<EdgeSeries> {
  if (scanAll) return store.edges.values();
  // A verdict or reason keeps only the pod pairs that dropped, which a rollup can't tell apart.
  const coarseFilter =
    !f.pod && !f.workload && !f.q && !f.verdict && !f.reason && (f.focus === '' || f.focus.startsWith('ns:'));
  return f.level === 'namespace' && coarseFilter ? store.nsRollups.values() : store.edges.values();
}

/** Sums every matching series over the window into graph edges at the filter's level. */
export function collectEdges(
  store: Store,
  f: FilterState,
  win: TimeWindow,
  scanAll = false,
): Map<string, EdgeAgg> {
  const match = pairMatcher(f);
  const now = store.now();
  const fineFrom = store.fineFrom(now);
  const liveEdge = Math.min(now, store.dataEnd || now);
  const edges = new Map<string, EdgeAgg>();
  // Bucket timestamps can lead the wall clock a little (node clock skew), hence the slack.
  const seenAfter = win.start - 120_000;
  const acc = new EdgeBucket(0);
  const merge = (b: EdgeBucket) => acc.merge(b);
  for (const s of seriesFor(store, f, scanAll)) {
    if (s.lastSeen < seenAfter) continue;
    if (!match(s.client, s.server, s.proto, s.port)) continue;
    acc.reset();
    // Most series only carry traffic: running totals answer them without visiting buckets.
    if (s.detail) visitWindow(s.fine, s.coarse, win.start, win.end, fineFrom, liveEdge, merge);
    else windowScalars(s.fine, s.coarse, win.start, win.end, fineFrom, liveEdge, acc);
    if (acc.isEmpty()) continue;
    if (f.verdict === 'dropped' || f.reason) {
      if (acc.dropsFor(f.reason) === 0) continue;
    } else if (f.verdict === 'forwarded' && acc.packets === 0) continue;
    const [src, dst, key] = nodesOf(s, f.level);
    let e = edges.get(key);
    if (!e) {
      e = { src, dst, sum: new EdgeBucket(0), ports: new Map() };
      edges.set(key, e);
    }
    e.sum.merge(acc);
    const pk = s.portKey;
    const p = e.ports.get(pk);
    if (p) p.bytes += acc.bytes;
    else e.ports.set(pk, { port: s.port, proto: s.proto, bytes: acc.bytes });
  }
  return edges;
}

/** Keeps the busiest nodes and folds the rest into one `others` node. */
function fold(
  edges: Map<string, EdgeAgg>,
  maxNodes: number,
): { edges: Map<string, EdgeAgg>; folded: number } {
  const weight = new Map<string, number>();
  for (const e of edges.values()) {
    const w = e.sum.bytes + e.sum.dropPackets * 1500 + e.sum.connects + e.sum.dnsQueries;
    weight.set(e.src.id, (weight.get(e.src.id) ?? 0) + w);
    if (e.dst.id !== e.src.id) weight.set(e.dst.id, (weight.get(e.dst.id) ?? 0) + w);
  }
  if (weight.size <= maxNodes) return { edges, folded: 0 };
  const keep = new Set(
    [...weight.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, maxNodes - 1)
      .map(([id]) => id),
  );
  const out = new Map<string, EdgeAgg>();
  for (const e of edges.values()) {
    const src = keep.has(e.src.id) ? e.src : OTHERS;
    const dst = keep.has(e.dst.id) ? e.dst : OTHERS;
    const key = `${src.id}->${dst.id}`;
    let o = out.get(key);
    if (!o) {
      o = { src, dst, sum: new EdgeBucket(0), ports: new Map() };
      out.set(key, o);
    }
    o.sum.merge(e.sum);
    for (const [pk, p] of e.ports) {
      const q = o.ports.get(pk);
      if (q) q.bytes += p.bytes;
      else o.ports.set(pk, { ...p });
    }
  }
  return { edges: out, folded: weight.size - keep.size };
}

export function toGraphEdge(id: string, e: EdgeAgg, seconds: number): GraphEdge {
  const s = e.sum;
  const dropReasons: Record<string, number> = {};
  if (s.drops)
    for (const c of s.drops.values()) dropReasons[c.reason] = (dropReasons[c.reason] ?? 0) + c.packets;
  for (const r of Object.keys(dropReasons)) dropReasons[r] = round(dropReasons[r]! / seconds);
  return {
    id,
    source: e.src.id,
    target: e.dst.id,
    ports: [...e.ports.values()]
      .sort((a, b) => b.bytes - a.bytes || a.port - b.port)
      .map((p) => ({ port: p.port, proto: p.proto, bytesPerSec: round(p.bytes / seconds) })),
    bytesPerSec: round(s.bytes / seconds),
    packetsPerSec: round(s.packets / seconds),
    dropsPerSec: round(s.dropPackets / seconds),
    dropReasons,
    tcpConnects: s.connects,
    tcpFailures: s.failures,
    connectLatencyP50Ms: usToMs(s.connectLatency?.quantile(0.5) ?? null),
    connectLatencyP95Ms: usToMs(s.connectLatency?.quantile(0.95) ?? null),
    rttMs: s.rttCount > 0 ? round(s.rttSumUs / s.rttCount / 1000) : null,
    retransmits: s.retransmits,
    dnsQueries: s.dnsQueries,
    dnsErrors: s.dnsErrors,
  };
}

export function queryGraph(store: Store, f: FilterState, win: TimeWindow, opts: GraphOptions): GraphResponse {
  const seconds = observedSeconds(store, win);
  const { edges, folded } = fold(collectEdges(store, f, win, opts.scanAll), opts.maxNodes);
  const nodes = new Map<string, GraphNode>();
  const touch = (n: LevelNode, bytes: number, drops: number, dns: boolean) => {
    let g = nodes.get(n.id);
    if (!g) {
      g = { ...n, bytesPerSec: 0, dropsPerSec: 0 };
      if (n.id === 'others') g.members = folded;
      nodes.set(n.id, g);
    }
    g.bytesPerSec = round(g.bytesPerSec + bytes / seconds);
    g.dropsPerSec = round(g.dropsPerSec + drops / seconds);
    if (dns) g.dns = true;
  };
  const out: GraphEdge[] = [];
  for (const [id, e] of edges) {
    const servesDns = e.sum.dnsQueries > 0;
    touch(e.src, e.sum.bytes, e.sum.dropPackets, false);
    if (e.dst.id !== e.src.id) touch(e.dst, e.sum.bytes, e.sum.dropPackets, servesDns);
    else if (servesDns) nodes.get(e.dst.id)!.dns = true;
    out.push(toGraphEdge(id, e, seconds));
  }
  out.sort((a, b) => b.bytesPerSec - a.bytesPerSec || (a.id < b.id ? -1 : 1));
  return {
    level: f.level,
    start: win.start,
    end: win.end,
    nodes: [...nodes.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    edges: out,
    folded,
    simulated: opts.simulated,
  };
}
