import { type Endpoint, FLOW_DIRECTIONS, type FlowRow, L4_PROTOS, type PackedBatch } from '@weft/protocol';
import { MemoryShare } from '../memoryBudget.js';
import { endpointBytes } from './endpointBytes.js';
import { FlowNames } from './flowNames.js';
import { count } from './saturate.js';

/** A finished row: the object, its reason, and the two endpoints it keeps alive. */
function rowBytes(r: FlowRow): number {
  return 160 + r.reason.length + endpointBytes(r.src) + endpointBytes(r.dst);
}

/** A batch's own arrays: 11 flow columns (numbers at 8 bytes) and its other records as objects. */
function batchBytes(b: PackedBatch): number {
  return (
    64 + b.flows.ts.length * 88 + (b.drops.length + b.tcp.length + b.tcpStats.length + b.dns.length) * 200
  );
}

/** Bytes per slot of the ring's fixed arrays (five typed arrays, two arrays of references). */
const SLOT_BYTES = 36;
/** Least a row copied out of its batch costs (the object, without its endpoints). */
const MIN_ROW_BYTES = 160;

/** An endpoint table's estimated bytes over its first `counted` endpoints (tables only grow). */
interface TableSize {
  counted: number;
  bytes: number;
}

/** Per table array, so a connection's table is measured once however often its batches come and go. */
const tableSizes = new WeakMap<readonly Endpoint[], TableSize>();

function tableBytes(endpoints: readonly Endpoint[]): number {
  let t = tableSizes.get(endpoints);
  if (!t) {
    t = { counted: 0, bytes: 0 };
    tableSizes.set(endpoints, t);
  }
  for (let k = t.counted; k < endpoints.length; k++) t.bytes += endpointBytes(endpoints[k]!) + 8;
  t.counted = endpoints.length;
  return t.bytes;
}

/** An endpoint table held by sources: the bytes accounted for it and how many sources hold it. */
interface HeldTable {
  bytes: number;
  refs: number;
}

/** What a slot's source holds: one row, a packed batch (read with its node), or rows copied out of one. */
export type FlowRingEntry = FlowRow | PackedBatch | FlowRow[];
type Entry = FlowRingEntry;

/** FlowRing.slots(): per slot its source and record index; per source its entry and node. */
export interface RingSlots {
  readonly source: Int32Array;
  readonly index: Int32Array;
  /** Per slot: its row's DNS name, an id in `FlowRing.names` (0: none). */
  readonly names: Int32Array;
  readonly entries: readonly (FlowRingEntry | undefined)[];
  readonly nodes: readonly (string | undefined)[];
}

/**
 * The newest flow rows in a fixed-size ring: memory stays bounded however fast records arrive.
 * Forwarded flows are kept as (packed batch, record index, node) and turned into rows only when read:
 * an object per record was most of ingest's garbage, and rows are read far less often than written.
 * A slot names its batch through a source number: consecutive flows of one batch share a source, so
 * a record costs two stores into Int32Arrays, where storing the (new) batch in every slot of an (old)
 * array went through the write barrier once per record. A source is let go when its last slot is
 * overwritten.
 *
 * Bounded in bytes too (a MemoryShare): a source holding a batch holds all of it, its endpoint table
 * included, so a batch of 200,000 endpoints and one flow pinned megabytes for one row. Past the share,
 * settle() copies the rows of the oldest batches out (FlowRow objects: the batch can go), then, if rows
 * alone are too many, drops the oldest.
 *
 * A row's DNS name (FlowDns) is an id in a column of its own, held in `names` while a slot names it.
 */
export class FlowRing {
  /** Per slot: its source and the record's index in the source's batch (or rows). */
  private readonly source: Int32Array;
  private readonly index: Int32Array;
  private readonly nameIds: Int32Array;
  /** Per source: one finished row, a packed batch (with its node), or rows copied out of a batch. */
  private readonly entries: (Entry | undefined)[];
  private readonly nodes: (string | undefined)[];
  /** Per source: the slot its run started at (a source's slots are consecutive) and its own bytes. */
  private readonly first: Int32Array;
  private readonly bytes: Float64Array;
  /** Endpoint tables of the batches held, counted once however many sources share one. */
  private readonly tables = new Map<readonly Endpoint[], HeldTable>();
  /** The source being filled, and what it holds (a new entry or node starts the next source). */
  private current = -1;
  private currentEntry: Entry | undefined = undefined;
  private currentNode: string | undefined = undefined;
  private next = 0;
  private count = 0;
  /** Slots ever filled, and how many of them the copy pass of settle() has looked at. */
  private pushed = 0;
  private examinedTo = 0;
  /** Sources the copy pass looked at, all told: each once in its life, not once per batch. */
  examined = 0;
  readonly share: MemoryShare;

