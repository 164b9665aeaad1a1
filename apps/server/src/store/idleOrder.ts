/** What an IdleOrder links: a series, with its owner (a SeriesOwners index) and its two links. */
export interface IdleLinked {
  owner: number;
  idlePrev: IdleLinked | null;
  idleNext: IdleLinked | null;
}

/**
 * The series of each owner, least recently touched first: a doubly linked list per owner through
 * the series' own fields, so touching one is O(1) and eviction reads the idlest of a node from the
 * front of its list, where it once scanned and sorted every series of the store (100,000 at the
 * Deployment's bound: hundreds of ms a pass under a cardinality flood). The store touches a series
 * once per batch that names it (when its lastSeen moves), so the order is that of lastSeen.
 */
export class IdleOrder<T extends IdleLinked> {
  private heads: (T | null)[] = [];
  private tails: (T | null)[] = [];

  /** The idlest series of `owner`; null when it has none here. */
  first(owner: number): T | null {
    return this.heads[owner] ?? null;
  }

  /** The series touched after `s` by its owner. */
  next(s: T): T | null {
    return s.idleNext as T | null;
  }

  /** `s` was just touched: it goes to the back of its owner's list (in it or not yet). */
  touch(s: T): void {
    const o = s.owner;
    if (o < 0) return;
    if (this.tails[o] === s) return;
    if (s.idlePrev !== null || this.heads[o] === s) this.unlink(s);
    const tail = this.tails[o] ?? null;
    s.idlePrev = tail;
    s.idleNext = null;
    if (tail) tail.idleNext = s;
    else this.heads[o] = s;
    this.tails[o] = s;
  }

  /** `s` leaves the store: out of its owner's list (before its owner is cleared). */
  remove(s: T): void {
    if (s.owner < 0) return;
    if (s.idlePrev !== null || this.heads[s.owner] === s) this.unlink(s);
  }

  private unlink(s: T): void {
    const o = s.owner;
    const prev = s.idlePrev as T | null;
    const next = s.idleNext as T | null;
    if (prev) prev.idleNext = next;
    else this.heads[o] = next;
    if (next) next.idlePrev = prev;
    else this.tails[o] = prev;
    s.idlePrev = null;
    s.idleNext = null;
  }
}
