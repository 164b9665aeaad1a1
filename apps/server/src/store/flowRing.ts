import { FLOW_DIRECTIONS, type FlowRow, L4_PROTOS, type PackedBatch } from '@weft/protocol';

/**
 * The newest flow rows in a fixed-size ring: memory stays bounded however fast records arrive.
 * Forwarded flows are kept as (packed batch, record index, node) and turned into rows only when read:
 * an object per record was most of ingest's garbage, and rows are read far less often than written.
 * The ring holds on to the batches its slots name, a few at most at the default size.
 */
export class FlowRing {
  private readonly rows: (FlowRow | PackedBatch | undefined)[];
  /** The reporting node of a kept flow; undefined where the slot holds a finished row. */
  private readonly nodes: (string | undefined)[];
  /** The record's index in its batch's flow columns. */
  private readonly index: Int32Array;
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.rows = new Array(capacity);
    this.nodes = new Array(capacity);
    this.index = new Int32Array(capacity);
  }

  push(row: FlowRow): void {
    this.put(row, undefined, 0);
  }

  /** Forwarded flow `i` of `batch`, seen by the collector on `node`. */
  pushFlow(batch: PackedBatch, i: number, node: string): void {
    this.put(batch, node, i);
  }

  private put(entry: FlowRow | PackedBatch, node: string | undefined, i: number): void {
    this.rows[this.next] = entry;
    this.nodes[this.next] = node;
    this.index[this.next] = i;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    if (this.count < this.capacity) this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** Newest first. Stop by returning false. */
  forEachNewest(visit: (row: FlowRow) => boolean): void {
    for (let i = 0; i < this.count; i++) {
      const at = (this.next - 1 - i + this.capacity) % this.capacity;
      const entry = this.rows[at]!;
      const node = this.nodes[at];
      const row =
        node === undefined ? (entry as FlowRow) : flowRow(entry as PackedBatch, this.index[at]!, node);
      if (!visit(row)) return;
    }
  }
}

function flowRow(b: PackedBatch, i: number, node: string): FlowRow {
  const f = b.flows;
  return {
    ts: f.ts[i]!,
    node,
    src: b.endpoints[f.src[i]!]!,
    dst: b.endpoints[f.dst[i]!]!,
    sport: f.sport[i]!,
    dport: f.dport[i]!,
    proto: L4_PROTOS[f.proto[i]!]!,
    dir: FLOW_DIRECTIONS[f.dir[i]!]!,
    verdict: 'forwarded',
    reason: '',
    bytes: f.bytes[i]!,
    packets: f.packets[i]!,
    tcpFlags: f.tcpFlags[i]!,
  };
}