  /** Slots: the count asked for, or fewer when the share could not hold that many rows. */
  readonly capacity: number;

  constructor(
    capacity: number,
    share?: MemoryShare,
    readonly names: FlowNames = new FlowNames(),
  ) {
    this.share = share ?? new MemoryShare('flows', Number.POSITIVE_INFINITY);
    this.capacity = Math.max(
      1,
      Math.min(capacity, Math.floor(this.share.limit / (SLOT_BYTES + MIN_ROW_BYTES))),
    );
    capacity = this.capacity;
    this.source = new Int32Array(capacity);
    this.index = new Int32Array(capacity);
    this.nameIds = new Int32Array(capacity);
    this.first = new Int32Array(capacity);
    this.bytes = new Float64Array(capacity);
    // A source has at least one slot, so there are never more live sources than slots.
    this.entries = new Array(capacity);
    this.nodes = new Array(capacity);
    this.share.used = capacity * SLOT_BYTES;
  }

  /** A row, with its DNS name: `name` (an id in `names`), else the row's own `dns` if it has one. */
  push(row: FlowRow, name = 0): void {
    if (row.dns === undefined) {
      this.put(row, undefined, 0, name);
      return;
    }
    const { dns, ...rest } = row;
    const id = name !== 0 ? name : this.names.hold(dns);
    this.put(rest, undefined, 0, id);
    if (name === 0) this.names.release(id);
  }

  /** Forwarded flow `i` of `batch`, seen by the collector on `node`, with its DNS name (an id in `names`). */
  pushFlow(batch: PackedBatch, i: number, node: string, name = 0): void {
    this.put(batch, node, i, name);
  }

  private put(entry: FlowRow | PackedBatch, node: string | undefined, i: number, name: number): void {
    const at = this.next;
    const after = at + 1 === this.capacity ? 0 : at + 1;
    if (this.nameIds[at] !== 0) this.names.release(this.nameIds[at]!);
    this.nameIds[at] = name;
    this.names.retain(name);
    if (this.count === this.capacity) {
      // Overwriting the oldest slot: its source goes with it unless the next slot still names it.
      const old = this.source[at]!;
      if (old !== this.current && (this.capacity === 1 || this.source[after] !== old)) this.release(old);
    }
    if (entry !== this.currentEntry || node !== this.currentNode || this.current < 0) {
      this.current = this.current + 1 === this.capacity ? 0 : this.current + 1;
      this.entries[this.current] = entry;
      this.nodes[this.current] = node;
      this.first[this.current] = at;
      this.hold(this.current, entry, node);
      this.currentEntry = entry;
      this.currentNode = node;
    }
    this.source[at] = this.current;
    this.index[at] = i;
    this.next = after;
    this.pushed++;
    if (this.count < this.capacity) this.count++;
  }

  /** Accounts a new source's bytes: a row's, or a batch's and (once) its endpoint table's growth. */
  private hold(s: number, entry: FlowRow | PackedBatch, node: string | undefined): void {
    if (node === undefined) {
      this.bytes[s] = rowBytes(entry as FlowRow);
      this.share.used += this.bytes[s]!;
      return;
    }
    const b = entry as PackedBatch;
    this.bytes[s] = batchBytes(b);
    this.share.used += this.bytes[s]!;
    let t = this.tables.get(b.endpoints);
    if (!t) {
      t = { bytes: 0, refs: 0 };
      this.tables.set(b.endpoints, t);
    }
    t.refs++;
    // A connection's table only grows: what it added since is accounted now.
    const bytes = tableBytes(b.endpoints);
    this.share.used += bytes - t.bytes;
    t.bytes = bytes;
  }

  private release(s: number): void {
    const entry = this.entries[s];
    if (entry === undefined) return;
    this.share.used -= this.bytes[s]!;
    if (this.nodes[s] !== undefined) this.unholdTable((entry as PackedBatch).endpoints);
    this.entries[s] = undefined;
    this.nodes[s] = undefined;
    if (s === this.current) {
      this.currentEntry = undefined;
      this.currentNode = undefined;
    }
  }

  private unholdTable(endpoints: readonly Endpoint[]): void {
    const t = this.tables.get(endpoints)!;
    if (--t.refs > 0) return;
    this.share.used -= t.bytes;
    this.tables.delete(endpoints);
  }

  get size(): number {
    return this.count;
  }

  /** Slot after the run of source `s` (its live slots end there). */
  private runEnd(s: number): number {
    return s === this.current ? this.next : this.first[s + 1 === this.capacity ? 0 : s + 1]!;
  }

