import type { Endpoint, PackedBatch } from '@weft/protocol';
import type { CrossNodeDedupe } from '../crossNodeDedupe.js';
import type { DnsNameIndex } from '../dnsNameIndex.js';
import type { EdgeTier } from '../edgeTier.js';
import type { Interned } from '../endpointInterner.js';
import type { FlowRing } from '../flowRing.js';
import type { DnsSeries, EdgeSeries } from '../series.js';
import type { LearnedPorts } from '../serverSide.js';

/** The store's counts of records it did not store, which each kind's ingest adds to. */
export interface IngestCounters {
  duplicates: number;
  outOfWindow: number;
  skippedIngress: number;
}

/**
 * What the store lends the per-kind ingest functions: its series, found or made, and their buckets
 * (the store keeps the series' indexes, their owners and idle orders, and the bucket counts its bounds
 * read).
 */
export interface SeriesWriter {
  /**
   * The pod-level series client -> server on `proto`/`port` (`protoNum` is protoNumber(proto)), made
   * when new, linked to its namespace rollup, its lastSeen set to `now`.
   */
  edge(
    client: Interned,
    server: Interned,
    proto: string,
    protoNum: number,
    port: number,
    now: number,
  ): EdgeSeries;
  /** A flow record's bytes and packets into `s`'s buckets (`fineT` -1: the 1 s tier no longer covers it). */
  addTraffic(s: EdgeSeries, fineT: number, coarseT: number, bytes: number, packets: number): void;
  /** What a run of flow records at `ts` summed per rollup (rollupRun) and in all, into their buckets. */
  endRun(ts: number, bytes: number, packets: number): void;
  /** `apply` adds a record to the bucket at `t` of each tier of `s`, its rollup and the totals. */
  edgeBuckets(s: EdgeSeries, ts: number, apply: (tier: EdgeTier, t: number) => number): void;
  /** The DNS client series of `client`, made when new, its lastSeen set to `now`. */
  dnsClient(client: Endpoint, now: number): DnsSeries;
  /** DNS client buckets made (1 s and 1 min tiers): the store counts them for its bounds. */
  dnsBucketsMade(fine: number, coarse: number): void;
  /** Whether an ingress record of `e` is seen at its sender's egress too (a watched pod, a service). */
  observable(e: Endpoint): boolean;
  /** Adds a flow record to the current run of its series' rollup (endRun puts the run into buckets). */
  addToRollupRun(s: EdgeSeries, bytes: number, packets: number): void;
}

/**
 * One batch's shared state, built by Store.ingestPacked and handed to each kind's ingest in turn:
 * the batch, the node it came from, the session's time it arrived at (`now`: a replay of the journal
 * passes the same, so it takes the same decisions), the window of record times kept, and the store's
 * parts the records go into.
 */
export interface BatchContext {
  readonly batch: PackedBatch;
  readonly node: string;
  readonly now: number;
  /** Record times kept: oldest..newest (older is past retention, newer too far in the future). */
  readonly oldest: number;
  readonly newest: number;
  /** 1 s buckets older than this are pruned unread: late records add only to the minute tier. */
  readonly fineFrom: number;
  /** The batch's endpoint table, and each entry interned (index for index). */
  readonly endpoints: readonly Endpoint[];
  readonly interned: readonly Interned[];
  readonly names: DnsNameIndex;
  readonly flows: FlowRing;
  readonly dedupe: CrossNodeDedupe;
  readonly ports: LearnedPorts;
  readonly counters: IngestCounters;
  readonly series: SeriesWriter;
}

/** Whether a record at `ts` is within the kept window; counted as out of window when not. */
export function inWindow(ctx: BatchContext, ts: number): boolean {
  if (ts >= ctx.oldest && ts <= ctx.newest) return true;
  ctx.counters.outOfWindow++;
  return false;
}
