import { FLOW_DIRECTIONS, type FlowRow, L4_PROTOS, type PackedBatch } from '@weft/protocol';
import { count } from './saturate.js';

/**
 * The newest flow rows in a fixed-size ring: memory stays bounded however fast records arrive.
 * Forwarded flows are kept as (packed batch, record index, node) and turned into rows only when read:
 * an object per record was most of ingest's garbage, and rows are read far less often than written.
 * A slot names its batch through a source number: consecutive flows of one batch share a source, so
 * a record costs two stores into Int32Arrays, where storing the (new) batch in every slot of an (old)
 * array went through the write barrier once per record. A source is let go when its last slot is
 * overwritten, so the ring holds on to a few batches at most at the default size.
 */
export class FlowRing {
  /** Per slot: its source and the record's index in the source batch's flow columns. */
  private readonly source: Int32Array;
  private readonly index: Int32Array;
  /** Per source: a finished row (node undefined) or a packed batch and the node that reported it. */
  private readonly entries: (FlowRow | PackedBatch | undefined)[];
  private readonly nodes: (string | undefined)[];
  /** The source being filled, and what it holds (a new entry or node starts the next source). */
  private current = -1;
  private currentEntry: FlowRow | PackedBatch | undefined = undefined;
  private currentNode: string | undefined = undefined;
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.source = new Int32Array(capacity);
    this.index = new Int32Array(capacity);
    // A source has at least one slot, so there are never more live sources than slots.
    this.entries = new Array(capacity);
    this.nodes = new Array(capacity);
  }

  push(row: FlowRow): void {
    this.put(row, undefined, 0);
  }

  /** Forwarded flow `i` of `batch`, seen by the collector on `node`. */
  pushFlow(batch: PackedBatch, i: number, node: string): void {
    this.put(batch, node, i);
  }

  private put(entry: FlowRow | PackedBatch, node: string | undefined, i: number): void {
    const at = this.next;
    const after = at + 1 === this.capacity ? 0 : at + 1;
    if (this.count === this.capacity) {
      // Overwriting the oldest slot: its source goes with it unless the next slot still names it.
      const old = this.source[at]!;
      if (old !== this.current && (this.capacity === 1 || this.source[after] !== old)) {
        this.entries[old] = undefined;
        this.nodes[old] = undefined;
      }
    }
    if (entry !== this.currentEntry || node !== this.currentNode || this.current < 0) {
      this.current = this.current + 1 === this.capacity ? 0 : this.current + 1;
      this.entries[this.current] = entry;
      this.nodes[this.current] = node;
      this.currentEntry = entry;
      this.currentNode = node;
    }
    this.source[at] = this.current;
    this.index[at] = i;
    this.next = after;
    if (this.count < this.capacity) this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** Newest first. Stop by returning false. */
  forEachNewest(visit: (row: FlowRow) => boolean): void {
    for (let i = 0; i < this.count; i++) {
      const at = (this.next - 1 - i + this.capacity) % this.capacity;
      const src = this.source[at]!;
      const entry = this.entries[src]!;
      const node = this.nodes[src];
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
    bytes: count(f.bytes[i]!),
    packets: count(f.packets[i]!),
    tcpFlags: f.tcpFlags[i]!,
  };
}
