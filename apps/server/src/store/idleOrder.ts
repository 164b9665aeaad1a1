/**
 * What an IdleOrder keeps: a series, with its owner (a SeriesOwners index, -1 once it left), its
 * lastSeen, and `idleAt`, the lastSeen its latest touch recorded (its place in the order).
 */
export interface IdleTracked {
  owner: number;
  lastSeen: number;
  idleAt: number;
}

interface Log<T> {
  items: T[];
  /** idleAt of items[k] when it was touched: the entry is current while they still agree. */
  stamps: number[];
  /** Length at which the log is next closed up. */
  compactAt: number;
}

const MIN_COMPACT_AT = 4096;

/**
 * How far a series' lastSeen moves before it is touched again: a collector's series seen every
 * second cost ingest a touch every ten batches, not every batch (a touch per series per batch was
 * up to 10% of ingest at 50,000 edges, bench/server/RESULTS.md).
 */
export const IDLE_GRAIN_MS = 10_000;

/** Whether `s`, its lastSeen just set, is due a touch (new, moved a grain, or the clock went back). */
export function dueTouch(s: IdleTracked): boolean {
  return s.lastSeen - s.idleAt >= IDLE_GRAIN_MS || s.lastSeen < s.idleAt;
}

/**
 * The series of each owner, least recently touched first, so eviction reads the idlest of a node
 * from the front where it once scanned and sorted every series of the store (100,000 at the
 * Deployment's bound: hundreds of ms a pass under a cardinality flood). Kept as a log per owner: a
 * touch appends the series and records its lastSeen as its idleAt, and an entry counts while the
 * series is still its owner's and its idleAt unchanged (later touches and eviction leave stale
 * entries behind, closed up once the log doubles): a touch writes to the end of two arrays, not to
 * a series' neighbours as a linked list's move would. The store touches a series when its lastSeen
 * has moved IDLE_GRAIN_MS past its idleAt, so the order is lastSeen's to within that.
 */
export class IdleOrder<T extends IdleTracked> {
  private readonly logs: (Log<T> | undefined)[] = [];

  /** `s` was just touched (its lastSeen set): it goes to the back of its owner's order. */
  touch(s: T): void {
    const o = s.owner;
    if (o < 0) return;
    let log = this.logs[o];
    if (log === undefined) {
      log = { items: [], stamps: [], compactAt: MIN_COMPACT_AT };
      this.logs[o] = log;
    }
    s.idleAt = s.lastSeen;
    log.items.push(s);
    log.stamps.push(s.idleAt);
    if (log.items.length >= log.compactAt) this.compact(log, o);
  }

  /** The place of the first current entry of `owner` at or after `from`; -1 when there is none. */
  seek(owner: number, from: number): number {
    const log = this.logs[owner];
    if (log === undefined) return -1;
    const { items, stamps } = log;
    for (let k = from; k < items.length; k++) {
      const s = items[k]!;
      if (s.owner === owner && s.idleAt === stamps[k]) return k;
    }
    return -1;
  }

  /** The series at place `k` of `owner`'s order (a place seek returned). */
  at(owner: number, k: number): T {
    return this.logs[owner]!.items[k]!;
  }

  /** Current entries of `owner` (tests). */
  size(owner: number): number {
    let n = 0;
    for (let k = this.seek(owner, 0); k >= 0; k = this.seek(owner, k + 1)) n++;
    return n;
  }

  private compact(log: Log<T>, owner: number): void {
    const { items, stamps } = log;
    let kept = 0;
    for (let k = 0; k < items.length; k++) {
      const s = items[k]!;
      if (s.owner !== owner || s.idleAt !== stamps[k]) continue;
      items[kept] = s;
      stamps[kept] = stamps[k]!;
      kept++;
    }
    items.length = kept;
    stamps.length = kept;
    log.compactAt = Math.max(MIN_COMPACT_AT, 2 * kept);
  }
}
