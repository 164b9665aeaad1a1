import type { FilterState, GraphEdge, GraphNode, GraphResponse, Level, TimeWindow } from '@weft/protocol';
import { visitWindow, windowRow } from './buckets.js';
import { EdgeBucket } from './edgeBucket.js';
import { type LevelNode, levelNode } from './levelNode.js';
import { LEVEL_INDEX, type LevelTables } from './levelTables.js';
import { MATCH_ALL, pairMatcher } from './match.js';
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
  id: string;
  src: LevelNode;
  dst: LevelNode;
  sum: EdgeBucket;
  ports: PortSum[];
  /** portId of each entry of `ports`, scanned while few; a Map once there are many. */
  portIds: number[];
  portIndex: Map<number, PortSum> | null;
}

interface PortSum {
  port: number;
  proto: string;
  bytes: number;
}

/** Past this many ports an edge looks them up in a Map; below, a scan of a small array is faster. */
const PORT_SCAN = 16;

/** The port entry of `e` for `portId`, or undefined; the caller adds a missing one with addPort. */
function portOf(e: EdgeAgg, portId: number): PortSum | undefined {
  if (e.portIndex) return e.portIndex.get(portId);
  const ids = e.portIds;
  for (let k = 0; k < ids.length; k++) if (ids[k] === portId) return e.ports[k];
  return undefined;
}

function addPort(e: EdgeAgg, portId: number, p: PortSum): void {
  e.ports.push(p);
  if (e.portIndex) e.portIndex.set(portId, p);
  else {
    e.portIds.push(portId);
    if (e.portIds.length > PORT_SCAN) e.portIndex = new Map(e.portIds.map((id, k) => [id, e.ports[k]!]));
  }
}

const OTHERS: LevelNode = { id: 'others', kind: 'others', label: 'others', namespace: '' };

/** Sets the graph node numbers of both ends of `s` at level index `l`, once per tables generation. */
function numberEnds(s: EdgeSeries, l: number, tables: LevelTables): void {
  if (s.levelGen !== tables.generation) {
    s.c0 = s.s0 = s.c1 = s.s1 = s.c2 = s.s2 = s.c3 = s.s3 = -1;
    s.levelGen = tables.generation;
  }
  if (endId(s, l, 0) >= 0) return;
  const level = LEVELS[l]!;
  const c = tables.idOf(l, levelNode(s.client, level));
  const v = tables.idOf(l, levelNode(s.server, level));
  if (l === 0) [s.c0, s.s0] = [c, v];
  else if (l === 1) [s.c1, s.s1] = [c, v];
  else if (l === 2) [s.c2, s.s2] = [c, v];
  else [s.c3, s.s3] = [c, v];
}

/** The number of the client (side 0) or server (side 1) end of `s` at level index `l`. */
function endId(s: EdgeSeries, l: number, side: number): number {
  switch (l * 2 + side) {
    case 0:
      return s.c0;
    case 1:
      return s.s0;
    case 2:
      return s.c1;
    case 3:
      return s.s1;
    case 4:
      return s.c2;
    case 5:
      return s.s2;
    case 6:
      return s.c3;
    default:
      return s.s3;
  }
}

const LEVELS: Level[] = ['node', 'namespace', 'workload', 'pod'];

/**
 * The namespace map reads the namespace rollups when the filter needs nothing finer than a namespace,
 * protocol or port (their endpoints are one representative pod per side).
 */
export function seriesFor(store: Store, f: FilterState, scanAll = false): ReadonlyMap<string, EdgeSeries> {
  if (scanAll) return store.edges;
  // A verdict or reason keeps only the pod pairs that dropped, which a rollup can't tell apart.
  const coarseFilter =
    !f.pod && !f.workload && !f.q && !f.verdict && !f.reason && (f.focus === '' || f.focus.startsWith('ns:'));
  return f.level === 'namespace' && coarseFilter ? store.nsRollups : store.edges;
}

const SCALARS = 10;

