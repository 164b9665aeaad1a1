import { type Endpoint, type FilterState, nodeIdOf, parseNodeId } from '@weft/protocol';
import { COARSE_MS, FINE_MS } from './buckets.js';
import type { Interned } from './endpointInterner.js';
import { focusEdge } from './match.js';
import { RollupIndex } from './rollupIndex.js';
import { RunSums } from './runSums.js';
import { EdgeSeries } from './series.js';
import { SeriesList } from './seriesList.js';
import { TierArena } from './tierArena.js';

/** Future skew the store accepts on record timestamps (Store's MAX_FUTURE_MS). */
export const FUTURE_SKEW_MS = 60_000;

/** Estimated bytes of a rollup (as an edge series: the object, its tiers, index and list entries). */
const ROLLUP_BYTES = 640;
/** And of one of its rows (a 1 s bucket's 3-5 numbers with the arena's slack; Store's ROW_BYTES). */
const ROW_BYTES = 80;
/** And of a row's side record (Store's DETAIL_BYTES). */
const DETAIL_BYTES = 640;
/** And of a member's link (its place in `members`). */
const LINK_BYTES = 8;

/**
 * The workload map's recent seconds kept at ingest: per (client workload-level node, server one,
 * protocol and port) one series that every pod-level series of that pair also adds to, 1 s tier only
 * and only the last `keepMs`. The live workload graph (and its compare with the previous window) then
 * reads ~6,000 of them instead of 50,000 pod-level series, whose cache misses were half its time.
 *
 * Its sums are its members' exactly, with two exceptions the query handles by reading the members
 * instead: a member that left the store (evicted or pruned) leaves its data behind until `exactFrom`
 * (per rollup), and a store restored from a snapshot holds no rollup history until `floor`.
 * Keys carry the endpoint's namespace beside its workload-level id, so that every filter `serves`
 * allows (namespace, protocol, port, namespace and workload foci) gives one answer for all members.
 */
export class WorkloadRollups {
  readonly list = new SeriesList();
  private readonly index = new RollupIndex();
  private readonly run = new RunSums();
  /** 1 s rows held by the rollups (kept out of the store's bucket bound: these go after keepMs). */
  rows = 0;
  /** Rollups held. */
  size = 0;
  /** Member links held (one per pod-level edge series). */
  links = 0;
  /** No window starting before this is answered from rollups (a restore's rollups lack the history). */
  floor = Number.NEGATIVE_INFINITY;
  private pruneAt = 0;

  /** Estimated bytes held, less the rows (the last seconds, which a restore does not carry). */
  get baseBytes(): number {
    return this.size * ROLLUP_BYTES + this.links * LINK_BYTES;
  }

  /** Estimated bytes of the side records (drops, connects) of their rows. */
  get detailBytes(): number {
    return this.arena.details * DETAIL_BYTES;
  }

  /** Applies what late records left pending in the rollups' tiers (EdgeTier.flushLate). */
  flushLate(): void {
    const late = this.arena.late;
    if (late.length === 0) return;
    this.arena.late = [];
    for (const tier of late) this.rows += tier.flushLate();
  }

  /** Estimated bytes of the rows. */
  get rowBytes(): number {
    return this.rows * ROW_BYTES;
  }

  /** Their own arena: the store's flushLate counts the late rows of its own tiers as its buckets. */
  private readonly arena = new TierArena();

  constructor(readonly keepMs: number) {}

  /** The key of an endpoint's side of a rollup. */
  static keyOf(e: Endpoint): string {
    return `${nodeIdOf(e, 'workload')}\u0000${e.namespace}`;
  }

  private static key(it: Interned): string {
    if (it.workloadKey === null) it.workloadKey = WorkloadRollups.keyOf(it.ep);
    return it.workloadKey;
  }

  /** Links pod-level series `s` (new, or restored) to its rollup, made when missing. */
  link(client: Interned | Endpoint, server: Interned | Endpoint, s: EdgeSeries): EdgeSeries {
    const c = 'ep' in client ? WorkloadRollups.key(client) : WorkloadRollups.keyOf(client);
    const v = 'ep' in server ? WorkloadRollups.key(server) : WorkloadRollups.keyOf(server);
    let r = this.index.get(c, v, s.portId);
    if (!r) {
      r = new EdgeSeries(s.client, s.server, s.proto, s.port, this.arena);
      r.members = [];
      this.index.set(c, v, s.portId, r);
      this.list.add(r);
      this.size++;
    }
    s.wl = r;
    s.memberAt = r.members!.length;
    r.members!.push(s);
    this.links++;
    if (s.lastSeen > r.lastSeen) r.lastSeen = s.lastSeen;
    return r;
  }

