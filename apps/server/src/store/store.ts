import { type Endpoint, type FlowRow, type IngestBatch, type PackedBatch, packBatch } from '@weft/protocol';
import { MemoryBudget, type MemoryPartFigures } from '../memoryBudget.js';
import { COARSE_MS, FINE_MS } from './buckets.js';
import { CrossNodeDedupe } from './crossNodeDedupe.js';
import { DnsNameIndex } from './dnsNameIndex.js';
import type { EdgeTier } from './edgeTier.js';
import { EndpointInterner, type Interned } from './endpointInterner.js';
import { endpointKey } from './endpointKey.js';
import { FlowNames } from './flowNames.js';
import { FlowRing } from './flowRing.js';
import { dueTouch, IdleOrder } from './idleOrder.js';
import type { BatchContext, SeriesWriter } from './ingest/batchContext.js';
import { ingestDnsQueries } from './ingest/ingestDnsQueries.js';
import { ingestDrops } from './ingest/ingestDrops.js';
import { ingestFlows } from './ingest/ingestFlows.js';
import { ingestTcpConnects } from './ingest/ingestTcpConnects.js';
import { ingestTcpStats } from './ingest/ingestTcpStats.js';
import { learnDnsNames } from './ingest/learnDnsNames.js';
import { levelNode } from './levelNode.js';
import { LevelTables } from './levelTables.js';
import { RollupIndex } from './rollupIndex.js';
import { RunSums } from './runSums.js';
import { DnsSeries, EdgeSeries } from './series.js';
import { releaseEnds } from './seriesGroups.js';
import { SeriesIndex } from './seriesIndex.js';
import { SeriesList } from './seriesList.js';
import { SeriesOwners } from './seriesOwners.js';
import { LearnedPorts } from './serverSide.js';
import type { StoreParts } from './storeImage.js';
import { TierArena } from './tierArena.js';
import { waterFill } from './waterFill.js';

export interface StoreOptions {
  fineRetentionS: number;
  coarseRetentionS: number;
  maxSeries: number;
  maxFineBuckets: number;
  maxFlowRows: number;
  /** MemoryBudget's whole (MiB); 512 when not given. */
  memoryBudgetMiB?: number;
  now?: () => number;
}

export interface StoreStats {
  edgeSeries: number;
  dnsSeries: number;
  fineBuckets: number;
  coarseBuckets: number;
  evictions: number;
  /** Times the 1 s tier was shortened to stay within the bucket bound. */
  fineTrims: number;
  flowRows: number;
  records: number;
  duplicates: number;
  outOfWindow: number;
  skippedIngress: number;
}

/** The endpoint's node at namespace level: the rollups' ends. */
function namespaceNode(it: Interned): string {
  if (it.namespaceNode === null) it.namespaceNode = levelNode(it.ep, 'namespace').id;
  return it.namespaceNode;
}

/**
 * Estimated bytes, for the memory shares: an edge or rollup series (the object, its two tiers, its
 * index and list entries); a DNS client series; an edge tier row (3-5 numbers with the power-of-two
 * slack of tiers and arena chunks: 60-105 bytes measured by bench/server/memoryBudget.ts); a bucket's
 * side record (drops by reason, latency histogram); a DNS bucket (its histogram, rcodes and failing
 * names, each bounded).
 */
const EDGE_SERIES_BYTES = 640;
const DNS_SERIES_BYTES = 560;
const ROW_BYTES = 80;
const DETAIL_BYTES = 640;
const DNS_BUCKET_BYTES = 720;

/**
 * The bounds enforceBounds holds, in the order of FairUsage's entries: pod-level series (edges and DNS
 * clients) by count, rollups by count, 1 s buckets, bytes of series and their rows, bytes of per-bucket
 * maps. Each is brought under this fraction of its limit once over it (the 1 s buckets under
 * 1 - slack / 2, as mustGo has it).
 */
const BOUNDS = 5;
const TARGET = [0.9, 0.9, 0.95, 0.9, 0.9];

/**
 * The prune timer's steps: each visits at least PRUNE_MIN_SLICE series, and a round over every series
 * takes at most PRUNE_ROUND_STEPS steps (seconds).
 */
export const PRUNE_MIN_SLICE = 5_000;
export const PRUNE_ROUND_STEPS = 4;

/** Series the deferred eviction pass sums a step (each step a task of its own). */
export const EVICTION_SLICE = 10_000;
/**
 * Series the deferred eviction pass evicts a step at most: a pass under a cardinality flood evicts
 * thousands (an eviction gives back tiers, index entries and level-table numbers), tasks of their own.
 */
export const EVICTIONS_PER_STEP = 1_000;

/** Future skew tolerated on record timestamps (clocks of nodes differ a little). */
const MAX_FUTURE_MS = 60_000;