interface Collected {
  series: EdgeSeries[];
  /** Per collected series, SCALARS numbers: its window sums (bytes, packets, drops, ...). */
  slab: Float64Array;
  /** Window sums of series with drops or connects (maps and histograms don't fit the slab). */
  details: Map<number, EdgeBucket>;
  /** Per graph node number: how much it did, to pick the nodes shown when the level is too dense. */
  weight: Float64Array;
  /** Graph node numbers with a weight, in first-seen order. */
  touched: number[];
  /** Per collected series: its client's and server's graph node numbers and its portId. */
  pairs: Int32Array;
}

/**
 * First pass: each matching series' window sums, kept flat (no per-edge objects yet), and each graph
 * node's weight. At pod level this is 50,000 series feeding a 150-node graph, so building edges only
 * after folding saves most of the allocation.
 */
function collect(store: Store, f: FilterState, win: TimeWindow, scanAll: boolean): Collected {
  const match = pairMatcher(f);
  const anyPair = match === MATCH_ALL;
  const now = store.now();
  const fineFrom = store.fineFrom(now);
  const liveEdge = Math.min(now, store.dataEnd || now);
  const tables = store.levels;
  const l = LEVEL_INDEX[f.level];
  let weight = new Float64Array(Math.max(64, tables.nodes[l]!.length));
  let seen = new Uint8Array(weight.length);
  const candidates = seriesFor(store, f, scanAll);
  // Sized for every candidate series at once: growing a plain array by 10 numbers a series cost more.
  const slab = new Float64Array(candidates.size * SCALARS);
  const pairs = new Int32Array(candidates.size * 3);
  const touched: number[] = [];
  const out: Collected = { series: [], slab, details: new Map(), weight, touched, pairs };
  // Only drops are asked for: a series that never dropped nor connected can't have any.
  const dropsOnly = f.verdict === 'dropped' || f.reason !== '';
  const forwardedOnly = f.verdict === 'forwarded';
  // Bucket timestamps can lead the wall clock a little (node clock skew), hence the slack.
  const seenAfter = win.start - 120_000;
  const acc = new EdgeBucket(0);
  const merge = (b: EdgeBucket) => acc.merge(b);
  let i = 0;
  for (const s of candidates.values()) {
    if (s.lastSeen < seenAfter) continue;
    if (!anyPair && !match(s.client, s.server, s.proto, s.port)) continue;
    const at = i * SCALARS;
    if (s.detail) {
      acc.reset();
      visitWindow(s.fine, s.coarse, win.start, win.end, fineFrom, liveEdge, merge);
      if (acc.isEmpty()) continue;
      if (dropsOnly) {
        if (acc.dropsFor(f.reason) === 0) continue;
      } else if (forwardedOnly && acc.packets === 0) continue;
      slab[at] = acc.bytes;
      slab[at + 1] = acc.packets;
      slab[at + 2] = acc.dropPackets;
      slab[at + 3] = acc.connects;
      slab[at + 4] = acc.failures;
      slab[at + 5] = acc.retransmits;
      slab[at + 6] = acc.rttSumUs;
      slab[at + 7] = acc.rttCount;
      slab[at + 8] = acc.dnsQueries;
      slab[at + 9] = acc.dnsErrors;
      const d = new EdgeBucket(0);
      d.merge(acc);
      out.details.set(i, d);
    } else {
      if (dropsOnly) continue;
      // Most series only carry traffic: running totals answer them without visiting buckets.
      windowRow(s.fine, s.coarse, win.start, win.end, fineFrom, liveEdge, slab, at);
      // EdgeBucket.isEmpty on the row; the row is reused by the next series when this one is left out.
      const empty =
        slab[at + 1] === 0 &&
        slab[at] === 0 &&
        slab[at + 2] === 0 &&
        slab[at + 3] === 0 &&
        slab[at + 7] === 0 &&
        slab[at + 5] === 0 &&
        slab[at + 8] === 0;
      if (empty || (forwardedOnly && slab[at + 1] === 0)) {
        slab.fill(0, at, at + SCALARS);
        continue;
      }
    }
    out.series.push(s);
    const w = slab[at]! + slab[at + 2]! * 1500 + slab[at + 3]! + slab[at + 8]!;
    numberEnds(s, l, tables);
    const src = endId(s, l, 0);
    const dst = endId(s, l, 1);
    if (src >= weight.length || dst >= weight.length) {
      const size = Math.max(src + 1, dst + 1, weight.length * 2);
      const grown = new Float64Array(size);
      grown.set(weight);
      weight = grown;
      const seenGrown = new Uint8Array(size);
      seenGrown.set(seen);
      seen = seenGrown;
    }
    if (seen[src] === 0) {
      seen[src] = 1;
      touched.push(src);
    }
    weight[src]! += w;
    if (dst !== src) {
      if (seen[dst] === 0) {
        seen[dst] = 1;
        touched.push(dst);
      }
      weight[dst]! += w;
    }
    pairs[3 * i] = src;
    pairs[3 * i + 1] = dst;
    pairs[3 * i + 2] = s.portId;
    i++;
  }
  out.weight = weight;
  return out;
}

