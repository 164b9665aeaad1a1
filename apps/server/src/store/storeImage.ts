import type { Endpoint, FlowRow } from '@weft/protocol';
import type { CrossNodeDedupe } from './crossNodeDedupe.js';
import { DnsBucket } from './dnsBucket.js';
import type { DnsNameEntry, DnsNameIndex } from './dnsNameIndex.js';
import type { DropCell } from './edgeBucket.js';
import type { EdgeTier } from './edgeTier.js';
import type { EndpointInterner } from './endpointInterner.js';
import { Histogram } from './histogram.js';
import type { IdleOrder } from './idleOrder.js';
import { levelNode } from './levelNode.js';
import type { RollupIndex } from './rollupIndex.js';
import { DnsSeries, EdgeSeries, PROTOS } from './series.js';
import type { SeriesIndex } from './seriesIndex.js';
import type { Store } from './store.js';
import type { TierArena } from './tierArena.js';

/** The private parts of a Store an image reads and fills (Store.snapshotParts gives them). */
export interface StoreParts {
  arena: TierArena;
  interner: EndpointInterner;
  dedupe: CrossNodeDedupe;
  dnsNames: DnsNameIndex;
  edgeIndex: SeriesIndex<EdgeSeries>;
  rollupIndex: RollupIndex;
  podsIdle: IdleOrder<EdgeSeries | DnsSeries>;
  rollupsIdle: IdleOrder<EdgeSeries>;
  counters: Record<string, number>;
  fineHorizon: number;
  /** Sets the fine horizon and counts the buckets held again from the tiers (after a restore). */
  recount(fineHorizon: number): void;
}

/**
 * Numbers per series in the image's table: kind (0 pod-level edge, 1 namespace rollup, 2 the totals),
 * client and server (endpoint indexes, -1 none), protocol (index in `protos`), port, lastSeen, idleAt,
 * owner (index in `owners`, -1 none), detail (0/1), rollup (series index, -1 none), then per tier (fine,
 * coarse) its columns mask, its length and where its rows start in the numbers.
 */
export const SERIES_FIELDS = 16;
const KIND_POD = 0;
const KIND_ROLLUP = 1;
const KIND_TOTALS = 2;

interface HistogramJson {
  counts: [number, number][];
  total: number;
  sumUs: number;
}

/** An EdgeBucket side record, every field (queries read some of them straight off the record). */
interface DetailJson {
  s: number;
  coarse: 0 | 1;
  t: number;
  f: number[];
  drops: DropCell[] | null;
  latency: HistogramJson | null;
}

interface DnsBucketJson {
  t: number;
  queries: number;
  errors: number;
  rcodes: [string, number][] | null;
  latency: HistogramJson;
  failing: [string, number][] | null;
}

interface DnsSeriesJson {
  key: string;
  client: number;
  lastSeen: number;
  idleAt: number;
  owner: number;
  fine: DnsBucketJson[];
  coarse: DnsBucketJson[];
}

type FlowJson = Omit<FlowRow, 'src' | 'dst'> & { src: number; dst: number };

/** What is not numbers in bulk, as JSON (the numbers' table and rows go beside it as a Float64Array). */
export interface ImageMeta {
  /** The store's clock when taken. */
  at: number;
  endpoints: Endpoint[];
  /** Of `endpoints`, the first `interned` were held by the interner (the rest only by flow rows). */
  interned: number;
  owners: string[];
  protos: string[];
  series: number;
  details: DetailJson[];
  dns: DnsSeriesJson[];
  /** Learned service ports in the order learned: endpoint index, port, endpoint index, port... */
  ports: number[];
  dedupe: ReturnType<CrossNodeDedupe['state']>;
  /** The DNS names learned for flows (absent in images from before them). */
  dnsNames?: DnsNameEntry[];
  counters: Record<string, number>;
  fineHorizon: number;
  dataStart: number | null;
  dataEnd: number;
  observedNodes: string[];
  /** The flow ring's rows, oldest first. */
  flows: FlowJson[];
}

export interface StoreImage {
  meta: ImageMeta;
  numbers: Float64Array;
}

/** EdgeBucket's scalar fields, in the order DetailJson.f holds them. */
const DETAIL_SCALARS = [
  'bytes',
  'packets',
  'dropPackets',
  'dropBytes',
  'connects',
  'failures',
  'refused',
  'timeouts',
  'resets',
  'rttSumUs',
  'rttCount',
  'retransmits',
  'dnsQueries',
  'dnsErrors',
] as const;