/**
 * The server's memory of the cluster: per-edge and per-DNS-client time buckets (1 s and 1 min tiers),
 * cluster totals, and a ring of recent flow rows. Bounded by series count and fine-bucket count and by
 * the memory budget's shares in bytes (MemoryBudget); when over, the series idle the longest go first
 * and are counted as evictions.
 */
export class Store implements SeriesWriter {
  /**
   * Pod-level series (found by ids through edgeIndex). A Set: a Map needed a key string per series,
   * and building and hashing it was a fifth of making a series.
   */
  readonly edges = new Set<EdgeSeries>();
  readonly dns = new Map<string, DnsSeries>();
  /** Edges rolled up to namespace pairs (per protocol and port), kept as they arrive. */
  readonly nsRollups = new Set<EdgeSeries>();
  /** `edges` and `nsRollups` as dense arrays, for the graph's passes over every series. */
  readonly edgeList = new SeriesList();
  readonly rollupList = new SeriesList();
  /** Everything, for alerts and the live summary without a scan. */
  readonly totals: EdgeSeries;
  /** Holds the rows of every series' tiers, so a pass over the series reads a few large arrays. */
  private readonly arena = new TierArena();
  readonly flows: FlowRing;
  /** The memory setting's shares: the store's parts keep their estimates there. */
  readonly memory: MemoryBudget;
  /** The DNS names flows are known by (learned from DNS records, given to rows as they are stored). */
  readonly dnsNames: DnsNameIndex;
  readonly ports = new LearnedPorts();
  /** The nodes whose batches made the series, and how many each owns (for fair eviction). */
  readonly owners = new SeriesOwners();
  /** Each node's series, idlest first: pod-level ones (edges, DNS clients) and rollups apart. */
  private readonly podsIdle = new IdleOrder<EdgeSeries | DnsSeries>();
  private readonly rollupsIdle = new IdleOrder<EdgeSeries>();
  readonly levels: LevelTables;
  private readonly interner: EndpointInterner;
  private readonly dedupe: CrossNodeDedupe;
  readonly now: () => number;
  /**
   * When set (the server sets it), a batch that leaves the store over a bound calls it instead of
   * evicting there and then, and the caller runs enforceBoundsNow() in a task of its own: a flood
   * batch and the eviction pass it sets off then never hold the event loop together. The bounds are
   * exceeded meanwhile by what the batches in between bring (the shares leave 30% of the budget for
   * such). Unset, ingest enforces them before it returns (tests and tools).
   */
  deferBounds: (() => void) | null = null;
  private boundsPending = false;
  /** Nodes with a connected collector: ingress seen there is counted at the sender's egress instead. */
  observedNodes: ReadonlySet<string> = new Set();
  /** Span of data held: rates divide by the time actually observed, not the whole window. */
  dataStart = Number.POSITIVE_INFINITY;
  dataEnd = 0;
  private fineCount = 0;
  /** Of fineCount and coarseCount, the DNS clients' buckets (objects with maps, not arena rows). */
  private dnsBuckets = 0;
  /** SeriesOwners index of the node whose batch is being stored: the owner of the series it makes. */
  private batchOwner = -1;
  /** fineFrom() as the batch being stored began (one value for its records). */
  private batchFineFrom = 0;
  /** Set when the fine-bucket bound forced 1 s data out early; minute data stays. */
  private fineHorizon = 0;
  private coarseCount = 0;
  private readonly counters = {
    evictions: 0,
    fineTrims: 0,
    records: 0,
    duplicates: 0,
    outOfWindow: 0,
    skippedIngress: 0,
  };

  constructor(readonly opts: StoreOptions) {
    this.now = opts.now ?? Date.now;
    this.totals = new EdgeSeries(null as unknown as Endpoint, null as unknown as Endpoint, '', 0, this.arena);
    this.memory = new MemoryBudget(opts.memoryBudgetMiB ?? 512);
    this.flows = new FlowRing(opts.maxFlowRows, this.memory.share('flows'), new FlowNames());
    this.dnsNames = new DnsNameIndex(this.flows.names, this.memory.share('names'));
    this.dedupe = new CrossNodeDedupe(undefined, undefined, this.memory.share('dedupe'));
    const endpoints = this.memory.share('endpoints');
    this.interner = new EndpointInterner(
      Math.max(10_000, opts.maxSeries * 2),
      endpoints.limit * 0.6,
      endpoints,
    );
    // Numbers held by series only (two per series and level at most, rollups at namespace level): the
    // bound is a backstop the series bound keeps them under; their bytes count with the series'.
    this.levels = new LevelTables(Math.max(40_000, opts.maxSeries * 10), this.memory.share('series'));
  }

