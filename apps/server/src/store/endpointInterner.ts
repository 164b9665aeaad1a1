import type { Endpoint } from '@weft/protocol';
import type { MemoryShare } from '../memoryBudget.js';
import { endpointBytes } from './endpointBytes.js';
import { endpointKey } from './endpointKey.js';

export interface Interned {
  /** Small integer standing for the endpoint in series keys and service-port keys. */
  id: number;
  key: string;
  ep: Endpoint;
  /** levelNode(ep, 'namespace').id, worked out once when a series first names the endpoint. */
  namespaceNode: string | null;
}

function sameIdentity(a: Endpoint, b: Endpoint): boolean {
  return a.name === b.name && a.namespace === b.namespace && a.kind === b.kind && a.node === b.node;
}

/**
 * Every record names both ends in full; building and hashing their keys dominated ingest. The endpoint
 * last seen at an IP is almost always the one a record names, so a lookup by IP plus a few string
 * compares replaces the key building. Bounded: past `max` endpoints the tables start over (ids are
 * never reused, so a series key can't point at the wrong endpoint).
 */
export class EndpointInterner {
  private byIp = new Map<string, Interned>();
  private byKey = new Map<string, Interned>();
  /** What `internTable` has interned of each table, by its array (a connection's, which only grows). */
  private tables = new WeakMap<readonly Endpoint[], Interned[]>();
  private next = 1;
  /** Estimated bytes held: per endpoint its object, its key (twice: the string and a map entry), the IP. */
  bytes = 0;

  /**
   * Every endpoint of a batch's table, interned, index for index. A connection's table arrives again
   * with each of its batches, longer by what they added: only that part is interned.
   */
  internTable(endpoints: readonly Endpoint[]): Interned[] {
    let done = this.tables.get(endpoints);
    if (!done) {
      done = [];
      this.tables.set(endpoints, done);
    }
    for (let i = done.length; i < endpoints.length; i++) done.push(this.intern(endpoints[i]!));
    return done;
  }

  /**
   * Bounded by `max` endpoints and by `maxBytes` (endpoint names can be long: a count alone let 20,000
   * endpoints of ~1.4 KB outgrow a small heap); starting over is counted in `share.evicted`.
   */
  constructor(
    private readonly max: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
    private readonly share?: MemoryShare,
  ) {}

  intern(e: Endpoint): Interned {
    const hit = this.byIp.get(e.ip);
    if (hit && sameIdentity(hit.ep, e)) return hit;
    const key = endpointKey(e);
    let it = this.byKey.get(key);
    if (!it) {
      const bytes = endpointBytes(e) + 2 * key.length + 2 * e.ip.length + 160;
      if (this.byKey.size >= this.max || this.bytes + bytes > this.maxBytes) {
        if (this.share) this.share.evicted += this.byKey.size;
        this.byKey = new Map();
        this.byIp = new Map();
        this.tables = new WeakMap();
        this.bytes = 0;
      }
      it = { id: this.next++, key, ep: e, namespaceNode: null };
      this.byKey.set(key, it);
      this.bytes += bytes;
    }
    this.byIp.set(e.ip, it);
    return it;
  }

  get size(): number {
    return this.byKey.size;
  }
}
