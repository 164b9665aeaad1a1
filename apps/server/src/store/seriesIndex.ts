/**
 * Series by (client id, server id, portId), three small integers: open addressing over one Int32Array
 * with linear probing. The nested Maps it replaces hashed a key past the small-integer range
 * (server id * 2^19 + portId) as a heap number on every flow record, a sixth of ingest's time.
 * Client ids are the interner's, which start at 1, so a client id of 0 marks a free slot.
 */
export class SeriesIndex<T> {
  private keys = new Int32Array(3 * INITIAL);
  private values: (T | undefined)[] = new Array(INITIAL);
  private mask = INITIAL - 1;
  size = 0;

  get(client: number, server: number, portId: number): T | undefined {
    const keys = this.keys;
    const mask = this.mask;
    for (let h = hash(client, server, portId) & mask; ; h = (h + 1) & mask) {
      const c = keys[3 * h]!;
      if (c === 0) return undefined;
      if (c === client && keys[3 * h + 1] === server && keys[3 * h + 2] === portId) return this.values[h];
    }
  }

  /** Adds a key that isn't there yet. */
  add(client: number, server: number, portId: number, value: T): void {
    if ((this.size + 1) * 2 > this.values.length) this.rehash(this.values.length * 2);
    this.place(client, server, portId, value);
    this.size++;
  }

  delete(client: number, server: number, portId: number): void {
    const keys = this.keys;
    const mask = this.mask;
    let h = hash(client, server, portId) & mask;
    for (; ; h = (h + 1) & mask) {
      const c = keys[3 * h]!;
      if (c === 0) return;
      if (c === client && keys[3 * h + 1] === server && keys[3 * h + 2] === portId) break;
    }
    // Backward shift: later entries of the probe run move into the hole, so lookups need no tombstones.
    let hole = h;
    for (let j = (hole + 1) & mask; keys[3 * j] !== 0; j = (j + 1) & mask) {
      const home = hash(keys[3 * j]!, keys[3 * j + 1]!, keys[3 * j + 2]!) & mask;
      // Entry j may move to the hole unless its home lies cyclically in (hole, j].
      if (hole <= j ? home > hole && home <= j : home > hole || home <= j) continue;
      keys.copyWithin(3 * hole, 3 * j, 3 * j + 3);
      this.values[hole] = this.values[j];
      hole = j;
    }
    keys[3 * hole] = 0;
    this.values[hole] = undefined;
    this.size--;
  }

  private place(client: number, server: number, portId: number, value: T): void {
    const keys = this.keys;
    const mask = this.mask;
    let h = hash(client, server, portId) & mask;
    while (keys[3 * h] !== 0) h = (h + 1) & mask;
    keys[3 * h] = client;
    keys[3 * h + 1] = server;
    keys[3 * h + 2] = portId;
    this.values[h] = value;
  }

  private rehash(capacity: number): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Int32Array(3 * capacity);
    this.values = new Array(capacity);
    this.mask = capacity - 1;
    for (let h = 0; h < values.length; h++)
      if (keys[3 * h] !== 0) this.place(keys[3 * h]!, keys[3 * h + 1]!, keys[3 * h + 2]!, values[h]!);
  }
}

const INITIAL = 1024;

function hash(client: number, server: number, portId: number): number {
  const h = Math.imul(client, 0x9e3779b1) ^ Math.imul(server, 0x85ebca6b) ^ Math.imul(portId, 0xc2b2ae35);
  return h ^ (h >>> 15);
}