  /** Oldest time the fine tier still covers (later than retention when memory pressure trimmed it). */
  fineFrom(now = this.now()): number {
    const byRetention = Math.floor((now - this.opts.fineRetentionS * 1000) / FINE_MS) * FINE_MS + FINE_MS;
    return Math.max(byRetention, this.fineHorizon);
  }

  stats(): StoreStats {
    return {
      edgeSeries: this.edges.size,
      dnsSeries: this.dns.size,
      fineBuckets: this.fineCount,
      coarseBuckets: this.coarseCount,
      flowRows: this.flows.size,
      ...this.counters,
    };
  }

  /** Stores a batch given unpacked (tests, tools): packs it first, as the wire would. */
  ingest(batch: IngestBatch, node: string): number {
    return this.ingestPacked(packBatch(batch), node);
  }

  /**
   * Stores one validated batch from the collector on `node`, self-contained or resolved (its
   * `endpoints` the connection's whole table: EndpointTable); returns the records it stored. `now` is
   * the time it arrived (the ingest session's, which the journal keeps for the replay).
   */
  ingestPacked(batch: PackedBatch, node: string, now = this.now()): number {
    const oldest = now - this.opts.coarseRetentionS * 1000;
    const newest = now + MAX_FUTURE_MS;
    const fineFrom = this.fineFrom(now);
    this.batchFineFrom = fineFrom;
    this.batchOwner = this.owners.index(node);
    if (batch.start < this.dataStart && batch.start >= oldest) this.dataStart = batch.start;
    if (batch.end > this.dataEnd && batch.end <= newest) this.dataEnd = batch.end;
    const ctx: BatchContext = {
      batch,
      node,
      now,
      oldest,
      newest,
      fineFrom,
      endpoints: batch.endpoints,
      // Each endpoint interned once, however many records name it (and a connection's table once,
      // however many of its batches name it).
      interned: this.interner.internTable(batch.endpoints),
      names: this.dnsNames,
      flows: this.flows,
      dedupe: this.dedupe,
      ports: this.ports,
      counters: this.counters,
      series: this,
    };
    // The names DNS records teach come first: the batch's flows are of the same interval.
    learnDnsNames(ctx);
    const stored =
      ingestFlows(ctx) +
      ingestDrops(ctx) +
      ingestTcpConnects(ctx) +
      ingestTcpStats(ctx) +
      ingestDnsQueries(ctx);
    this.counters.records += stored;
    this.flushLate();
    this.flows.settle();
    if (this.deferBounds === null) this.enforceBounds();
    else if (!this.boundsPending && this.overBounds()) {
      this.boundsPending = true;
      this.deferBounds();
    }
    // A node whose batch made no series (or lost them all) holds no entry.
    this.owners.release(this.batchOwner);
    return stored;
  }

  /**
   * SeriesWriter's (store/ingest/ calls them through BatchContext.series), as are edge, dnsClient,
   * dnsBucketsMade, addToRollupRun, addTraffic, endRun and edgeBuckets below.
   */
  observable(e: Endpoint): boolean {
    if (e.kind === 'pod') return this.observedNodes.has(e.node);
    // A ClusterIP answers through its backends, whose egress is seen.
    return e.kind === 'service';
  }

  /** Series by client id, server id and portId (numbers, no key strings on the hot path). */
  private readonly edgeIndex = new SeriesIndex<EdgeSeries>();
  /** nsRollups by their ends' namespace-level ids and portId. */
  private readonly rollupIndex = new RollupIndex();
  /** The current run's traffic per rollup, by the rollup's place in rollupList. */
  private readonly rollupRun = new RunSums();

  /** `protoNum` is protoNumber(proto), which flow records carry already. */
  edge(
    client: Interned,
    server: Interned,
    proto: string,
    protoNum: number,
    port: number,
    now: number,
  ): EdgeSeries {
    const portId = port * 8 + protoNum;
    let s = this.edgeIndex.get(client.id, server.id, portId);
    if (!s) {
      s = new EdgeSeries(client.ep, server.ep, proto, port, this.arena);
      s.clientId = client.id;
      s.serverId = server.id;
      s.owner = this.batchOwner;
      this.owners.add(s.owner);
      this.edges.add(s);
      this.edgeList.add(s);
      this.edgeIndex.add(client.id, server.id, portId, s);
    }
    s.lastSeen = now;
    if (dueTouch(s)) this.podsIdle.touch(s);
    let r = s.rollup;
    if (r === null || r.dead) {
      r = this.rollupFor(client, server, s);
      s.rollup = r;
    }
    r.lastSeen = now;
    if (dueTouch(r)) this.rollupsIdle.touch(r);
    return s;
  }