const histogramJson = (h: Histogram): HistogramJson => ({
  counts: [...h.counts],
  total: h.total,
  sumUs: h.sumUs,
});

function histogramFrom(j: HistogramJson, into = new Histogram()): Histogram {
  for (const [k, v] of j.counts) into.counts.set(k, v);
  into.total = j.total;
  into.sumUs = j.sumUs;
  return into;
}

const dnsBucketJson = (b: DnsBucket): DnsBucketJson => ({
  t: b.t,
  queries: b.queries,
  errors: b.errors,
  rcodes: b.rcodes ? [...b.rcodes] : null,
  latency: histogramJson(b.latency),
  failing: b.failing ? [...b.failing] : null,
});

function dnsBucketFrom(j: DnsBucketJson): DnsBucket {
  const b = new DnsBucket(j.t);
  b.queries = j.queries;
  b.errors = j.errors;
  b.rcodes = j.rcodes ? new Map(j.rcodes) : null;
  histogramFrom(j.latency, b.latency);
  b.failing = j.failing ? new Map(j.failing) : null;
  return b;
}

/** Numbers an image of `store` would hold now (its series table and their rows). */
export function imageNumbers(store: Store): number {
  let n = (store.nsRollups.size + store.edges.size + 1) * SERIES_FIELDS;
  n += store.totals.fine.rowNumbers + store.totals.coarse.rowNumbers;
  for (const s of store.nsRollups) n += s.fine.rowNumbers + s.coarse.rowNumbers;
  for (const s of store.edges) n += s.fine.rowNumbers + s.coarse.rowNumbers;
  return n;
}

/**
 * The store's state at this moment, copied (the image shares nothing the store goes on changing): its
 * series and their tiers' rows, DNS clients, interned endpoints, learned ports, the cross-node dedupe
 * window, the flow ring, counts and counters. Synchronous, so it is one consistent cut between two
 * batches; the rows are copied with one memcpy per tier, into `into` when it is large enough (a
 * buffer the caller had the pages of faulted in beforehand, a slice at a time). Queries' caches
 * (LevelTables) are not kept: they are rebuilt on demand.
 */
