import { type Endpoint, type FilterState, nodeIdOf, parseNodeId } from '@weft/protocol';
import { COARSE_MS, FINE_MS } from './buckets.js';
import { focusEdge } from './match.js';
import { RunSums } from './runSums.js';
import { EdgeSeries } from './series.js';
import { SeriesIndex } from './seriesIndex.js';
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
/** And of a group's index entry and its head's place, and of a side's key (string, Map entry). */
const GROUP_BYTES = 40;
const KEY_BYTES = 160;

/**
 * A dense list of series kept by their own place (`headAt`), beside the store's SeriesList which a
 * pod-level series is in already: holes until a quarter are holes, then closed up in order (as
 * SeriesList does; SeriesGroups keep its places, `compactions` tells them when they moved).
 */
export class HeadList {
  items: (EdgeSeries | null)[] = [];
  compactions = 0;
  private holes = 0;

  add(s: EdgeSeries): void {
    s.headAt = this.items.length;
    this.items.push(s);
  }

  remove(s: EdgeSeries): void {
    if (s.headAt < 0 || this.items[s.headAt] !== s) return;
    this.items[s.headAt] = null;
    s.headAt = -1;
    this.holes++;
    if (this.holes * 4 <= this.items.length) return;
    let kept = 0;
    for (const x of this.items)
      if (x) {
        x.headAt = kept;
        this.items[kept++] = x;
      }
    this.items.length = kept;
    this.holes = 0;
    this.compactions++;
  }
}

/**
 * The workload map's recent seconds kept at ingest. Pod-level series are grouped by (client
 * workload-level node, server one, protocol and port); a group of one is read as its one series, and a
 * group of two or more gets a rollup: a series, 1 s tier only and only the last `keepMs`, that each
 * member's records also add to. The live workload graph (and its compare with the previous window)
 * reads the groups' heads (`heads`: the lone series and the rollups) instead of every pod-level series:
 * where a workload's pods share their peers, a few thousand instead of 50,000, whose cache misses were
 * half the query. Where they don't (random pod pairs), there are about as many heads as series and
 * ingest pays for few rollups.
 *
 * A rollup's sums are its members' exactly, with three exceptions the query handles by reading its
 * members instead: it was made when its second member came (the first's history is not in it), a
 * member left the store (evicted or pruned) leaving its data behind, both until `exactFrom`; and a
 * store restored from a snapshot holds no rollup history until `floor`.
 * Keys carry the endpoint's namespace beside its workload-level id, so that every filter `serves`
 * allows (namespace, protocol, port, namespace and workload foci) gives one answer for all members.
 */
export class WorkloadRollups {
  /** Each group's head: its lone pod-level series, or its rollup. */
  readonly heads = new HeadList();
  /** Heads by their sides' key numbers (keyIds) and portId. */
  private readonly index = new SeriesIndex<EdgeSeries>();
  /** Each side's key (keyOf) numbered from 1 while a group names it (counted in keyRefs). */
  private readonly keyIds = new Map<string, number>();
  private readonly keyStrings: (string | undefined)[] = [undefined];
  private readonly keyRefs: number[] = [0];
  private readonly freeKeys: number[] = [];
  /** Rollups by `runId` (the RunSums index, which stays put while `heads` closes up). */
  private readonly byRun: (EdgeSeries | null)[] = [];
  private readonly freeRuns: number[] = [];
  private readonly run = new RunSums();
  /** 1 s rows held by the rollups (kept out of the store's bucket bound: these go after keepMs). */
  rows = 0;
  /** Rollups held. */
  size = 0;
  /** Groups held (heads), and member links of the rollups. */
  groups = 0;
  links = 0;
  /** No window starting before this is answered from rollups (a restore's rollups lack the history). */
  floor = Number.NEGATIVE_INFINITY;
  private pruneAt = 0;
  /** Their own arena: the store's flushLate counts the late rows of its own tiers as its buckets. */
  private readonly arena = new TierArena();

  constructor(readonly keepMs: number) {}

  /** Estimated bytes held, less the rows (the last seconds, which a restore does not carry). */
  get baseBytes(): number {
    return (
      this.size * ROLLUP_BYTES +
      this.groups * GROUP_BYTES +
      this.links * LINK_BYTES +
      this.keyIds.size * KEY_BYTES
    );
  }

  /** Estimated bytes of the rows. */
  get rowBytes(): number {
    return this.rows * ROW_BYTES;
  }

  /** Estimated bytes of the side records (drops, connects) of their rows. */
  get detailBytes(): number {
    return this.arena.details * DETAIL_BYTES;
  }

  /** The key of an endpoint's side of a group. */
  static keyOf(e: Endpoint): string {
    return `${nodeIdOf(e, 'workload')}\u0000${e.namespace}`;
  }

  /** The number of a side's key, made when new (the caller's group takes a reference). */
  private idOf(side: Endpoint): number {
    const key = WorkloadRollups.keyOf(side);
    let id = this.keyIds.get(key);
    if (id === undefined) {
      id = this.freeKeys.pop() ?? this.keyStrings.length;
      this.keyStrings[id] = key;
      this.keyRefs[id] = 0;
      this.keyIds.set(key, id);
    }
    return id;
  }

  private release(id: number): void {
    if (--this.keyRefs[id]! > 0) return;
    this.keyIds.delete(this.keyStrings[id]!);
    this.keyStrings[id] = undefined;
    this.freeKeys.push(id);
  }