  /**
   * The namespace-level series a pod-level series also adds to (edge() links them): the default map
   * (namespaces) then reads a few hundred series instead of every pod pair.
   */
  private rollupFor(client: Interned, server: Interned, s: EdgeSeries): EdgeSeries {
    const c = namespaceNode(client);
    const v = namespaceNode(server);
    let rollup = this.rollupIndex.get(c, v, s.portId);
    if (!rollup) {
      rollup = new EdgeSeries(s.client, s.server, s.proto, s.port, this.arena);
      rollup.owner = this.batchOwner;
      this.owners.add(rollup.owner);
      this.nsRollups.add(rollup);
      this.rollupIndex.set(c, v, s.portId, rollup);
      this.rollupList.add(rollup);
    }
    return rollup;
  }

  private dropEdge(s: EdgeSeries): void {
    this.edges.delete(s);
    this.edgeList.remove(s);
    s.fine.release();
    s.coarse.release();
    this.edgeIndex.delete(s.clientId, s.serverId, s.portId);
    releaseEnds(s, this.levels);
    this.disown(s);
  }

  /**
   * A series that leaves the store (pruned or evicted) no longer counts for its owner: the owner's
   * count goes down, and its entry goes with its last series. An evicted series' node is not charged
   * for it afterwards: fairness is about what each node holds now.
   */
  private disown(s: EdgeSeries | DnsSeries): void {
    this.owners.remove(s.owner);
    s.owner = -1;
  }

  private dropDns(s: DnsSeries): void {
    this.dns.delete(s.key);
    this.disown(s);
  }

  dnsClient(client: Endpoint, now: number): DnsSeries {
    const key = endpointKey(client);
    let s = this.dns.get(key);
    if (!s) {
      s = new DnsSeries(key, client);
      s.owner = this.batchOwner;
      this.owners.add(s.owner);
      this.dns.set(key, s);
    }
    s.lastSeen = now;
    if (dueTouch(s)) this.podsIdle.touch(s);
    return s;
  }

  dnsBucketsMade(fine: number, coarse: number): void {
    this.fineCount += fine;
    this.coarseCount += coarse;
    this.dnsBuckets += fine + coarse;
  }

  addToRollupRun(s: EdgeSeries, bytes: number, packets: number): void {
    // Linked by edge().
    this.rollupRun.add(s.rollup!.listAt, bytes, packets);
  }

  /** Applies what late records left pending in the tiers (EdgeTier.flushLate), counting the buckets made. */
  private flushLate(): void {
    const late = this.arena.late;
    if (late.length === 0) return;
    this.arena.late = [];
    for (const tier of late) {
      const made = tier.flushLate();
      if (tier.coarse) this.coarseCount += made;
      else this.fineCount += made;
    }
  }

  /**
   * The hot path (flows), without the closure edgeBuckets needs: `fineT`, `coarseT` are bucket starts,
   * `fineT` -1 when the 1 s tier no longer covers it.
   */
  addTraffic(s: EdgeSeries, fineT: number, coarseT: number, bytes: number, packets: number): void {
    if (fineT >= 0) this.fineCount += s.fine.addTraffic(fineT, bytes, packets);
    this.coarseCount += s.coarse.addTraffic(coarseT, bytes, packets);
  }

  /** A run of flow records at `ts` ended: the totals take its sums, each rollup it touched its own. */
  endRun(ts: number, bytes: number, packets: number): void {
    let fineT = ts - (ts % FINE_MS);
    if (fineT < this.batchFineFrom) fineT = -1;
    const coarseT = ts - (ts % COARSE_MS);
    this.addTraffic(this.totals, fineT, coarseT, bytes, packets);
    // Indexes are places in rollupList, which only prune() reorders.
    this.rollupRun.drain((k, b, p) => this.addTraffic(this.rollupList.items[k]!, fineT, coarseT, b, p));
  }

  /** `apply` adds a record to the bucket at `t` of a tier and returns the buckets it made there. */
  edgeBuckets(s: EdgeSeries, ts: number, apply: (tier: EdgeTier, t: number) => number): void {
    const ft = Math.floor(ts / FINE_MS) * FINE_MS;
    const ct = Math.floor(ts / COARSE_MS) * COARSE_MS;
    const fine = ft >= this.batchFineFrom;
    // Linked by edge(), which made or found `s`.
    const rollup = s.rollup!;
    if (s.detail) rollup.detail = true;
    if (fine) this.fineCount += apply(s.fine, ft) + apply(rollup.fine, ft) + apply(this.totals.fine, ft);
    this.coarseCount += apply(s.coarse, ct) + apply(rollup.coarse, ct) + apply(this.totals.coarse, ct);
  }

  /** Drops buckets past retention and series left empty, over every series at once (tests, tools). */
  prune(now = this.now()): void {
    this.pruneCursor = null;
    this.pruneSome(now, Number.POSITIVE_INFINITY);
  }

