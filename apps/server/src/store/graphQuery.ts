import {
  type Endpoint,
  type FilterState,
  type GraphEdge,
  type GraphNode,
  type GraphResponse,
  type Level,
  MAX_EDGE_PORTS,
  type PortProto,
  parseNodeId,
  type TimeWindow,
  timeMode,
} from '@weft/protocol';
import { COARSE_MS, visitDetailWindow, windowRow } from './buckets.js';
import { dnsHealthBySource } from './dnsHealthBySource.js';
import { EdgeBucket } from './edgeBucket.js';
import { EdgeIds } from './edgeIds.js';
import { edgeOrder } from './edgeOrder.js';
import {
  BYTES,
  CONNECTS,
  DNS_ERRORS,
  DNS_QUERIES,
  DROP_PACKETS,
  FAILURES,
  PACKETS,
  RETRANSMITS,
  RTT_COUNT,
  RTT_SUM_US,
  SCALARS,
} from './edgeTier.js';
import { type LevelNode, levelNode } from './levelNode.js';
import { LEVEL_INDEX } from './levelTables.js';
import { focusEdge, MATCH_ALL, pairMatcher } from './match.js';
import {
  P_CONNECTS,
  P_DNS_ERRORS,
  P_DNS_QUERIES,
  P_DROPS,
  P_FAILURES,
  PORT_COLUMNS,
  PortTable,
} from './portTable.js';
import { type EdgeSeries, PROTOS } from './series.js';
import { type SeriesGroups, seriesGroups } from './seriesGroups.js';
import type { SeriesList } from './seriesList.js';
import type { Store } from './store.js';
import { StoreRead } from './storeRead.js';
import { touchAhead } from './touchAhead.js';
import { observedSeconds, round, tierWindow, usToMs } from './window.js';

export interface GraphOptions {
  maxNodes: number;
  simulated: boolean;
  /** Read every pod-level series even where a rollup would do (tests compare the two). */
  scanAll?: boolean;
}

const OTHERS: LevelNode = { id: 'others', kind: 'others', label: 'others', namespace: '' };

/**
 * The namespace map reads the namespace rollups when the filter needs nothing finer than a namespace,
 * protocol or port (their endpoints are one representative pod per side).
 */
export function seriesFor(store: Store, f: FilterState, scanAll = false): readonly (EdgeSeries | null)[] {
  return listFor(store, f, scanAll).items;
}

function listFor(store: Store, f: FilterState, scanAll: boolean): SeriesList {
  if (scanAll) return store.edgeList;
  // A verdict or reason keeps only the pod pairs that dropped, which a rollup can't tell apart.
  const ends = focusEdge(f.focus) ?? (f.focus ? [f.focus] : []);
  const coarseFilter =
    !f.pod &&
    !f.workload &&
    !f.q &&
    !f.verdict &&
    !f.reason &&
    ends.every((e) => parseNodeId(e)?.kind === 'ns');
  return f.level === 'namespace' && coarseFilter ? store.rollupList : store.edgeList;
}

/**
 * collect's per-group sums, kept between queries (queries run one at a time; only collectEdges reads
 * them, before the next query). A group (SeriesGroups) gets two numbers (bytes, packets) and a full
 * row of SCALARS only when one of its series has more than traffic: a 10-number row for each of
 * 50,000 series was a 4 MB slab a query, whose cache misses were a third of the workload graph's time.
 */
let trafficScratch = new Float64Array(0);
let extraAtScratch = new Int32Array(0);
let firstScratch = new Int32Array(0);
let orderScratch = new Int32Array(0);
let extraScratch = new Float64Array(64 * SCALARS);
/** Series touched ahead of the pass at a time (touchAhead). */
const TOUCH_BLOCK = 16;
/** The row windowRow sums one series into: one hot row for every series. */
const row = new Float64Array(SCALARS);

