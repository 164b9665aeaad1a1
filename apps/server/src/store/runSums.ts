/**
 * Bytes and packets summed per small index (a rollup's place in its SeriesList) over a run of flow
 * records with one timestamp, so each namespace rollup takes a run's traffic in one update instead
 * of one per record.
 */
export class RunSums {
  private bytes = new Float64Array(64);
  private packets = new Float64Array(64);
  private seen = new Uint8Array(64);
  /** Indexes added to since the last drain, in first-touch order. */
  private touched: number[] = [];

  add(k: number, bytes: number, packets: number): void {
    if (k >= this.seen.length) this.grow(k);
    if (this.seen[k] === 0) {
      this.seen[k] = 1;
      this.touched.push(k);
    }
    this.bytes[k]! += bytes;
    this.packets[k]! += packets;
  }

  /** Hands every touched index with its sums to `visit`, then starts over. */
  drain(visit: (k: number, bytes: number, packets: number) => void): void {
    for (const k of this.touched) {
      visit(k, this.bytes[k]!, this.packets[k]!);
      this.bytes[k] = 0;
      this.packets[k] = 0;
      this.seen[k] = 0;
    }
    this.touched.length = 0;
  }

  private grow(k: number): void {
    let n = this.seen.length;
    while (n <= k) n *= 2;
    const bytes = new Float64Array(n);
    bytes.set(this.bytes);
    const packets = new Float64Array(n);
    packets.set(this.packets);
    const seen = new Uint8Array(n);
    seen.set(this.seen);
    this.bytes = bytes;
    this.packets = packets;
    this.seen = seen;
  }
}