  /**
   * The prune timer's step, once a second: a slice of the series, a round over those held as it began
   * in PRUNE_ROUND_STEPS steps (series made meanwhile may add a step), so a tick never scans the whole store (100,000 series took 20-40
   * ms a second of the soak's loop). A bucket past retention outlives it by a few seconds; queries
   * read windows, not whole tiers, and the counts go down when it goes.
   */
  pruneStep(now = this.now()): void {
    if (this.pruneCursor === null) {
      const all = this.edges.size + this.dns.size + this.nsRollups.size;
      this.pruneSlice = Math.max(PRUNE_MIN_SLICE, Math.ceil(all / PRUNE_ROUND_STEPS));
    }
    this.pruneSome(now, this.pruneSlice);
  }

  /** Where the prune steps' round has got to: the series it has not visited yet (null: a new round). */
  private pruneCursor: Iterator<EdgeSeries | DnsSeries> | null = null;
  /** Series a step visits, set as a round begins from the series held then. */
  private pruneSlice = PRUNE_MIN_SLICE;

  /**
   * Every series, read live: a Set's or Map's iterator skips what was deleted since it was made and
   * visits what was added, so a round may stop and go on later.
   */
  private *everySeries(): Generator<EdgeSeries | DnsSeries> {
    yield* this.edges;
    yield* this.dns.values();
    yield* this.nsRollups;
  }

  private pruneSome(now: number, limit: number): void {
    const fineBefore = this.fineFrom(now);
    const coarseBefore = now - this.opts.coarseRetentionS * 1000;
    this.pruneCursor ??= this.everySeries();
    for (let n = 0; n < limit; n++) {
      const next = this.pruneCursor.next();
      if (next.done) {
        this.pruneCursor = null;
        break;
      }
      const s = next.value;
      const fine = s.fine.pruneBefore(fineBefore);
      const coarse = s.coarse.pruneBefore(coarseBefore);
      this.fineCount -= fine;
      this.coarseCount -= coarse;
      if (s instanceof DnsSeries) {
        this.dnsBuckets -= fine + coarse;
        if (s.fine.length === 0 && s.coarse.length === 0) this.dropDns(s);
      } else if (s.fine.length === 0 && s.coarse.length === 0) {
        if (this.nsRollups.has(s)) this.dropRollup(s);
        else this.dropEdge(s);
      }
    }
    this.fineCount -= this.totals.fine.pruneBefore(fineBefore);
    this.coarseCount -= this.totals.coarse.pruneBefore(coarseBefore);
    if (this.dataStart < coarseBefore)
      this.dataStart =
        this.totals.coarse.length > 0 ? this.totals.coarse.timeAt(0) : Number.POSITIVE_INFINITY;
  }

  /**
   * Over the fine-bucket bound, the 1 s tier gives up its oldest minutes first (the 1 min tier still has
   * them), so busy clusters keep every series at a coarser recent resolution instead of losing series.
   */
  private trimFine(): void {
    const now = this.now();
    const target = Math.floor(this.opts.maxFineBuckets * 0.9);
    const first = this.totals.fine.length > 0 ? this.totals.fine.timeAt(0) : now;
    let horizon = Math.max(this.fineFrom(now), first + FINE_MS);
    while (this.fineCount > target && horizon < now - COARSE_MS) {
      horizon = Math.ceil((horizon + 1) / COARSE_MS) * COARSE_MS;
      this.fineHorizon = horizon;
      for (const s of this.edges.values()) this.fineCount -= s.fine.pruneBefore(horizon);
      for (const s of this.nsRollups.values()) this.fineCount -= s.fine.pruneBefore(horizon);
      for (const s of this.dns.values()) {
        const went = s.fine.pruneBefore(horizon);
        this.fineCount -= went;
        this.dnsBuckets -= went;
      }
      this.fineCount -= this.totals.fine.pruneBefore(horizon);
    }
    this.counters.fineTrims++;
  }

  /** The memory budget's figures, estimates brought up to date. */
  memoryStatus(): { budgetBytes: number; parts: MemoryPartFigures[] } {
    this.measure();
    return { budgetBytes: this.memory.totalBytes, parts: this.memory.figures() };
  }

  /** The estimates of the memory shares the store's parts keep: O(1), from running counts. */
  measure(): void {
    const edgeRows = this.fineCount + this.coarseCount - this.dnsBuckets;
    this.memory.share('series').used =
      (this.edges.size + this.nsRollups.size + 1) * EDGE_SERIES_BYTES +
      this.dns.size * DNS_SERIES_BYTES +
      edgeRows * ROW_BYTES +
      this.levels.bytes;
    this.memory.share('details').used =
      this.arena.details * DETAIL_BYTES + this.dnsBuckets * DNS_BUCKET_BYTES;
    this.memory.share('endpoints').used = this.interner.bytes;
  }