  /**
   * A new pod-level series, put in its group later (linkPending: the next query or prune step), so
   * that making a series costs ingest one push: linking each was ~8% of the ingest benchmark's store
   * time, where most series are made once and fed a few records.
   */
  pend(s: EdgeSeries): void {
    this.pending.push(s);
  }

  private pending: EdgeSeries[] = [];

  /**
   * Puts the pending series in their groups. A rollup a series joins now lacks its records so far, so
   * it is read as its members until they are out of the window.
   */
  linkPending(now: number): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    for (const s of pending) {
      // Gone from the store meanwhile (its SeriesList place is -1), or linked by a restore.
      if (s.listAt < 0 || s.wl !== null || s.headAt >= 0) continue;
      const r = this.link(s.client, s.server, s, now);
      const after = now + FUTURE_SKEW_MS + FINE_MS;
      if (r !== null && after > r.exactFrom) r.exactFrom = after;
    }
  }

  /**
   * Puts pod-level series `s` in its group at `now`; a second member makes a rollup. Returns the
   * rollup it joined (null: alone in its group).
   */
  link(client: Endpoint, server: Endpoint, s: EdgeSeries, now: number): EdgeSeries | null {
    const c = this.idOf(client);
    const v = this.idOf(server);
    const head = this.index.get(c, v, s.portId);
    if (!head) {
      this.index.add(c, v, s.portId, s);
      this.keyRefs[c]!++;
      this.keyRefs[v]!++;
      s.wlc = c;
      s.wls = v;
      this.heads.add(s);
      this.groups++;
      return null;
    }
    let r = head;
    if (head.members === null) {
      r = new EdgeSeries(head.client, head.server, head.proto, head.port, this.arena);
      r.members = [];
      // The first member's records so far are not in it.
      r.exactFrom = Math.max(head.lastSeen, now) + FUTURE_SKEW_MS + FINE_MS;
      r.lastSeen = head.lastSeen;
      const id = this.freeRuns.pop() ?? this.byRun.length;
      this.byRun[id] = r;
      r.runId = id;
      r.wlc = c;
      r.wls = v;
      this.index.delete(c, v, s.portId);
      this.index.add(c, v, s.portId, r);
      this.heads.remove(head);
      this.heads.add(r);
      this.size++;
      this.join(r, head);
    }
    this.join(r, s);
    return r;
  }

  private join(r: EdgeSeries, s: EdgeSeries): void {
    s.wl = r;
    s.memberAt = r.members!.length;
    r.members!.push(s);
    this.links++;
    if (s.lastSeen > r.lastSeen) r.lastSeen = s.lastSeen;
  }

  /** `s` left the store: its data stays in its rollup, which is not exact for windows before it ends. */
  unlink(s: EdgeSeries): void {
    const r = s.wl;
    if (r === null) {
      if (s.headAt < 0) return;
      this.heads.remove(s);
      this.index.delete(s.wlc, s.wls, s.portId);
      this.release(s.wlc);
      this.release(s.wls);
      this.groups--;
      return;
    }
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
    if (members.length > 1) return;
    // One left: the group is read as that series again (the rollup's data of the others goes with it).
    const c = r.wlc;
    const v = r.wls;
    this.heads.remove(r);
    this.index.delete(c, v, r.portId);
    if (members.length === 1) {
      const alone = members.pop()!;
      alone.wl = null;
      alone.memberAt = -1;
      this.links--;
      alone.wlc = c;
      alone.wls = v;
      this.index.add(c, v, r.portId, alone);
      this.heads.add(alone);
    } else {
      this.release(c);
      this.release(v);
      this.groups--;
    }
    this.byRun[r.runId] = null;
    this.freeRuns.push(r.runId);
    this.rows -= r.fine.length;
    r.fine.release();
    r.coarse.release();
    r.dead = true;
    this.size--;
  }

  /** A flow record's traffic into rollup `r`, summed per rollup until its run ends (drain). */
  add(r: EdgeSeries, bytes: number, packets: number): void {
    this.run.add(r.runId, bytes, packets);
  }

  /**
   * The run ended at `now`: its sums into the 1 s bucket `fineT` (-1: older than the 1 s tier,
   * dropped). The rollups' lastSeen is kept here, where they take records, not per record.
   */
  drain(fineT: number, now: number): void {
    const byRun = this.byRun;
    this.run.drain((k, b, p) => {
      const r = byRun[k]!;
      r.lastSeen = now;
      if (fineT >= 0) this.rows += r.fine.addTraffic(fineT, b, p);
    });
  }

  /** Applies what late records left pending in the rollups' tiers (EdgeTier.flushLate). */
  flushLate(): void {
    const late = this.arena.late;
    if (late.length === 0) return;
    this.arena.late = [];
    for (const tier of late) this.rows += tier.flushLate();
  }

  /** Drops rows older than keepMs, a slice of the rollups a call (a whole round in at most 4 calls). */
  prune(now: number, all = false): void {
    const byRun = this.byRun;
    const horizon = now - this.keepMs;
    const slice = all ? byRun.length : Math.max(5_000, Math.ceil(byRun.length / 4));
    for (let n = 0; n < slice && byRun.length > 0; n++) {
      if (this.pruneAt >= byRun.length) this.pruneAt = 0;
      const r = byRun[this.pruneAt++];
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
