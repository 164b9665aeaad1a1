import type { FlowRow } from '@weft/protocol';

/** The newest flow rows in a fixed-size ring: memory stays bounded however fast records arrive. */
export class FlowRing {
  private readonly rows: (FlowRow | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.rows = new Array(capacity);
  }

  push(row: FlowRow): void {
    this.rows[this.next] = row;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** Newest first. Stop by returning false. */
  forEachNewest(visit: (row: FlowRow) => boolean): void {
    for (let i = 0; i < this.count; i++) {
      const row = this.rows[(this.next - 1 - i + this.capacity) % this.capacity]!;
      if (!visit(row)) return;
    }
  }
}