  /**
   * Whether `s` must go for the bounds to hold with `slack` (a fraction) to spare: pod-level series for
   * their count (edges and DNS clients) and the 1 s buckets, rollups for theirs (bounded by the same
   * setting), any series for the bytes of series and buckets, series with maps (drops, connects, DNS)
   * for the bytes of per-bucket maps. `s` null: whether any must.
   */
  private mustGo(s: EdgeSeries | DnsSeries | null, slack: number): boolean {
    const { maxSeries, maxFineBuckets } = this.opts;
    const series = this.memory.share('series');
    const details = this.memory.share('details');
    if (series.used > series.limit * (1 - slack)) return true;
    const rollups = this.nsRollups.size > maxSeries * (1 - slack);
    const pods =
      this.edges.size + this.dns.size > maxSeries * (1 - slack) ||
      this.fineCount > maxFineBuckets * (1 - slack / 2);
    if (s === null) return rollups || pods || details.used > details.limit * (1 - slack);
    // Over the maps' share, only series with maps free any.
    if (details.used > details.limit * (1 - slack) && (s instanceof DnsSeries || s.detail)) return true;
    return s instanceof EdgeSeries && this.nsRollups.has(s) ? rollups : pods;
  }

  /**
   * Over a bound, series go (those the bound is about) down to a tenth under the bounds, so a flood
   * pays this rarely: first the idlest of the nodes that hold more than their fair share (evictFair),
   * then, only if that was not enough, the idlest cluster-wide. That order comes from a threshold on
   * lastSeen read off a sorted copy of the times (a native sort of numbers), not from sorting the series.
   */
  private enforceBounds(): void {
    while (this.boundsStep(Number.POSITIVE_INFINITY));
  }

  /**
   * An eviction pass under way: what each node holds of each bound (`use`, BOUNDS rows of `nodes`),
   * summed `slice` series a step through live iterators (`kind` 0 edges, 1 DNS clients, 2 rollups).
   */
  private pass: {
    use: Float64Array;
    nodes: number;
    kind: number;
    cursor: Iterator<EdgeSeries | DnsSeries>;
    /** Once summed: what each node is over its caps (evictFair), the node reached and the evictions so far. */
    excess: Float64Array | null;
    node: number;
    evicted: number;
  } | null = null;
  private readonly usageScratch = new Float64Array(BOUNDS);

  /**
   * One step of the eviction pass; true when it needs another. The sums a step adds may be a few
   * batches old by the last step: the caps are fair to within those batches, and what is still over
   * after the fair part is another pass's.
   */
  private boundsStep(slice: number): boolean {
    if (this.pass === null) {
      if (this.fineCount > this.opts.maxFineBuckets) this.trimFine();
      this.measure();
      if (!this.mustGo(null, 0)) return false;
      const nodes = this.owners.size;
      this.pass = {
        use: new Float64Array(BOUNDS * nodes),
        nodes,
        kind: 0,
        cursor: this.edges.values(),
        excess: null,
        node: 0,
        evicted: 0,
      };
    }
    const p = this.pass;
    if (p.excess !== null) return this.evictStep(p, slice);
    const u = this.usageScratch;
    let summed = false;
    for (let n = 0; n < slice; ) {
      const next = p.cursor.next();
      if (next.done) {
        if (p.kind === 2) {
          summed = true;
          break;
        }
        p.kind++;
        p.cursor = p.kind === 1 ? this.dns.values() : this.nsRollups.values();
        continue;
      }
      n++;
      const s = next.value;
      const o = s.owner;
      if (o < 0 || o >= p.nodes) continue;
      this.usage(s, p.kind, u);
      for (let b = 0; b < BOUNDS; b++) p.use[b * p.nodes + o] = p.use[b * p.nodes + o]! + u[b]!;
    }
    if (!summed) return true;
    this.measure();
    if (!this.mustGo(null, 0)) {
      this.pass = null;
      return false;
    }
    p.excess = this.fairExcess(p.use, p.nodes);
    return this.evictStep(p, slice);
  }

  /**
   * The eviction part of a pass: at most EVICTIONS_PER_STEP series a step (all of them when `slice` is
   * unbounded), node after node. The pass ends with the nodes; when fairness freed too little, another
   * pass follows, and only when it freed nothing does the cluster-wide order (a sort of every series) run.
   */
  private evictStep(p: NonNullable<Store['pass']>, slice: number): boolean {
    const budget = slice === Number.POSITIVE_INFINITY ? slice : EVICTIONS_PER_STEP;
    const { done, evicted } = this.evictFair(p, budget);
    p.evicted += evicted;
    if (!done) return true;
    this.pass = null;
    if (!this.mustGo(null, 0.1)) return false;
    if (p.evicted > 0) return true;
    this.evictIdlest();
    return false;
  }

