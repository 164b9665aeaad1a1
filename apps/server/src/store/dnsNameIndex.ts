import type { DnsAddress, FlowDns } from '@weft/protocol';
import { MemoryShare } from '../memoryBudget.js';
import type { FlowNames } from './flowNames.js';

/** A name learned from an answer is kept for its TTL, but at least this long (clients cache longer)... */
export const NAME_MIN_MS = 2 * 60_000;
/** ...and at most this long (a TTL of days would pin a name that long). */
export const NAME_MAX_MS = 60 * 60_000;
/** A query's name for its own flow (to or from port 53): its packets come within seconds. */
export const QUERY_MS = 60_000;
const DNS_PORT = 53;
/** Estimated bytes of an entry besides its key's characters (the map entry and its object). */
const ENTRY_BYTES = 96;

/** What a DNS record teaches (DnsRecord's fields, the ends as addresses). */
export interface DnsLesson {
  ts: number;
  client: string;
  cport?: number;
  server: string;
  qname: string;
  qtype: string;
  rcode: string;
  addrs?: readonly DnsAddress[];
}

interface Learned {
  id: number;
  until: number;
  /** An answered address's entry: its client and address, where `byClient` holds it. */
  client?: string;
  addr?: string;
}

/** An entry as a snapshot keeps it: key, name, until. */
export type DnsNameEntry = [string, FlowDns, number];

/**
 * The names flows are known by, learned from DNS records: per client, each address an answer gave it ->
 * the name it asked for (a flow from that client to that address carries it), and per query (client,
 * its port, the server) -> the query's name, type and rcode (the DNS flow itself carries those).
 * Entries expire (the answer's TTL within NAME_MIN_MS..NAME_MAX_MS; QUERY_MS for queries), judged by
 * the records' own times so that a replayed journal learns and forgets as the live store did. Bounded
 * in bytes by its MemoryShare (the names it holds included): past it, the entries learned longest ago
 * go first, counted in `share.evicted`.
 */
export class DnsNameIndex {
  private entries = new Map<string, Learned>();
  /**
   * The address entries again, by client then address: a flow's lookup uses its endpoints' own address
   * strings (whose hashes V8 keeps), where building a key string per flow cost most of the lookup.
   */
  private byClient = new Map<string, Map<string, Learned>>();
  private keyBytes = 0;

  constructor(
    private readonly names: FlowNames,
    private readonly share = new MemoryShare('names', Number.POSITIVE_INFINITY),
  ) {}

  get size(): number {
    return this.entries.size;
  }

  learn(q: DnsLesson): void {
    const query: FlowDns = { name: q.qname, qtype: q.qtype, rcode: q.rcode };
    if (q.cport !== undefined) this.set(`q${q.client}|${q.cport}|${q.server}`, query, q.ts + QUERY_MS);
    if (q.addrs && q.addrs.length > 0 && q.qname !== '') {
      const name: FlowDns = { name: q.qname };
      for (const a of q.addrs) {
        const keep = Math.min(NAME_MAX_MS, Math.max(NAME_MIN_MS, a.ttl * 1000));
        this.set(`a${q.client}|${a.ip}`, name, q.ts + keep, q.client, a.ip);
      }
    }
    this.bound();
  }

  /**
   * The name id (0: none) for a flow at `ts`: its query's for a DNS flow, else the name its source
   * learned for its destination. Not held for the caller: the flow ring retains what it keeps.
   */
  forFlow(src: string, sport: number, dst: string, dport: number, ts: number): number {
    const e =
      dport === DNS_PORT
        ? this.entries.get(`q${src}|${sport}|${dst}`)
        : sport === DNS_PORT
          ? this.entries.get(`q${dst}|${dport}|${src}`)
          : this.byClient.get(src)?.get(dst);
    return e !== undefined && ts <= e.until ? e.id : 0;
  }

  /** Lets go of the entries learned longest ago that have expired by `now` (record time). */
  expire(now: number): void {
    for (const [key, e] of this.entries) {
      if (e.until >= now) break;
      this.drop(key, e);
    }
  }

  state(): DnsNameEntry[] {
    return [...this.entries].map(([k, e]) => [k, this.names.get(e.id)!, e.until]);
  }

  restore(entries: readonly DnsNameEntry[]): void {
    for (const [key, name, until] of entries) {
      // An address entry's key is a<client>|<address> (addresses hold no '|').
      const bar = key.lastIndexOf('|');
      if (key.startsWith('a') && bar > 0) this.set(key, name, until, key.slice(1, bar), key.slice(bar + 1));
      else this.set(key, name, until);
    }
    this.bound();
  }

  private set(key: string, d: FlowDns, until: number, client?: string, addr?: string): void {
    const old = this.entries.get(key);
    const id = this.names.hold(d);
    if (old !== undefined) {
      // Learned again: it moves to the newest end (expire() and bound() go from the oldest).
      this.entries.delete(key);
      this.names.release(old.id);
      until = Math.max(until, old.until);
    } else this.keyBytes += ENTRY_BYTES + key.length * 2;
    const e: Learned = { id, until, client, addr };
    this.entries.set(key, e);
    if (client !== undefined && addr !== undefined) {
      let m = this.byClient.get(client);
      if (m === undefined) {
        m = new Map();
        this.byClient.set(client, m);
      }
      m.set(addr, e);
    }
  }

  private drop(key: string, e: Learned): void {
    this.entries.delete(key);
    this.keyBytes -= ENTRY_BYTES + key.length * 2;
    this.names.release(e.id);
    if (e.client !== undefined && e.addr !== undefined) {
      const m = this.byClient.get(e.client);
      if (m?.get(e.addr) === e) {
        m.delete(e.addr);
        if (m.size === 0) this.byClient.delete(e.client);
      }
    }
  }

  private bound(): void {
    this.share.used = this.keyBytes + this.names.bytes;
    if (!this.share.over) return;
    for (const [key, e] of this.entries) {
      this.drop(key, e);
      this.share.evicted++;
      this.share.used = this.keyBytes + this.names.bytes;
      if (!this.share.over) break;
    }
  }
}