function addSlab(sum: EdgeBucket, slab: Float64Array, at: number): void {
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
): { edges: EdgeAgg[]; folded: number } {
  store.levels.trim();
  const c = collect(store, f, win, scanAll);
  const l = LEVEL_INDEX[f.level];
  const nodes = store.levels.nodes[l]!;
  let keep: Uint8Array | null = null;
  let folded = 0;
  if (c.touched.length > maxNodes) {
    const w = c.weight;
    const order = c.touched.slice().sort((a, b) => w[b]! - w[a]! || (nodes[a]!.id < nodes[b]!.id ? -1 : 1));
    keep = new Uint8Array(nodes.length);
    for (let k = 0; k < maxNodes - 1; k++) keep[order[k]!] = 1;
    folded = c.touched.length - (maxNodes - 1);
  }
  // Edges are looked up by compact node numbers (first seen here, `others` one of them): few enough
  // for a flat table of edge positions, which a 50,000-series loop reads faster than a Map.
  const others = nodes.length;
  const compact = new Int32Array(nodes.length + 1).fill(-1);
  const shown = (keep ? maxNodes : c.touched.length) + 1;
  const table = shown <= 1024 ? new Int32Array(shown * shown) : null;
  const byKey = new Map<number, EdgeAgg>();
  let numbered = 0;
  const edges: EdgeAgg[] = [];
  // Reads only the flat arrays collect filled; a series object only for its detail or a new port.
  const pairs = c.pairs;
  for (let i = 0; i < c.series.length; i++) {
    let src = pairs[3 * i]!;
    let dst = pairs[3 * i + 1]!;
    if (keep) {
      if (keep[src] === 0) src = others;
      if (keep[dst] === 0) dst = others;
    }
    let cs = compact[src]!;
    if (cs < 0) cs = compact[src] = numbered++;
    let cd = compact[dst]!;
    if (cd < 0) cd = compact[dst] = numbered++;
    const key = cs * shown + cd;
    let e = table ? (table[key]! > 0 ? edges[table[key]! - 1] : undefined) : byKey.get(key);
    if (!e) {
      const a = src === others ? OTHERS : nodes[src]!;
      const b = dst === others ? OTHERS : nodes[dst]!;
      e = {
        id: `${a.id}->${b.id}`,
        src: a,
        dst: b,
        sum: new EdgeBucket(0),
        ports: [],
        portIds: [],
        portIndex: null,
      };
      edges.push(e);
      if (table) table[key] = edges.length;
      else byKey.set(key, e);
    }
    const detail = c.details.size > 0 ? c.details.get(i) : undefined;
    if (detail) e.sum.merge(detail);
    else addSlab(e.sum, c.slab, i * SCALARS);
    const bytes = c.slab[i * SCALARS]!;
    const portId = pairs[3 * i + 2]!;
    const p = portOf(e, portId);
    if (p) p.bytes += bytes;
    else {
      const s = c.series[i]!;
      addPort(e, portId, { port: s.port, proto: s.proto, bytes });
    }
  }
  return { edges, folded };
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
    ports: e.ports
      .slice()
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
  for (const e of edges) {
    const servesDns = e.sum.dnsQueries > 0;
    touch(e.src, e.sum.bytes, e.sum.dropPackets, false);
    if (e.dst.id !== e.src.id) touch(e.dst, e.sum.bytes, e.sum.dropPackets, servesDns);
    else if (servesDns) nodes.get(e.dst.id)!.dns = true;
    out.push(toGraphEdge(e.id, e, seconds));
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