  /**
   * What fair eviction left over a bound goes by the cluster-wide idle order: a threshold on lastSeen
   * read off a sorted copy of the times (a native sort of numbers), not from sorting the series.
   */
  private evictIdlest(): void {
    // Pod-level series before rollups among equally idle ones: the namespace view keeps its history.
    const all: (EdgeSeries | DnsSeries)[] = [...this.edges, ...this.dns.values(), ...this.nsRollups];
    const seen = Float64Array.from(all, (s) => s.lastSeen).sort();
    const over = (used: number, limit: number) => Math.max(0, (used - limit * 0.9) / Math.max(1, used));
    const series = this.memory.share('series');
    const details = this.memory.share('details');
    const part = Math.max(
      over(this.edges.size + this.dns.size, this.opts.maxSeries),
      over(this.nsRollups.size, this.opts.maxSeries),
      over(this.fineCount, this.opts.maxFineBuckets),
      over(series.used, series.limit),
      over(details.used, details.limit),
    );
    let k = Math.min(seen.length - 1, Math.ceil(part * all.length));
    let left = all;
    while (left.length > 0) {
      const threshold = seen[k]!;
      const kept: (EdgeSeries | DnsSeries)[] = [];
      for (const s of left) {
        if (s.lastSeen <= threshold && this.mustGo(s, 0.1)) this.evict(s);
        else kept.push(s);
      }
      if (!this.mustGo(null, 0.1) || k === seen.length - 1) break;
      k = Math.min(seen.length - 1, 2 * k + 1);
      left = kept;
    }
  }

  /** Whether a bound is exceeded (the eviction pass has work): O(1). */
  private overBounds(): boolean {
    if (this.fineCount > this.opts.maxFineBuckets) return true;
    this.measure();
    return this.mustGo(null, 0);
  }

  /**
   * A step of the eviction pass deferBounds asked for (EVICTION_SLICE series summed, or the evictions
   * once all are); true when the pass needs another step, which the caller runs in a task of its own
   * again. Nothing when the bounds hold meanwhile.
   */
  enforceBoundsNow(): boolean {
    this.boundsPending = false;
    const more = this.boundsStep(EVICTION_SLICE);
    this.boundsPending = more;
    return more;
  }

  /**
   * What series `s` (of `kind`: 0 pod-level edge, 1 DNS client, 2 rollup) counts for in each bound,
   * as measure() and the running counts count it, into `u` (BOUNDS entries).
   */
  private usage(s: EdgeSeries | DnsSeries, kind: number, u: Float64Array): void {
    const fine = s.fine.length;
    const rows = fine + s.coarse.length;
    if (kind === 1) {
      u[0] = 1;
      u[1] = 0;
      u[2] = fine;
      u[3] = DNS_SERIES_BYTES;
      u[4] = rows * DNS_BUCKET_BYTES;
      return;
    }
    const e = s as EdgeSeries;
    u[0] = kind === 0 ? 1 : 0;
    u[1] = kind === 2 ? 1 : 0;
    u[2] = kind === 0 ? fine : 0;
    u[3] = EDGE_SERIES_BYTES + rows * ROW_BYTES;
    u[4] = (e.fine.detailCount + e.coarse.detailCount) * DETAIL_BYTES;
  }

  /**
   * Eviction fair between the nodes whose batches made the series. For each bound over its target,
   * each node's part of it (`use`, summed from its series by boundsStep: nothing is kept per record)
   * is capped by water filling; each node over a cap loses its idlest series, read off the
   * front of its IdleOrder logs, until it is under. A node holding few series (a normal collector)
   * then loses none to another node's flood, and a node alone still may fill the whole store, losing
   * its idlest past that as before. This part works out what each node is over its caps.
   */
  private fairExcess(use: Float64Array, nodes: number): Float64Array {
    const series = this.memory.share('series');
    const details = this.memory.share('details');
    const measured = [
      this.edges.size + this.dns.size,
      this.nsRollups.size,
      this.fineCount,
      series.used,
      details.used,
    ];
    const limits = [
      this.opts.maxSeries,
      this.opts.maxSeries,
      this.opts.maxFineBuckets,
      series.limit,
      details.limit,
    ];
    // What is over each node's cap (0 where a bound is within its target); usage not owned by a node
    // (the cluster totals) is taken off the target first.
    const excess = new Float64Array(BOUNDS * nodes);
    for (let b = 0; b < BOUNDS; b++) {
      const target = limits[b]! * TARGET[b]!;
      if (measured[b]! <= target) continue;
      const owned = use.subarray(b * nodes, (b + 1) * nodes);
      let sum = 0;
      for (let i = 0; i < nodes; i++) sum += owned[i]!;
      const cap = waterFill(owned, target - (measured[b]! - sum));
      for (let i = 0; i < nodes; i++) if (owned[i]! > cap) excess[b * nodes + i] = owned[i]! - cap;
    }
    return excess;
  }

