import type { Endpoint } from '@weft/protocol';
import { endpointKey } from './endpointKey.js';

export interface Interned {
  /** Small integer standing for the endpoint in series keys and service-port keys. */
  id: number;
  key: string;
  ep: Endpoint;
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
  private next = 1;

  constructor(private readonly max: number) {}

  intern(e: Endpoint): Interned {
    const hit = this.byIp.get(e.ip);
    if (hit && sameIdentity(hit.ep, e)) return hit;
    const key = endpointKey(e);
    let it = this.byKey.get(key);
    if (!it) {
      if (this.byKey.size >= this.max) {
        this.byKey = new Map();
        this.byIp = new Map();
      }
      it = { id: this.next++, key, ep: e };
      this.byKey.set(key, it);
    }
    this.byIp.set(e.ip, it);
    return it;
  }

  get size(): number {
    return this.byKey.size;
  }
}