export function captureImage(store: Store, into?: Float64Array): StoreImage {
  const p = store.snapshotParts();
  const endpoints: Endpoint[] = [];
  const epIndex = new Map<Endpoint, number>();
  const idOf = new Map<number, number>();
  for (const it of p.interner.held()) {
    idOf.set(it.id, endpoints.length);
    epIndex.set(it.ep, endpoints.length);
    endpoints.push(it.ep);
  }
  const ep = (e: Endpoint | null): number => {
    if (e === null) return -1;
    let i = epIndex.get(e);
    if (i === undefined) {
      i = endpoints.length;
      epIndex.set(e, i);
      endpoints.push(e);
    }
    return i;
  };
  const owners: string[] = [];
  const ownerIndex = new Map<number, number>();
  const owner = (o: number): number => {
    if (o < 0) return -1;
    let i = ownerIndex.get(o);
    if (i === undefined) {
      i = owners.length;
      ownerIndex.set(o, i);
      owners.push(store.owners.name(o) ?? '');
    }
    return i;
  };
  const protos: string[] = [...PROTOS];
  const proto = (name: string): number => {
    let i = protos.indexOf(name);
    if (i < 0) i = protos.push(name) - 1;
    return i;
  };

  const series: EdgeSeries[] = [store.totals, ...store.nsRollups, ...store.edges];
  const place = new Map<EdgeSeries, number>();
  let rowNumbers = 0;
  for (let i = 0; i < series.length; i++) {
    const s = series[i]!;
    place.set(s, i);
    rowNumbers += s.fine.rowNumbers + s.coarse.rowNumbers;
  }
  const table = series.length * SERIES_FIELDS;
  // Every number is written below: no zero fill first (a day at 50,000 edges is ~300 MB of them).
  const n = table + rowNumbers;
  const numbers =
    into !== undefined && into.length >= n
      ? into.subarray(0, n)
      : new Float64Array(Buffer.allocUnsafeSlow(n * 8).buffer, 0, n);
  const details: DetailJson[] = [];
  let rows = table;
  const tier = (t: EdgeTier, s: number, coarse: 0 | 1, at: number) => {
    numbers[at] = t.columns;
    numbers[at + 1] = t.length;
    numbers[at + 2] = rows;
    rows += t.copyRows(numbers, rows);
    for (const d of t.detailRecords())
      details.push({
        s,
        coarse,
        t: d.t,
        f: DETAIL_SCALARS.map((k) => d[k]),
        drops: d.drops ? [...d.drops.values()].map((c) => ({ ...c })) : null,
        latency: d.connectLatency ? histogramJson(d.connectLatency) : null,
      });
  };
  const rollupKind = store.nsRollups;
  for (let i = 0; i < series.length; i++) {
    const s = series[i]!;
    const o = i * SERIES_FIELDS;
    numbers[o] = i === 0 ? KIND_TOTALS : rollupKind.has(s) ? KIND_ROLLUP : KIND_POD;
    numbers[o + 1] = ep(i === 0 ? null : s.client);
    numbers[o + 2] = ep(i === 0 ? null : s.server);
    numbers[o + 3] = proto(s.proto);
    numbers[o + 4] = s.port;
    numbers[o + 5] = s.lastSeen;
    numbers[o + 6] = Number.isFinite(s.idleAt) ? s.idleAt : -1;
    numbers[o + 7] = owner(s.owner);
    numbers[o + 8] = s.detail ? 1 : 0;
    numbers[o + 9] = s.rollup && !s.rollup.dead ? (place.get(s.rollup) ?? -1) : -1;
    tier(s.fine, i, 0, o + 10);
    tier(s.coarse, i, 1, o + 13);
  }

  const dns: DnsSeriesJson[] = [];
  for (const s of store.dns.values())
    dns.push({
      key: s.key,
      client: ep(s.client),
      lastSeen: s.lastSeen,
      idleAt: Number.isFinite(s.idleAt) ? s.idleAt : -1,
      owner: owner(s.owner),
      fine: s.fine.items.map(dnsBucketJson),
      coarse: s.coarse.items.map(dnsBucketJson),
    });

  const ports: number[] = [];
  for (const key of store.ports.keys()) {
    const at = idOf.get(Math.floor(key / 65536));
    // An endpoint the interner let go: its ids are never reused, so nothing can match the port again.
    if (at !== undefined) ports.push(at, key % 65536);
  }
  const interned = idOf.size;

  const flows: FlowJson[] = [];
  store.recentFlows((row) => {
    flows.push({ ...row, src: ep(row.src), dst: ep(row.dst) });
    return true;
  });
  flows.reverse();

  return {
    meta: {
      at: store.now(),
      endpoints,
      interned,
      owners,
      protos,
      series: series.length,
      details,
      dns,
      ports,
      dedupe: p.dedupe.state(),
      dnsNames: p.dnsNames.state(),
      counters: { ...p.counters },
      fineHorizon: p.fineHorizon,
      dataStart: Number.isFinite(store.dataStart) ? store.dataStart : null,
      dataEnd: store.dataEnd,
      observedNodes: [...store.observedNodes],
      flows,
    },
    numbers,
  };
}

/**
 * Fills `store`, which must be empty (just made, with the same options), with an image: afterwards it
 * answers every query as the store the image was taken of did, and takes further batches as it would
 * have (same series, learned ports, dedupe window, idle order, owners). Throws on an image whose parts
 * do not fit together (a snapshot file that passed its checksums but not this).
 */