  /**
   * Evicts each node's idlest series while it is over a cap (the pass's `excess`, from fairExcess),
   * from the pass's node on, at most `budget` series; done when every node has been seen to.
   */
  private evictFair(p: NonNullable<Store['pass']>, budget: number): { done: boolean; evicted: number } {
    const excess = p.excess!;
    const nodes = p.nodes;
    const u = this.usageScratch;
    const overCap = (o: number) => {
      for (let b = 0; b < BOUNDS; b++) if (excess[b * nodes + o]! > 0) return true;
      return false;
    };
    let evicted = 0;
    for (; p.node < nodes; p.node++) {
      const o = p.node;
      // The idlest of the node's two orders each time; pod-level before rollups when equally idle (the
      // namespace view keeps its history). A step resumes at the front: what it evicted is no longer
      // current there, and ingest may have closed the logs up meanwhile.
      let pk = this.podsIdle.seek(o, 0);
      let rk = this.rollupsIdle.seek(o, 0);
      while ((pk >= 0 || rk >= 0) && overCap(o)) {
        if (evicted >= budget) return { done: false, evicted };
        const pod = pk >= 0 ? this.podsIdle.at(o, pk) : null;
        const rollup = rk >= 0 ? this.rollupsIdle.at(o, rk) : null;
        const takeRollup = rollup !== null && (pod === null || rollup.idleAt < pod.idleAt);
        const s = takeRollup ? rollup! : pod!;
        if (takeRollup) rk = this.rollupsIdle.seek(o, rk + 1);
        else pk = this.podsIdle.seek(o, pk + 1);
        this.usage(s, takeRollup ? 2 : s instanceof DnsSeries ? 1 : 0, u);
        let frees = false;
        for (let b = 0; b < BOUNDS; b++) if (u[b]! > 0 && excess[b * nodes + o]! > 0) frees = true;
        if (!frees) continue;
        for (let b = 0; b < BOUNDS; b++) excess[b * nodes + o] = excess[b * nodes + o]! - u[b]!;
        this.evict(s);
        evicted++;
      }
    }
    return { done: true, evicted };
  }

  private evict(s: EdgeSeries | DnsSeries): void {
    // Counted before the tiers give their rows back.
    this.fineCount -= s.fine.length;
    this.coarseCount -= s.coarse.length;
    if (s instanceof DnsSeries) {
      this.dnsBuckets -= s.fine.length + s.coarse.length;
      this.dropDns(s);
      this.memory.share('details').evicted++;
    } else if (this.nsRollups.has(s)) this.dropRollup(s);
    else this.dropEdge(s);
    this.memory.share('series').evicted++;
    this.counters.evictions++;
    this.measure();
  }

  private dropRollup(r: EdgeSeries): void {
    this.nsRollups.delete(r);
    this.rollupIndex.delete(
      levelNode(r.client, 'namespace').id,
      levelNode(r.server, 'namespace').id,
      r.portId,
    );
    r.dead = true;
    this.rollupList.remove(r);
    releaseEnds(r, this.levels);
    r.fine.release();
    r.coarse.release();
    this.disown(r);
  }

  /**
   * The private parts a snapshot reads and an empty store's restore fills (storeImage.ts, its only
   * caller): a snapshot is the store's own state, so it reaches past what queries see.
   */
  snapshotParts(): StoreParts {
    return {
      arena: this.arena,
      interner: this.interner,
      dedupe: this.dedupe,
      dnsNames: this.dnsNames,
      edgeIndex: this.edgeIndex,
      rollupIndex: this.rollupIndex,
      podsIdle: this.podsIdle,
      rollupsIdle: this.rollupsIdle,
      counters: this.counters,
      fineHorizon: this.fineHorizon,
      recount: (fineHorizon) => {
        this.fineHorizon = fineHorizon;
        let fine = this.totals.fine.length;
        let coarse = this.totals.coarse.length;
        for (const s of this.edges) {
          fine += s.fine.length;
          coarse += s.coarse.length;
        }
        for (const s of this.nsRollups) {
          fine += s.fine.length;
          coarse += s.coarse.length;
        }
        let dns = 0;
        for (const s of this.dns.values()) {
          fine += s.fine.length;
          coarse += s.coarse.length;
          dns += s.fine.length + s.coarse.length;
        }
        this.fineCount = fine;
        this.coarseCount = coarse;
        this.dnsBuckets = dns;
        this.measure();
      },
    };
  }

  /** Recent rows for /flows (newest first). */
  /** Who was last seen at an address: diagnose reads a pod IP as that pod, whichever family it used. */
  endpointAt(ip: string): Endpoint | null {
    return this.interner.at(ip);
  }

  recentFlows(visit: (row: FlowRow) => boolean): void {
    this.flows.forEachNewest(visit);
  }
}