  /** `s` left the store: its data stays in its rollup, which is not exact for windows before it ends. */
  unlink(s: EdgeSeries): void {
    const r = s.wl;
    if (r === null) return;
    const members = r.members!;
    const last = members.pop()!;
    if (last !== s) {
      members[s.memberAt] = last;
      last.memberAt = s.memberAt;
    }
    s.wl = null;
    s.memberAt = -1;
    this.links--;
    // Its records were stored at most FUTURE_SKEW_MS ahead of the last time it was touched.
    const after = s.lastSeen + FUTURE_SKEW_MS + FINE_MS;
    if (after > r.exactFrom) r.exactFrom = after;
    if (members.length > 0) return;
    this.index.delete(WorkloadRollups.keyOf(r.client), WorkloadRollups.keyOf(r.server), r.portId);
    this.list.remove(r);
    this.rows -= r.fine.length;
    r.fine.release();
    r.coarse.release();
    r.dead = true;
    this.size--;
  }

  /** A flow record's traffic, summed per rollup until the run of its timestamp ends (drain). */
  add(s: EdgeSeries, bytes: number, packets: number): void {
    this.run.add(s.wl!.listAt, bytes, packets);
  }

  /** The run ended: its sums into the 1 s bucket `fineT` (-1: older than the 1 s tier, dropped). */
  drain(fineT: number): void {
    const items = this.list.items;
    if (fineT < 0) this.run.drain(() => {});
    else this.run.drain((k, b, p) => (this.rows += items[k]!.fine.addTraffic(fineT, b, p)));
  }

  /** Drops rows older than keepMs, a slice of the rollups a call (a whole round in at most 4 calls). */
  prune(now: number, all = false): void {
    const items = this.list.items;
    const horizon = now - this.keepMs;
    const slice = all ? items.length : Math.max(5_000, Math.ceil(items.length / 4));
    for (let n = 0; n < slice && items.length > 0; n++) {
      if (this.pruneAt >= items.length) this.pruneAt = 0;
      const r = items[this.pruneAt++];
      if (r) this.rows -= r.fine.pruneBefore(horizon);
    }
  }

  /**
   * Whether the rollups answer `f` over [start, end) exactly as the pod-level series do: a workload
   * map with nothing finer than namespaces, workloads, protocol and port in its filter, over a window
   * windowRow reads from the 1 s tier alone and that the rollups still hold.
   */
  serves(
    f: FilterState,
    start: number,
    end: number,
    now: number,
    fineFrom: number,
    liveEdge: number,
  ): boolean {
    if (f.level !== 'workload' || f.pod || f.workload || f.q || f.verdict || f.reason) return false;
    if (f.focus) {
      const ends = focusEdge(f.focus);
      if (ends) {
        for (const e of ends) {
          const kind = parseNodeId(e)?.kind;
          if (kind !== 'ns' && kind !== 'wl' && kind !== 'others') return false;
        }
      } else if (parseNodeId(f.focus)?.kind !== 'ns') return false;
    }
    if (start < this.floor || start < now - this.keepMs) return false;
    return fineOnly(start, end, fineFrom, liveEdge);
  }
}

/**
 * Whether windowRow (buckets.ts) reads [start, end) from the 1 s tier alone: the same split, the minute
 * tier's range checked empty (change the two together).
 */
export function fineOnly(start: number, end: number, fineFrom: number, liveEdge: number): boolean {
  const a = Math.ceil(start / COARSE_MS) * COARSE_MS;
  const z = Math.floor(end / COARSE_MS) * COARSE_MS;
  if (a > z) return start >= fineFrom;
  if (a === z && start < a && start >= fineFrom && end > z && end <= liveEdge) return true;
  let from = a;
  let to = z;
  if (start < a && start < fineFrom) from = a - COARSE_MS;
  if (end > z && (end > liveEdge || z < fineFrom)) to = z + 1;
  return from >= to;
}