export function restoreImage(store: Store, image: StoreImage): void {
  const { meta, numbers } = image;
  if (store.edges.size > 0 || store.dns.size > 0 || store.totals.coarse.length > 0)
    throw new Error('restoreImage: the store is not empty');
  const p = store.snapshotParts();
  const table = meta.series * SERIES_FIELDS;
  if (numbers.length < table) throw new Error(`image: ${meta.series} series but ${numbers.length} numbers`);
  const interned = meta.endpoints.map((e, i) => (i < meta.interned ? p.interner.intern(e) : null));
  const endpoint = (i: number): Endpoint => {
    const e = meta.endpoints[i];
    if (e === undefined) throw new Error(`image: endpoint ${i} of ${meta.endpoints.length}`);
    return e;
  };
  const internedAt = (i: number) => interned[i] ?? p.interner.intern(endpoint(i));
  const ownerAt = (i: number): number => {
    if (i < 0) return -1;
    const name = meta.owners[i];
    if (name === undefined) throw new Error(`image: owner ${i} of ${meta.owners.length}`);
    const o = store.owners.index(name);
    store.owners.add(o);
    return o;
  };
  const loadTier = (t: EdgeTier, at: number) => {
    const length = numbers[at + 1]!;
    const from = numbers[at + 2]!;
    if (length > 0 && (from < table || from > numbers.length))
      throw new Error('image: tier rows out of place');
    t.loadRows(numbers[at]!, length, numbers, from);
  };

  const series: EdgeSeries[] = new Array(meta.series);
  const idle: { s: EdgeSeries | DnsSeries; at: number; rollup: boolean }[] = [];
  // Rollups first: pod-level series link to them.
  for (let pass = 0; pass < 2; pass++)
    for (let i = 0; i < meta.series; i++) {
      const o = i * SERIES_FIELDS;
      const kind = numbers[o]!;
      if (pass === 0 ? kind === KIND_POD : kind !== KIND_POD) continue;
      const proto = meta.protos[numbers[o + 3]!] ?? 'other';
      let s: EdgeSeries;
      if (kind === KIND_TOTALS) s = store.totals;
      else {
        const c = internedAt(numbers[o + 1]!);
        const v = internedAt(numbers[o + 2]!);
        s = new EdgeSeries(c.ep, v.ep, proto, numbers[o + 4]!, p.arena);
        s.owner = ownerAt(numbers[o + 7]!);
        if (kind === KIND_ROLLUP) {
          store.nsRollups.add(s);
          store.rollupList.add(s);
          p.rollupIndex.set(
            levelNode(s.client, 'namespace').id,
            levelNode(s.server, 'namespace').id,
            s.portId,
            s,
          );
        } else {
          s.clientId = c.id;
          s.serverId = v.id;
          // None: its rollup was evicted (edge() links a new one when it is next touched).
          const ri = numbers[o + 9]!;
          const r = ri < 0 ? null : series[ri];
          if (r === undefined) throw new Error(`image: series ${i} rolls up into a missing series`);
          s.rollup = r;
          store.edges.add(s);
          store.edgeList.add(s);
          p.edgeIndex.add(c.id, v.id, s.portId, s);
        }
        s.lastSeen = numbers[o + 5]!;
        idle.push({ s, at: numbers[o + 6]!, rollup: kind === KIND_ROLLUP });
      }
      s.detail = numbers[o + 8] === 1;
      loadTier(s.fine, o + 10);
      loadTier(s.coarse, o + 13);
      series[i] = s;
    }
  for (const d of meta.details) {
    const s = series[d.s];
    if (s === undefined) throw new Error(`image: a side record of missing series ${d.s}`);
    const b = (d.coarse ? s.coarse : s.fine).detailFor(d.t);
    DETAIL_SCALARS.forEach((k, i) => {
      b[k] = d.f[i] ?? 0;
    });
    b.drops = d.drops ? new Map(d.drops.map((c) => [`${c.reason}\u001f${c.dir}`, { ...c }])) : null;
    b.connectLatency = d.latency ? histogramFrom(d.latency) : null;
  }
  for (const j of meta.dns) {
    const s = new DnsSeries(j.key, endpoint(j.client));
    s.owner = ownerAt(j.owner);
    s.lastSeen = j.lastSeen;
    for (const b of j.fine) s.fine.items.push(dnsBucketFrom(b));
    for (const b of j.coarse) s.coarse.items.push(dnsBucketFrom(b));
    store.dns.set(s.key, s);
    idle.push({ s, at: j.idleAt, rollup: false });
  }
  // Each owner's idle order as it was, to within the touch grain: touched in the order of their idleAt.
  idle.sort((a, b) => a.at - b.at);
  for (const { s, at, rollup } of idle) {
    if (at < 0) continue;
    const seen = s.lastSeen;
    s.lastSeen = at;
    if (rollup) p.rollupsIdle.touch(s as EdgeSeries);
    else p.podsIdle.touch(s);
    s.lastSeen = seen;
  }
  for (let k = 0; k + 1 < meta.ports.length; k += 2)
    store.ports.learn(internedAt(meta.ports[k]!).id, meta.ports[k + 1]!);
  p.dedupe.restore(meta.dedupe);
  if (meta.dnsNames) p.dnsNames.restore(meta.dnsNames);
  Object.assign(p.counters, meta.counters);
  store.dataStart = meta.dataStart ?? Number.POSITIVE_INFINITY;
  store.dataEnd = meta.dataEnd;
  store.observedNodes = new Set(meta.observedNodes);
  for (const f of meta.flows) store.flows.push({ ...f, src: endpoint(f.src), dst: endpoint(f.dst) });
  store.flows.settle();
  p.recount(meta.fineHorizon);
}
