import type { FlowRecord, FlowRow } from '@weft/protocol';

/**
 * The newest flow rows in a fixed-size ring: memory stays bounded however fast records arrive.
 * Forwarded flows are kept as the records ingest already parsed (with their node beside them) and
 * turned into rows only when read: a new object per record was most of ingest's garbage, and rows are
 * read far less often than written.
 */
export class FlowRing {
  private readonly rows: (FlowRow | FlowRecord | undefined)[];
  /** The reporting node of a kept FlowRecord; undefined where the slot holds a finished row. */
  private readonly nodes: (string | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.rows = new Array(capacity);
    this.nodes = new Array(capacity);
  }

  push(row: FlowRow): void {
    this.put(row, undefined);
  }

  /** A forwarded flow seen by the collector on `node`. */
  pushFlow(f: FlowRecord, node: string): void {
    this.put(f, node);
  }

  private put(entry: FlowRow | FlowRecord, node: string | undefined): void {
    this.rows[this.next] = entry;
    this.nodes[this.next] = node;
    this.next = (this.next + 1) % this.capacity;
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
      if (!visit(node === undefined ? (entry as FlowRow) : flowRow(entry as FlowRecord, node))) return;
    }
  }
}

function flowRow(f: FlowRecord, node: string): FlowRow {
  return {
    ts: f.ts,
    node,
    src: f.src,
    dst: f.dst,
    sport: f.sport,
    dport: f.dport,
    proto: f.proto,
    dir: f.dir,
    verdict: 'forwarded',
    reason: '',
    bytes: f.bytes,
    packets: f.packets,
    tcpFlags: f.tcpFlags,
  };
}
