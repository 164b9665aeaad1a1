/** A kept row: its sort key and its seq in the ring. */
export interface RankedRow {
  key: number;
  seq: number;
}

/**
 * The `limit` largest (key, seq) pairs offered, in a heap whose root is the least kept: a search over a
 * million rows keeps a page's worth, not every match, and sorts only that.
 */
export class TopRows {
  private readonly keys: number[] = [];
  private readonly seqs: number[] = [];

  /**
   * The least kept pair once `limit` are kept (-Infinity before): what is not above it is not taken, and
   * a caller offering a million rows tests that itself rather than calling offer for each.
   */
  floorKey = Number.NEGATIVE_INFINITY;
  floorSeq = -1;

  constructor(private readonly limit: number) {}

  offer(key: number, seq: number): void {
    const n = this.keys.length;
    if (n < this.limit) {
      this.keys.push(key);
      this.seqs.push(seq);
      this.up(n);
      if (n + 1 === this.limit) this.setFloor();
      return;
    }
    if (n === 0 || !above(key, seq, this.keys[0]!, this.seqs[0]!)) return;
    this.keys[0] = key;
    this.seqs[0] = seq;
    this.down(0);
    this.setFloor();
  }

  private setFloor(): void {
    this.floorKey = this.keys[0]!;
    this.floorSeq = this.seqs[0]!;
  }

  /** What was kept, largest first. */
  sorted(): RankedRow[] {
    const rows = this.keys.map((key, i) => ({ key, seq: this.seqs[i]! }));
    return rows.sort((x, y) => y.key - x.key || y.seq - x.seq);
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!above(this.keys[p]!, this.seqs[p]!, this.keys[i]!, this.seqs[i]!)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.keys.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < n && above(this.keys[least]!, this.seqs[least]!, this.keys[l]!, this.seqs[l]!)) least = l;
      if (r < n && above(this.keys[least]!, this.seqs[least]!, this.keys[r]!, this.seqs[r]!)) least = r;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }

  private swap(i: number, j: number): void {
    const k = this.keys[i]!;
    this.keys[i] = this.keys[j]!;
    this.keys[j] = k;
    const s = this.seqs[i]!;
    this.seqs[i] = this.seqs[j]!;
    this.seqs[j] = s;
  }
}

/** (key, seq) orders after (k2, s2) in the search's order: larger key, then larger seq. */
function above(key: number, seq: number, k2: number, s2: number): boolean {
  return key > k2 || (key === k2 && seq > s2);
}