interface Collected {
  /** The series the pass read (holes are null). */
  candidates: readonly (EdgeSeries | null)[];
  groups: SeriesGroups;
  /** How many groups had a collected series; `order` names them in the order of their first one. */
  count: number;
  order: Int32Array;
  /** Per group: the list place of its first collected series. */
  first: Int32Array;
  /** Per group: its window's bytes and packets. */
  traffic: Float64Array;
  /** Per group: where its full row of SCALARS sums starts in `extra`, -1 for traffic only. */
  extraAt: Int32Array;
  /** Full rows (columns as EdgeTier's) of the groups with more than traffic. */
  extra: Float64Array;
  /** Window sums of series with drops or connects (maps and histograms don't fit a row), in list order, and their groups. */
  details: EdgeBucket[];
  detailGroups: number[];
}

/**
 * First pass: each matching series' window sums, added into its group's (no per-edge objects yet).
 * At pod level this is 50,000 series feeding a 150-node graph, so building edges only after folding
 * saves most of the allocation.
 */
function collect(store: Store, f: FilterState, win: TimeWindow, scanAll: boolean): Collected {
  const match = pairMatcher(f);
  const anyPair = match === MATCH_ALL;
  // The loop below calls windowRow itself with these (this is the hot path): the same read as StoreRead's.
  const { fineFrom, liveEdge } = new StoreRead(store);
  const list = listFor(store, f, scanAll);
  const candidates = list.items;
  const groups = seriesGroups(list, LEVEL_INDEX[f.level], store.levels);
  const groupOf = groups.groupOf;
  const size = groups.count;
  if (firstScratch.length < size) {
    trafficScratch = new Float64Array(size * 2);
    extraAtScratch = new Int32Array(size);
    firstScratch = new Int32Array(size);
    orderScratch = new Int32Array(size);
  }
  const traffic = trafficScratch;
  const extraAt = extraAtScratch;
  const first = firstScratch;
  const order = orderScratch;
  first.fill(-1, 0, size);
  let extra = extraScratch;
  // Only drops are asked for: a series that never dropped nor connected can't have any.
  const dropsOnly = f.verdict === 'dropped' || f.reason !== '';
  const forwardedOnly = f.verdict === 'forwarded';
  // Bucket timestamps can lead the wall clock a little (node clock skew), hence the slack.
  const seenAfter = win.start - 120_000;
  const acc = new EdgeBucket(0);
  const merge = (b: EdgeBucket) => acc.mergeDetail(b);
  const details: EdgeBucket[] = [];
  const detailGroups: number[] = [];
  let count = 0;
  let extras = 0;
  const oneFineRun = fineRunOnly(win, fineFrom, liveEdge);
  const winStart = win.start;
  const winEnd = win.end;
  // Rows a window ending at the newest data reads back from it (touchAhead), for a 1 s tier. Only
  // the live window (one 1 s run ending within 2 s of the newest data) is touched ahead: a 15-minute
  // window reads the minute tier and the oldest 1 s rows, a past moment rows far from the newest
  // (touched, they would be one more miss a series).
  const live = oneFineRun && win.end >= liveEdge - 2_000;
  const rowsBack = live ? Math.ceil((win.end - win.start) / 1000) : 0;
  let ahead = live ? 0 : candidates.length;
  for (let n = 0; n < candidates.length; n++) {
    if (n >= ahead) ahead = touchAhead(candidates, n, Math.min(candidates.length, n + TOUCH_BLOCK), rowsBack);
    const s = candidates[n];
    if (!s || s.lastSeen < seenAfter) continue;
    if (!anyPair && !match(s.client, s.server, s.proto, s.port)) continue;
    for (let j = 0; j < SCALARS; j++) row[j] = 0;
    let detail: EdgeBucket | null = null;
    if (s.detail) {
      // The scalars from running totals, the rest from the buckets with a side record: visiting every
      // bucket of the window made and merged a bucket object for each (a fifth of a 15-minute compare
      // with 1% of the series dropping).
      windowRow(s.fine, s.coarse, win.start, win.end, fineFrom, liveEdge, row, 0);
      acc.reset();
      visitDetailWindow(s.fine, s.coarse, win.start, win.end, fineFrom, liveEdge, merge);
      acc.bytes = row[BYTES]!;
      acc.packets = row[PACKETS]!;
      acc.connects = row[CONNECTS]!;
      acc.failures = row[FAILURES]!;
      acc.retransmits = row[RETRANSMITS]!;
      acc.rttSumUs = row[RTT_SUM_US]!;
      acc.rttCount = row[RTT_COUNT]!;
      acc.dnsQueries = row[DNS_QUERIES]!;
      acc.dnsErrors = row[DNS_ERRORS]!;
      // Drops are counted from their side records (by reason), as merging the buckets counted them.
      row[DROP_PACKETS] = acc.dropPackets;
      if (acc.isEmpty()) continue;
      if (dropsOnly) {
        if (acc.dropsFor(f.reason) === 0) continue;
      } else if (forwardedOnly && acc.packets === 0) continue;
      detail = new EdgeBucket(0);
      detail.merge(acc);
    } else {
      if (dropsOnly) continue;
      // Most series only carry traffic: running totals answer them without visiting buckets.
      if (oneFineRun) s.fine.addWindow(winStart, winEnd, row, 0);
      else windowRow(s.fine, s.coarse, win.start, win.end, fineFrom, liveEdge, row, 0);
      // EdgeBucket.isEmpty on the row.
      const empty =
        row[PACKETS] === 0 &&
        row[BYTES] === 0 &&
        row[DROP_PACKETS] === 0 &&
        row[CONNECTS] === 0 &&
        row[RTT_COUNT] === 0 &&
        row[RETRANSMITS] === 0 &&
        row[DNS_QUERIES] === 0;
      if (empty || (forwardedOnly && row[PACKETS] === 0)) continue;
    }
    const g = groupOf[n]!;
    if (first[g]! < 0) {
      first[g] = n;
      order[count++] = g;
      traffic[2 * g] = 0;
      traffic[2 * g + 1] = 0;
      extraAt[g] = -1;
    }
    traffic[2 * g]! += row[BYTES]!;
    traffic[2 * g + 1]! += row[PACKETS]!;
    // Anything past bytes and packets (columns 2 to 9), spelled out: a loop here cost every series.
    if (
      row[2] !== 0 ||
      row[3] !== 0 ||
      row[4] !== 0 ||
      row[5] !== 0 ||
      row[6] !== 0 ||
      row[7] !== 0 ||
      row[8] !== 0 ||
      row[9] !== 0
    ) {
      let at = extraAt[g]!;
      if (at < 0) {
        if ((extras + 1) * SCALARS > extra.length) {
          const grown = new Float64Array(extra.length * 2);
          grown.set(extra);
          extra = extraScratch = grown;
        }
        at = extraAt[g] = extras++ * SCALARS;
        extra.fill(0, at, at + SCALARS);
      }
      for (let j = 2; j < SCALARS; j++) extra[at + j]! += row[j]!;
    }
    if (detail) {
      details.push(detail);
      detailGroups.push(g);
    }
  }
  return { candidates, groups, count, order, first, traffic, extraAt, extra, details, detailGroups };
}

