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

const SCALARS = 10;

interface Collected {
  series: EdgeSeries[];
  /** Per collected series, SCALARS numbers: its window sums (bytes, packets, drops, ...). */
  slab: number[];
  /** Window sums of series with drops or connects (maps and histograms don't fit the slab). */
  details: Map<number, EdgeBucket>;
  /** Per graph node id: how much it did, to pick the nodes shown when the level is too dense. */
  weight: Map<string, number>;
}

/**
 * First pass: each matching series' window sums, kept flat (no per-edge objects yet), and each graph
 * node's weight. At pod level this is 50,000 series feeding a 150-node graph, so building edges only
 * after folding saves most of the allocation.
 */
function collect(store: Store, f: FilterState, win: TimeWindow, scanAll: boolean): Collected {
  const match = pairMatcher(f);
  const now = store.now();
  const fineFrom = store.fineFrom(now);
  const liveEdge = Math.min(now, store.dataEnd || now);
  const out: Collected = { series: [], slab: [], details: new Map(), weight: new Map() };
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
    const i = out.series.length;
    out.series.push(s);
    out.slab.push(
      acc.bytes,
      acc.packets,
      acc.dropPackets,
      acc.connects,
      acc.failures,
      acc.retransmits,
      acc.rttSumUs,
      acc.rttCount,
      acc.dnsQueries,
      acc.dnsErrors,
    );
    if (s.detail) {
      const d = new EdgeBucket(0);
      d.merge(acc);
      out.details.set(i, d);
    }
    const w = acc.bytes + acc.dropPackets * 1500 + acc.connects + acc.dnsQueries;
    const [src, dst] = nodesOf(s, f.level);
    out.weight.set(src.id, (out.weight.get(src.id) ?? 0) + w);
    if (dst.id !== src.id) out.weight.set(dst.id, (out.weight.get(dst.id) ?? 0) + w);
  }
  return out;
}

function addSlab(sum: EdgeBucket, slab: number[], at: number): void {
  sum.bytes += slab[at]!;
  sum.packets += slab[at + 1]!;
  sum.dropPackets += slab[at + 2]!;
  sum.connects += slab[at + 3]!;
  sum.failures += slab[at + 4]!;
  sum.retransmits += slab[at + 5]!;
  sum.rttSumUs += slab[at + 6]!;
  sum.rttCount += slab[at + 7]!;
  sum.dnsQueries += slab[at + 8]!;
  sum.dnsErrors += slab[at + 9]!;
}

/**
 * Graph edges at the filter's level: the busiest nodes kept (ties by id), the rest folded into one
 * `others` node, and each edge the sum of its series.
 */
export function collectEdges(
  store: Store,
  f: FilterState,
  win: TimeWindow,
  maxNodes: number,
  scanAll = false,
): { edges: Map<string, EdgeAgg>; folded: number } {
  const c = collect(store, f, win, scanAll);
  let keep: Set<string> | null = null;
  if (c.weight.size > maxNodes)
    keep = new Set(
      [...c.weight.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, maxNodes - 1)
        .map(([id]) => id),
    );
  const edges = new Map<string, EdgeAgg>();
  for (let i = 0; i < c.series.length; i++) {
    const s = c.series[i]!;
    let [src, dst, key] = nodesOf(s, f.level);
    if (keep && !(keep.has(src.id) && keep.has(dst.id))) {
      src = keep.has(src.id) ? src : OTHERS;
      dst = keep.has(dst.id) ? dst : OTHERS;
      key = `${src.id}->${dst.id}`;
    }
    let e = edges.get(key);
    if (!e) {
      e = { src, dst, sum: new EdgeBucket(0), ports: new Map() };
      edges.set(key, e);
    }
    const detail = c.details.get(i);
    if (detail) e.sum.merge(detail);
    else addSlab(e.sum, c.slab, i * SCALARS);
    const bytes = c.slab[i * SCALARS]!;
    const p = e.ports.get(s.portKey);
    if (p) p.bytes += bytes;
    else e.ports.set(s.portKey, { port: s.port, proto: s.proto, bytes });
  }
  return { edges, folded: keep ? c.weight.size - keep.size : 0 };
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
  const { edges, folded } = collectEdges(store, f, win, opts.maxNodes, opts.scanAll);
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
