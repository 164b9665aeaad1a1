import type { FlowDns } from '@weft/protocol';

/** Estimated bytes of one held name besides its strings (its object, map entry and slots). */
const ENTRY_BYTES = 120;

/**
 * The DNS names flow rows carry, each held once and named by a small number (a row's name is an id in
 * an Int32Array column of the flow ring, not an object per row). Ids are counted references: the name
 * index and every ring slot naming one hold it, and it goes (its id free for reuse) when the last lets
 * go. Id 0 is "no name".
 */
export class FlowNames {
  private readonly ids = new Map<string, number>();
  private readonly names: (FlowDns | undefined)[] = [undefined];
  private readonly keys: string[] = [''];
  private readonly refs: number[] = [0];
  private readonly free: number[] = [];
  /** Estimated bytes of the names held. */
  bytes = 0;

  /** The id of `d` with one more reference (a new one if not held). */
  hold(d: FlowDns): number {
    const key = d.qtype === undefined ? d.name : `${d.name}\u0000${d.qtype}\u0000${d.rcode ?? ''}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.free.pop() ?? this.names.length;
      this.names[id] = Object.freeze({ ...d });
      this.keys[id] = key;
      this.refs[id] = 0;
      this.ids.set(key, id);
      this.bytes += ENTRY_BYTES + key.length * 4;
    }
    this.refs[id]!++;
    return id;
  }

  /** One more reference to a held id (0: nothing). */
  retain(id: number): void {
    if (id !== 0) this.refs[id]!++;
  }

  /** One reference fewer (0: nothing); the last one lets the name go. */
  release(id: number): void {
    if (id === 0 || --this.refs[id]! > 0) return;
    const key = this.keys[id]!;
    this.ids.delete(key);
    this.bytes -= ENTRY_BYTES + key.length * 4;
    this.names[id] = undefined;
    this.keys[id] = '';
    this.free.push(id);
  }

  get(id: number): FlowDns | undefined {
    return this.names[id];
  }

  /** Names held now. */
  get size(): number {
    return this.ids.size;
  }

  /** Ids ever handed out (an array indexed by id needs this length). */
  get idLimit(): number {
    return this.names.length;
  }
}