/**
 * Whether windowRow reads `win` as one run of the 1 s tier (a live window: a few seconds inside the 1 s
 * tier's reach, ending at or before the newest data), decided once a query instead of per series.
 */
function fineRunOnly(win: TimeWindow, fineFrom: number, liveEdge: number): boolean {
  const a = Math.ceil(win.start / COARSE_MS) * COARSE_MS;
  const z = Math.floor(win.end / COARSE_MS) * COARSE_MS;
  if (a > z) return win.start >= fineFrom;
  return a === z && win.start < a && win.start >= fineFrom && win.end > z && win.end <= liveEdge;
}

/** The edges of a graph after folding, in flat arrays: edge k joins src[k] -> dst[k]. */
export interface EdgeTable {
  count: number;
  /** Graph node numbers (LevelTables) of each edge's ends; `others` for the folded rest. */
  src: Int32Array;
  dst: Int32Array;
  /** The number `others` has: one past the level's nodes. */
  others: number;
  /** Per edge SCALARS numbers: its window sums, in the columns of the collect slab. */
  sums: Float64Array;
  /** What isn't a number (drops by reason, connect latencies), for the edges with detail series. */
  extras: Map<number, EdgeBucket>;
  /** The same per port entry (failure causes, drops by reason), for the entries with detail series. */
  portExtras: Map<number, EdgeBucket>;
  /** Bytes per edge and port; entries name a series (index into `series`) for its port and protocol. */
  ports: PortTable;
  series: readonly (EdgeSeries | null)[];
  folded: number;
}

