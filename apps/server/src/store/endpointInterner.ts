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

interface Generation {
  byIp: Map<string, Interned>;
  byKey: Map<string, Interned>;
  bytes: number;
}

const generation = (): Generation => ({ byIp: new Map(), byKey: new Map(), bytes: 0 });

/**
 * Every record names both ends in full; building and hashing their keys dominated ingest. The endpoint
 * last seen at an IP is almost always the one a record names, so a lookup by IP plus a few string
 * compares replaces the key building. Bounded in count and bytes by two generations: new endpoints go
 * into the young one; when it holds half the bound, the old one is let go and the young one becomes
 * old. An endpoint found in the old generation moves back to the young one as the same object, so an
 * endpoint in use keeps its id through any number of turns, and so do the series keyed by it: when
 * the tables started over instead, a flood of new names gave every quiet node's endpoints new ids and
 * their edges new series at each restart. Ids are never reused, so a series key can't point at the
 * wrong endpoint.
 */
export class EndpointInterner {
  private young = generation();
  private old = generation();
  /** What `internTable` has interned of each table, by its array (a connection's, which only grows). */
  private tables = new WeakMap<readonly Endpoint[], Interned[]>();
  private next = 1;
  /** Of the old generation, the endpoints moved back to the young one (not let go at the next turn). */
  private moved = 0;

  /** Estimated bytes held: per endpoint its object, its key (twice: the string and a map entry), the IP. */
  get bytes(): number {
    return this.young.bytes + this.old.bytes;
  }

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
   * endpoints of ~1.4 KB outgrow a small heap); endpoints let go are counted in `share.evicted`.
   */
  constructor(
    private readonly max: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
    private readonly share?: MemoryShare,
  ) {}

  intern(e: Endpoint): Interned {
    const y = this.young;
    const hit = y.byIp.get(e.ip);
    if (hit && sameIdentity(hit.ep, e)) return hit;
    const key = endpointKey(e);
    let it = y.byKey.get(key);
    if (!it) {
      it = this.old.byKey.get(key);
      if (it) this.moved++;
      else it = { id: this.next++, key, ep: e, namespaceNode: null };
      this.add(it, key);
    }
    this.young.byIp.set(e.ip, it);
    return it;
  }

  private add(it: Interned, key: string): void {
    const bytes = endpointBytes(it.ep) + 2 * key.length + 2 * it.ep.ip.length + 160;
    if (this.young.byKey.size >= this.max / 2 || this.young.bytes + bytes > this.maxBytes / 2) this.turn();
    this.young.byKey.set(key, it);
    this.young.bytes += bytes;
  }

  /**
   * The old generation goes. Tables interned before are forgotten too: interned again, their endpoints
   * still in use come back from the old generation with their ids.
   */
  private turn(): void {
    if (this.share) this.share.evicted += this.old.byKey.size - this.moved;
    this.old = this.young;
    this.young = generation();
    this.moved = 0;
    this.tables = new WeakMap();
  }

  /** The endpoint last seen at an address (a pod's IPv4 and IPv6 both name it), or null. */
  at(ip: string): Endpoint | null {
    return (this.young.byIp.get(ip) ?? this.old.byIp.get(ip))?.ep ?? null;
  }

  /** Every endpoint held, the old generation's first (a snapshot interns them again in this order). */
  held(): Interned[] {
    const out = [...this.old.byKey.values()].filter((it) => this.young.byKey.get(it.key) !== it);
    for (const it of this.young.byKey.values()) out.push(it);
    return out;
  }

  /** Endpoints held, in either generation. */
  get size(): number {
    return this.young.byKey.size + this.old.byKey.size - this.moved;
  }
}