  /**
   * Back within the share after a batch: copies the rows of held batches out, oldest first (the
   * batches can then go), and when the rows alone are over, drops the oldest rows (counted).
   */
  settle(): void {
    if (!this.share.over || this.count === 0) return;
    // The copy pass goes on where the last one stopped: what it looked at was copied or found not worth
    // copying, and looking again at every batch made a full ring's walk (and copies thrown away) of each.
    const from = Math.max(this.examinedTo, this.pushed - this.count);
    let at = from % this.capacity;
    let left = this.pushed - from;
    while (this.share.over && left > 0) {
      this.examined++;
      const s = this.source[at]!;
      const end = this.runEnd(s);
      const n = Math.min(left, (end - at + this.capacity) % this.capacity || this.capacity);
      const node = this.nodes[s];
      const b = this.entries[s] as PackedBatch;
      const table = node === undefined ? undefined : this.tables.get(b.endpoints)!;
      // What copying would free, against the least the copies cost: no rows are made where they can't pay.
      const freed = table === undefined ? 0 : this.bytes[s]! + (table.refs === 1 ? table.bytes : 0);
      if (node !== undefined && n * MIN_ROW_BYTES < freed) {
        const rows: FlowRow[] = [];
        let bytes = 0;
        for (let k = 0, slot = at; k < n; k++, slot = slot + 1 === this.capacity ? 0 : slot + 1) {
          const row = flowRow(b, this.index[slot]!, node);
          bytes += rowBytes(row);
          rows.push(row);
        }
        // Only where the copies cost less than the batch they let go (with its table, if last to hold it).
        if (bytes < freed) {
          for (let k = 0, slot = at; k < n; k++, slot = slot + 1 === this.capacity ? 0 : slot + 1)
            this.index[slot] = k;
          this.release(s);
          this.entries[s] = rows;
          this.bytes[s] = bytes;
          this.share.used += bytes;
        }
      }
      at = (at + n) % this.capacity;
      left -= n;
    }
    this.examinedTo = this.pushed - left;
    // Rows alone still over: the oldest go, a source at a time.
    while (this.share.over && this.count > 0) {
      const oldest = (this.next - this.count + this.capacity) % this.capacity;
      const s = this.source[oldest]!;
      const n = Math.min(this.count, (this.runEnd(s) - oldest + this.capacity) % this.capacity || this.count);
      for (let k = 0, slot = oldest; k < n; k++, slot = slot + 1 === this.capacity ? 0 : slot + 1) {
        this.names.release(this.nameIds[slot]!);
        this.nameIds[slot] = 0;
      }
      this.release(s);
      if (s === this.current) this.current = -1;
      this.count -= n;
      this.share.evicted += n;
    }
  }

  /**
   * The newest row's seq (-1 before any). A row's seq is its push count: it never changes while the row
   * is held and is never reused, so it names a row across reads while newer rows arrive, and its slot is
   * `seq % capacity`.
   */
  get head(): number {
    return this.pushed - 1;
  }

  /** The oldest held row's seq (head + 1 when empty). */
  get tail(): number {
    return this.pushed - this.count;
  }

  /** The row `seq` names, or undefined when it is no longer held (or not yet pushed). */
  rowAt(seq: number): FlowRow | undefined {
    if (seq < this.tail || seq > this.head) return undefined;
    const at = seq % this.capacity;
    return this.rowIn(at);
  }

  /** The row in slot `at`, its DNS name on it. */
  private rowIn(at: number): FlowRow {
    const src = this.source[at]!;
    const entry = this.entries[src]!;
    const node = this.nodes[src];
    const name = this.nameIds[at]!;
    if (node !== undefined) {
      const row = flowRow(entry as PackedBatch, this.index[at]!, node);
      if (name !== 0) row.dns = this.names.get(name)!;
      return row;
    }
    const row = Array.isArray(entry) ? entry[this.index[at]!]! : (entry as FlowRow);
    return name === 0 ? row : { ...row, dns: this.names.get(name)! };
  }

  /**
   * The slots as they are, for a pass over a million rows that cannot afford a call per row (the flow
   * search): seq's slot is `seq % capacity`, its source `source[slot]`, and so on. Read only, and only
   * until the next push.
   */
  slots(): RingSlots {
    return {
      source: this.source,
      index: this.index,
      names: this.nameIds,
      entries: this.entries,
      nodes: this.nodes,
    };
  }

  /** Newest first. Stop by returning false. */
  forEachNewest(visit: (row: FlowRow) => boolean): void {
    for (let i = 0; i < this.count; i++) {
      const at = (this.next - 1 - i + this.capacity) % this.capacity;
      if (!visit(this.rowIn(at))) return;
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