/**
 * Graph edges at the filter's level: the busiest nodes kept (ties by id), the rest folded into one
 * `others` node, and each edge the sum of its series. Kept in typed arrays until the response is
 * built: 4,873 workload edges as objects (with their id strings, sums and port lists) were a third of
 * a query's garbage.
 */
export function collectEdges(
  store: Store,
  f: FilterState,
  win: TimeWindow,
  maxNodes: number,
  scanAll = false,
): EdgeTable {
  store.levels.trim();
  const c = collect(store, f, win, scanAll);
  const l = LEVEL_INDEX[f.level];
  const nodes = store.levels.keys[l]!;
  const gSrc = c.groups.src;
  const gDst = c.groups.dst;
  const traffic = c.traffic;
  const extraAt = c.extraAt;
  const extra = c.extra;
  // Each graph node's weight (how much it did), to pick the nodes shown when the level is too dense.
  const weight = new Float64Array(nodes.length);
  const seen = new Uint8Array(nodes.length);
  const touched: number[] = [];
  for (let i = 0; i < c.count; i++) {
    const g = c.order[i]!;
    const at = extraAt[g]!;
    const w =
      traffic[2 * g]! +
      (at < 0 ? 0 : extra[at + DROP_PACKETS]! * 1500 + extra[at + CONNECTS]! + extra[at + DNS_QUERIES]!);
    const a = gSrc[g]!;
    const b = gDst[g]!;
    if (seen[a] === 0) {
      seen[a] = 1;
      touched.push(a);
    }
    weight[a]! += w;
    if (b !== a) {
      if (seen[b] === 0) {
        seen[b] = 1;
        touched.push(b);
      }
      weight[b]! += w;
    }
  }
  let keep: Uint8Array | null = null;
  let folded = 0;
  if (touched.length > maxNodes) {
    const order = touched.sort((a, b) => weight[b]! - weight[a]! || (nodes[a]! < nodes[b]! ? -1 : 1));
    keep = new Uint8Array(nodes.length);
    for (let k = 0; k < maxNodes - 1; k++) keep[order[k]!] = 1;
    folded = touched.length - (maxNodes - 1);
  }
  // Edges are looked up by compact node numbers (first seen here, `others` one of them): few enough
  // for a flat table of edge positions, which a loop over thousands of groups reads faster than a Map.
  const others = nodes.length;
  const compact = new Int32Array(nodes.length + 1).fill(-1);
  const shown = (keep ? maxNodes : touched.length) + 1;
  const table = shown <= 1024 ? new Int32Array(shown * shown) : null;
  const byKey = new Map<number, number>();
  let numbered = 0;
  const n = c.count;
  let cap = Math.max(1, Math.min(n, 1024));
  let src = new Int32Array(cap);
  let dst = new Int32Array(cap);
  let sums = new Float64Array(cap * SCALARS);
  let count = 0;
  const ports = new PortTable();
  // The edge each collected group went to, for the detail series below.
  const edgeOf = c.details.length > 0 ? new Int32Array(c.groups.count) : null;
  const entryOf = c.details.length > 0 ? new Int32Array(c.groups.count) : null;
  // Locals: the calls below (ports.add) would otherwise have each iteration load them again.
  const groupOrder = c.order;
  const groupPort = c.groups.portId;
  const groupFirst = c.first;
  for (let i = 0; i < n; i++) {
    const g = groupOrder[i]!;
    let a = gSrc[g]!;
    let b = gDst[g]!;
    if (keep) {
      if (keep[a] === 0) a = others;
      if (keep[b] === 0) b = others;
    }
    let ca = compact[a]!;
    if (ca < 0) ca = compact[a] = numbered++;
    let cb = compact[b]!;
    if (cb < 0) cb = compact[b] = numbered++;
    const key = ca * shown + cb;
    let k = table ? table[key]! - 1 : (byKey.get(key) ?? -1);
    if (k < 0) {
      if (count === cap) {
        cap *= 2;
        src = grownInt(src, cap);
        dst = grownInt(dst, cap);
        const s = new Float64Array(cap * SCALARS);
        s.set(sums);
        sums = s;
      }
      k = count++;
      src[k] = a;
      dst[k] = b;
      if (table) table[key] = k + 1;
      else byKey.set(key, k);
    }
    if (edgeOf) edgeOf[g] = k;
    const at = k * SCALARS;
    const bytes = traffic[2 * g]!;
    sums[at + BYTES]! += bytes;
    sums[at + PACKETS]! += traffic[2 * g + 1]!;
    const from = extraAt[g]!;
    const e = ports.add(k, groupPort[g]!, groupFirst[g]!, bytes);
    if (entryOf) entryOf[g] = e;
    if (from >= 0) {
      for (let j = 2; j < SCALARS; j++) sums[at + j]! += extra[from + j]!;
      ports.addHealth(
        e,
        extra[from + CONNECTS]!,
        extra[from + FAILURES]!,
        extra[from + DROP_PACKETS]!,
        extra[from + DNS_QUERIES]!,
        extra[from + DNS_ERRORS]!,
      );
    }
  }
  const extras = new Map<number, EdgeBucket>();
  const portExtras = new Map<number, EdgeBucket>();
  for (let d = 0; d < c.details.length; d++) {
    const k = edgeOf![c.detailGroups[d]!]!;
    let x = extras.get(k);
    if (!x) {
      x = new EdgeBucket(0);
      extras.set(k, x);
    }
    x.merge(c.details[d]!);
    const e = entryOf![c.detailGroups[d]!]!;
    let px = portExtras.get(e);
    if (!px) {
      px = new EdgeBucket(0);
      portExtras.set(e, px);
    }
    px.mergeDetail(c.details[d]!);
  }
  return { count, src, dst, others, sums, extras, portExtras, ports, series: c.candidates, folded };
}

