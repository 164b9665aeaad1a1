/** Per-entry health columns (PortTable.health), in this order. */
export const P_CONNECTS = 0;
export const P_FAILURES = 1;
export const P_DROPS = 2;
export const P_DNS_QUERIES = 3;
export const P_DNS_ERRORS = 4;
export const PORT_COLUMNS = 5;

/**
 * Bytes and health per (graph edge, service port) while a graph query folds series into edges: an open-addressing
 * hash over typed arrays, so the 50,000-series pass allocates nothing per edge or port. Entries keep
 * their insertion order, which is the order an edge's ports were first seen.
 */
export class PortTable {
  count = 0;
  /** Per entry: its edge, portId, the first series (index) that had it, and the bytes summed. */
  edge = new Int32Array(INITIAL);
  portId = new Int32Array(INITIAL);
  series = new Int32Array(INITIAL);
  bytes = new Float64Array(INITIAL);
  /**
   * Per entry PORT_COLUMNS sums (connects, failures, drop packets, DNS queries, DNS errors); zero until
   * added to (a table is made per query and entries are only appended).
   */
  health = new Float64Array(INITIAL * PORT_COLUMNS);
  /** Entry number + 1 per slot, 0 when free; at most half full. */
  private slots = new Int32Array(INITIAL * 2);
  private mask = INITIAL * 2 - 1;

  /** Adds `bytes` to the entry of (edge, portId), made for series `series` when new; returns the entry. */
  add(edge: number, portId: number, series: number, bytes: number): number {
    const mask = this.mask;
    const slots = this.slots;
    let h = hash(edge, portId) & mask;
    for (;;) {
      const at = slots[h]!;
      if (at === 0) break;
      const k = at - 1;
      if (this.edge[k] === edge && this.portId[k] === portId) {
        this.bytes[k]! += bytes;
        return k;
      }
      h = (h + 1) & mask;
    }
    const k = this.count++;
    slots[h] = k + 1;
    this.edge[k] = edge;
    this.portId[k] = portId;
    this.series[k] = series;
    this.bytes[k] = bytes;
    if (this.count === this.edge.length) this.grow();
    return k;
  }

  /** Adds to entry `k`'s health sums. */
  addHealth(k: number, connects: number, failures: number, drops: number, dnsQ: number, dnsE: number): void {
    const at = k * PORT_COLUMNS;
    const h = this.health;
    h[at + P_CONNECTS]! += connects;
    h[at + P_FAILURES]! += failures;
    h[at + P_DROPS]! += drops;
    h[at + P_DNS_QUERIES]! += dnsQ;
    h[at + P_DNS_ERRORS]! += dnsE;
  }

  /** True when entry `k` failed connects, dropped or had DNS errors. */
  troubled(k: number): boolean {
    const at = k * PORT_COLUMNS;
    const h = this.health;
    return h[at + P_FAILURES]! > 0 || h[at + P_DROPS]! > 0 || h[at + P_DNS_ERRORS]! > 0;
  }

  /**
   * Entries grouped by edge (insertion order inside each group): entry numbers of edge e are
   * order[start[e]] .. order[start[e + 1] - 1].
   */
  byEdge(edges: number): { start: Int32Array; order: Int32Array } {
    const start = new Int32Array(edges + 1);
    for (let k = 0; k < this.count; k++) start[this.edge[k]! + 1]!++;
    for (let e = 0; e < edges; e++) start[e + 1]! += start[e]!;
    const fill = start.slice(0, edges);
    const order = new Int32Array(this.count);
    for (let k = 0; k < this.count; k++) order[fill[this.edge[k]!]!++] = k;
    return { start, order };
  }

  private grow(): void {
    const size = this.edge.length * 2;
    this.edge = grown(this.edge, new Int32Array(size));
    this.portId = grown(this.portId, new Int32Array(size));
    this.series = grown(this.series, new Int32Array(size));
    this.bytes = grown(this.bytes, new Float64Array(size));
    this.health = grown(this.health, new Float64Array(size * PORT_COLUMNS));
    this.slots = new Int32Array(size * 2);
    this.mask = size * 2 - 1;
    for (let k = 0; k < this.count; k++) {
      let h = hash(this.edge[k]!, this.portId[k]!) & this.mask;
      while (this.slots[h] !== 0) h = (h + 1) & this.mask;
      this.slots[h] = k + 1;
    }
  }
}

const INITIAL = 256;

function hash(edge: number, portId: number): number {
  return Math.imul(edge, 0x9e3779b1) ^ Math.imul(portId, 0x85ebca6b);
}

function grown<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
