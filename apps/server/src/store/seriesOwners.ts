/**
 * The nodes whose batches created the store's series, as small integer indexes (a series keeps its
 * owner's index, not its name), with the number of series each owns. A node's entry lives while it
 * owns a series: a collector that disconnected and that the server forgot still owns its series
 * under the same index until they are pruned or evicted, then the index is reused. Entries are
 * therefore bounded by the series held (plus the nodes storing a batch right now).
 */
export class SeriesOwners {
  private readonly byName = new Map<string, number>();
  private names: (string | null)[] = [];
  /** Series owned, by index. */
  counts = new Int32Array(16);
  private readonly free: number[] = [];

  /** Entries in use or free: the length per-owner arrays need. */
  get size(): number {
    return this.names.length;
  }

  /** The index of `node`, made when it has none. */
  index(node: string): number {
    let i = this.byName.get(node);
    if (i !== undefined) return i;
    i = this.free.pop() ?? this.names.length;
    if (i === this.names.length) {
      this.names.push(node);
      if (i >= this.counts.length) {
        const grown = new Int32Array(this.counts.length * 2);
        grown.set(this.counts);
        this.counts = grown;
      }
    } else this.names[i] = node;
    this.counts[i] = 0;
    this.byName.set(node, i);
    return i;
  }

  name(i: number): string | null {
    return this.names[i] ?? null;
  }

  /** Series owned by `node`; 0 when it owns none. */
  owned(node: string): number {
    const i = this.byName.get(node);
    return i === undefined ? 0 : this.counts[i]!;
  }

  add(i: number): void {
    this.counts[i]!++;
  }

  /** A series of owner `i` left the store; the entry goes with its last series. */
  remove(i: number): void {
    if (i < 0) return;
    if (--this.counts[i]! <= 0) this.release(i);
  }

  /** Frees `i` if it owns nothing (a node whose batch made no series). */
  release(i: number): void {
    const name = this.names[i];
    if (name == null || this.counts[i]! > 0) return;
    this.byName.delete(name);
    this.names[i] = null;
    this.counts[i] = 0;
    this.free.push(i);
  }
}