function grownInt(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** Sorts order[from, to) by bytes (most first), then port, keeping first-seen order for ties. */
function sortPorts(t: EdgeTable, order: Int32Array, from: number, to: number): void {
  const bytes = t.ports.bytes;
  const portId = t.ports.portId;
  for (let i = from + 1; i < to; i++) {
    const k = order[i]!;
    const kb = bytes[k]!;
    const kp = portId[k]! >>> 3;
    let j = i - 1;
    while (j >= from) {
      const o = order[j]!;
      const ob = bytes[o]!;
      if (ob > kb || (ob === kb && portId[o]! >>> 3 <= kp)) break;
      order[j + 1] = o;
      j--;
    }
    order[j + 1] = k;
  }
}

/**
 * The drop reasons of every edge without drops: one empty object without a prototype (reasons are keys
 * collectors sent, so `constructor` is a reason like any other), shared and frozen rather than one
 * dictionary-mode object (~185 bytes) per edge.
 */
const NO_DROP_REASONS: Record<string, number> = Object.freeze(Object.create(null));

function graphEdge(
  t: EdgeTable,
  k: number,
  id: string,
  a: LevelNode,
  b: LevelNode,
  byEdge: { start: Int32Array; order: Int32Array },
  seconds: number,
): GraphEdge {
  const s = t.sums;
  const at = k * SCALARS;
  const x = t.extras.get(k);
  // Keyed by reasons collectors sent: a Map, then an object without a prototype, so `constructor` or
  // `__proto__` is a reason like any other.
  let dropReasons: Record<string, number> = NO_DROP_REASONS;
  if (x?.drops && x.drops.size > 0) {
    dropReasons = Object.create(null);
    const byReason = new Map<string, number>();
    for (const c of x.drops.values()) byReason.set(c.reason, (byReason.get(c.reason) ?? 0) + c.packets);
    for (const [r, n] of byReason) dropReasons[r] = round(n / seconds);
  }
  const { start, order } = byEdge;
  const from = start[k]!;
  const to = start[k + 1]!;
  sortPorts(t, order, from, to);
  const listed = keptPorts(t, order, from, to);
  // Made at its length: an array pushed to from empty takes room for 17 (a third of a workload answer's
  // bytes were such arrays and empty reason objects, and every byte of an answer is copied by the
  // scavenges that find it alive).
  const ports: GraphEdge['ports'] = new Array(listed === null ? to - from : MAX_EDGE_PORTS);
  let listedCount = 0;
  for (let p = from; p < to; p++)
    if (listed === null || listed[p - from] === 1) ports[listedCount++] = portOf(t, order[p]!, seconds);
  const rttCount = s[at + RTT_COUNT]!;
  const edge: GraphEdge = {
    id,
    source: a.id,
    target: b.id,
    ports,
    bytesPerSec: round(s[at + BYTES]! / seconds),
    packetsPerSec: round(s[at + PACKETS]! / seconds),
    dropsPerSec: round(s[at + DROP_PACKETS]! / seconds),
    dropReasons,
    tcpConnects: s[at + CONNECTS]!,
    tcpFailures: s[at + FAILURES]!,
    connectLatencyP50Ms: usToMs(x?.connectLatency?.quantile(0.5) ?? null),
    connectLatencyP95Ms: usToMs(x?.connectLatency?.quantile(0.95) ?? null),
    rttMs: rttCount > 0 ? round(s[at + RTT_SUM_US]! / rttCount / 1000) : null,
    retransmits: s[at + RETRANSMITS]!,
    dnsQueries: s[at + DNS_QUERIES]!,
    dnsErrors: s[at + DNS_ERRORS]!,
  };
  // Set after the literal (a spread in it made every edge object the slow way).
  if (to - from > ports.length) edge.portsMore = to - from - ports.length;
  return edge;
}

/**
 * Which of an edge's sorted port entries order[from, to) are listed (1), when it has more than
 * MAX_EDGE_PORTS; null when all are. Ports with a problem go first, so a refused port is never left
 * among the "+k more" behind quiet busy ones.
 */
function keptPorts(t: EdgeTable, order: Int32Array, from: number, to: number): Uint8Array | null {
  const n = to - from;
  if (n <= MAX_EDGE_PORTS) return null;
  const kept = new Uint8Array(n);
  let left = MAX_EDGE_PORTS;
  for (let p = from; p < to && left > 0; p++)
    if (t.ports.troubled(order[p]!)) {
      kept[p - from] = 1;
      left--;
    }
  for (let p = from; p < to && left > 0; p++)
    if (kept[p - from] === 0) {
      kept[p - from] = 1;
      left--;
    }
  return kept;
}

/** Port entry `e` as answered: its bytes, and its health fields where not zero. */
function portOf(t: EdgeTable, e: number, seconds: number): PortProto {
  const id = t.ports.portId[e]!;
  // The port and protocol are in the portId (port * 8 + protocol), but for a protocol without a number.
  const proto = PROTOS[id & 7] ?? t.series[t.ports.series[e]!]!.proto;
  const p: PortProto = { port: id >>> 3, proto, bytesPerSec: round(t.ports.bytes[e]! / seconds) };
  const h = t.ports.health;
  const at = e * PORT_COLUMNS;
  if (h[at + P_CONNECTS]! > 0) p.tcpConnects = h[at + P_CONNECTS]!;
  if (h[at + P_FAILURES]! > 0) p.tcpFailures = h[at + P_FAILURES]!;
  const x = t.portExtras.get(e);
  if (x) {
    if (x.refused > 0) p.refused = x.refused;
    if (x.timeouts > 0) p.timeouts = x.timeouts;
    if (x.resets > 0) p.resets = x.resets;
  }
  if (h[at + P_DROPS]! > 0) {
    p.dropsPerSec = round(h[at + P_DROPS]! / seconds);
    let top = '';
    let most = 0;
    if (x?.drops) {
      const byReason = new Map<string, number>();
      for (const c of x.drops.values()) byReason.set(c.reason, (byReason.get(c.reason) ?? 0) + c.packets);
      for (const [r, n] of byReason) if (n > most || (n === most && r < top)) [top, most] = [r, n];
    }
    if (top) p.dropReason = top;
  }
  if (h[at + P_DNS_QUERIES]! > 0) p.dnsQueries = h[at + P_DNS_QUERIES]!;
  if (h[at + P_DNS_ERRORS]! > 0) p.dnsErrors = h[at + P_DNS_ERRORS]!;
  return p;
}

/** A graph before its objects: the folded edges, the window and the seconds its rates divide by. */
export interface GraphTable {
  t: EdgeTable;
  win: TimeWindow;
  seconds: number;
  level: Level;
  /** The level's nodes by number when the table was made, as the endpoints they are made from and their ids (`others` is t.others). */
  levelEnds: readonly (Endpoint | null)[];
  levelKeys: readonly (string | null)[];
  /** The nodes made so far (tableNode), by number. */
  made: Map<number, LevelNode>;
  /** The LevelTables generation the node numbers belong to. */
  generation: number;
}

/** The folded edges of the graph over `asked` (widened by tierWindow), nothing built yet. */
export function graphTable(store: Store, f: FilterState, asked: TimeWindow, opts: GraphOptions): GraphTable {
  const win = tierWindow(asked, store.fineFrom());
  const seconds = observedSeconds(store, win);
  const t = collectEdges(store, f, win, opts.maxNodes, opts.scanAll);
  const l = LEVEL_INDEX[f.level];
  return {
    t,
    win,
    seconds,
    level: f.level,
    levelEnds: store.levels.ends[l]!,
    levelKeys: store.levels.keys[l]!,
    made: new Map(),
    generation: store.levels.generation,
  };
}

/** The level node (or `others`) numbered `id` in `g`, made on first use: most numbered nodes are never shown. */
export function tableNode(g: GraphTable, id: number): LevelNode {
  if (id === g.t.others) return OTHERS;
  let n = g.made.get(id);
  if (n === undefined) {
    n = levelNode(g.levelEnds[id]!, g.level);
    g.made.set(id, n);
  }
  return n;
}

/** The id of the level node (or `others`) numbered `id` in `g`. */
function tableNodeId(g: GraphTable, id: number): string {
  return id === g.t.others ? OTHERS.id : g.levelKeys[id]!;
}

/** Per edge of `g`, its bytes per second as answered; the answer's edge order goes by them. */
export function edgeRates(g: GraphTable): Float64Array {
  const { t, seconds } = g;
  const out = new Float64Array(t.count);
  for (let k = 0; k < t.count; k++) out[k] = round(t.sums[k * SCALARS + BYTES]! / seconds);
  return out;
}

/** The edge numbers of `g` in answer order: busiest first, ties by edge id. */
export function answerOrder(g: GraphTable, bytesPerSec: Float64Array): number[] {
  return edgeOrder(g.t.count, bytesPerSec, g.t.src, g.t.dst, (id) => tableNodeId(g, id));
}

/**
 * The graph nodes of `g`, sorted by id: each with the bytes and drops per second of its edges (summed
 * in edge order, rounding each step: the order is part of the answer).
 */
export function tableNodes(g: GraphTable): GraphNode[] {
  const { t, seconds } = g;
  // Typed arrays rather than the node objects: level nodes differ in shape, and updating their copies
  // twice an edge was a megamorphic store each (~2 ms at workload).
  const size = t.others + 1;
  const nodeBytes = new Float64Array(size);
  const nodeDrops = new Float64Array(size);
  // 1: touched, 2: touched and serves DNS.
  const touched = new Uint8Array(size);
  for (let k = 0; k < t.count; k++) {
    const a = t.src[k]!;
    const b = t.dst[k]!;
    const at = k * SCALARS;
    const bytes = t.sums[at + BYTES]!;
    const drops = t.sums[at + DROP_PACKETS]!;
    nodeBytes[a] = round(nodeBytes[a]! + bytes / seconds);
    nodeDrops[a] = round(nodeDrops[a]! + drops / seconds);
    if (touched[a] === 0) touched[a] = 1;
    if (b !== a) {
      nodeBytes[b] = round(nodeBytes[b]! + bytes / seconds);
      nodeDrops[b] = round(nodeDrops[b]! + drops / seconds);
    }
    if (t.sums[at + DNS_QUERIES]! > 0) touched[b] = 2;
    else if (touched[b] === 0) touched[b] = 1;
  }
  const nodes: GraphNode[] = [];
  for (let id = 0; id < size; id++) {
    if (touched[id] === 0) continue;
    const g0: GraphNode = { ...tableNode(g, id), bytesPerSec: nodeBytes[id]!, dropsPerSec: nodeDrops[id]! };
    if (id === t.others) g0.members = t.folded;
    if (touched[id] === 2) g0.dns = true;
    nodes.push(g0);
  }
  return nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Per edge of `g`, where its ports are listed (PortTable.byEdge), for tableEdge. */
export type PortsByEdge = { start: Int32Array; order: Int32Array };

export function portsByEdge(g: GraphTable): PortsByEdge {
  return g.t.ports.byEdge(g.t.count);
}

/** Edge `k` of `g` as answered. */
export function tableEdge(g: GraphTable, k: number, byEdge: PortsByEdge): GraphEdge {
  const src = g.t.src[k]!;
  const dst = g.t.dst[k]!;
  const id = edgeIds.get(
    LEVEL_INDEX[g.level],
    g.generation,
    src,
    dst,
    tableNodeId(g, src),
    tableNodeId(g, dst),
  );
  return graphEdge(g.t, k, id, tableNode(g, src), tableNode(g, dst), byEdge, g.seconds);
}

/** Edge ids kept between queries (one query at a time reads and adds to them). */
const edgeIds = new EdgeIds();

/** The answer for `g`: its nodes and, in answer order, its edges. */
export function tableGraph(
  g: GraphTable,
  f: FilterState,
  opts: GraphOptions,
  order?: number[],
): GraphResponse {
  const byEdge = portsByEdge(g);
  // Edge objects made in answer order, rather than made and then sorted by their id strings.
  const ks = order ?? answerOrder(g, edgeRates(g));
  const edges: GraphEdge[] = new Array(ks.length);
  for (let i = 0; i < ks.length; i++) edges[i] = tableEdge(g, ks[i]!, byEdge);
  return {
    level: f.level,
    mode: timeMode(f),
    start: g.win.start,
    end: g.win.end,
    nodes: tableNodes(g),
    edges,
    folded: g.t.folded,
    simulated: opts.simulated,
  };
}

/**
 * The graph over `win` (widened to whole minutes where older than the 1 s tier: tierWindow); its
 * start/end say which window that was.
 */
export function queryGraph(
  store: Store,
  f: FilterState,
  asked: TimeWindow,
  opts: GraphOptions,
): GraphResponse {
  const g = graphTable(store, f, asked, opts);
  const answer = tableGraph(g, f, opts);
  nameDnsFailures(store, f.level, answer.edges, g.win);
  return answer;
}

/**
 * Gives each port with DNS errors the failing answer its edge's client got most often, and each port
 * with DNS queries that client's p95 answer time (dnsHealthBySource): the map then says "DNS NXDOMAIN
 * payments.production..." or "DNS p95 1.2 s", not just a count.
 */
export function nameDnsFailures(store: Store, level: Level, edges: GraphEdge[], win: TimeWindow): void {
  const sources = new Set<string>();
  for (const e of edges) if (e.dnsQueries > 0 && e.source !== 'others') sources.add(e.source);
  if (sources.size === 0) return;
  const health = dnsHealthBySource(store, level, sources, win);
  for (const e of edges) {
    const h = e.dnsQueries > 0 ? health.get(e.source) : undefined;
    if (!h) continue;
    for (const p of e.ports) {
      if (h.failure && (p.dnsErrors ?? 0) > 0) p.dnsFailure = { ...h.failure };
      // A tenth of a millisecond: finer would make every live round a change.
      if (h.p95Ms !== null && (p.dnsQueries ?? 0) > 0) p.dnsP95Ms = Math.round(h.p95Ms * 10) / 10;
    }
  }
}
