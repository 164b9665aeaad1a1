import { describe, expect, it } from 'vitest';
import { MemoryShare } from '../memoryBudget.js';
import { DnsNameIndex, NAME_MAX_MS, NAME_MIN_MS, QUERY_MS } from './dnsNameIndex.js';
import { FlowNames } from './flowNames.js';

const T = 1_000_000;
const lesson = (over: Partial<Parameters<DnsNameIndex['learn']>[0]> = {}) => ({
  ts: T,
  client: '10.0.0.1',
  cport: 40000,
  server: '10.0.0.53',
  qname: 'api.example.com',
  qtype: 'A',
  rcode: 'NOERROR',
  addrs: [{ ip: '192.0.2.7', ttl: 300 }],
  ...over,
});

describe('DnsNameIndex', () => {
  it('names a client’s flows to an answered address, and the DNS flow itself, both ways', () => {
    const names = new FlowNames();
    const ix = new DnsNameIndex(names);
    ix.learn(lesson());
    const name = (id: number) => names.get(id);
    expect(name(ix.forFlow('10.0.0.1', 51000, '192.0.2.7', 443, T + 1000))).toEqual({
      name: 'api.example.com',
    });
    // another client did not ask: its flow to the address has no name
    expect(ix.forFlow('10.0.0.2', 51000, '192.0.2.7', 443, T)).toBe(0);
    expect(name(ix.forFlow('10.0.0.1', 40000, '10.0.0.53', 53, T))).toEqual({
      name: 'api.example.com',
      qtype: 'A',
      rcode: 'NOERROR',
    });
    expect(name(ix.forFlow('10.0.0.53', 53, '10.0.0.1', 40000, T))).toMatchObject({ rcode: 'NOERROR' });
    expect(ix.forFlow('10.0.0.1', 40001, '10.0.0.53', 53, T)).toBe(0);
  });

  it('keeps a name for its TTL within its bounds, a query’s for QUERY_MS, and forgets them after', () => {
    const ix = new DnsNameIndex(new FlowNames());
    ix.learn(
      lesson({
        addrs: [
          { ip: '192.0.2.1', ttl: 5 },
          { ip: '192.0.2.2', ttl: 86_400 },
        ],
      }),
    );
    expect(ix.forFlow('10.0.0.1', 1, '192.0.2.1', 2, T + NAME_MIN_MS)).not.toBe(0);
    expect(ix.forFlow('10.0.0.1', 1, '192.0.2.1', 2, T + NAME_MIN_MS + 1)).toBe(0);
    expect(ix.forFlow('10.0.0.1', 1, '192.0.2.2', 2, T + NAME_MAX_MS)).not.toBe(0);
    expect(ix.forFlow('10.0.0.1', 1, '192.0.2.2', 2, T + NAME_MAX_MS + 1)).toBe(0);
    expect(ix.forFlow('10.0.0.1', 40000, '10.0.0.53', 53, T + QUERY_MS + 1)).toBe(0);
    expect(ix.size).toBe(3);
    ix.expire(T + NAME_MIN_MS + 1);
    // expiry goes from the entry learned first (the query, then the short TTL) to the first still good
    expect(ix.size).toBe(1);
    ix.expire(T + NAME_MAX_MS + 1);
    expect(ix.size).toBe(0);
  });

  it('stays within its share, letting the oldest go and counting them; names go with their last holder', () => {
    const share = new MemoryShare('names', 20_000);
    const names = new FlowNames();
    const ix = new DnsNameIndex(names, share);
    for (let i = 0; i < 1000; i++)
      ix.learn(
        lesson({
          qname: `n${i}.${'x'.repeat(200)}`,
          cport: i,
          addrs: [{ ip: `192.0.${i >> 8}.${i & 255}`, ttl: 60 }],
        }),
      );
    expect(share.used).toBeLessThanOrEqual(share.limit);
    expect(share.evicted).toBeGreaterThan(0);
    expect(ix.size).toBeLessThan(2000);
    // the newest is still known, the oldest not
    expect(ix.forFlow('10.0.0.1', 1, '192.0.3.231', 2, T)).not.toBe(0);
    expect(ix.forFlow('10.0.0.1', 1, '192.0.0.0', 2, T)).toBe(0);
    expect(names.size).toBeLessThanOrEqual(ix.size);
  });

  it('comes back from its state as it was', () => {
    const a = new DnsNameIndex(new FlowNames());
    a.learn(lesson());
    const names = new FlowNames();
    const b = new DnsNameIndex(names);
    b.restore(JSON.parse(JSON.stringify(a.state())));
    expect(b.state()).toEqual(a.state());
    expect(names.get(b.forFlow('10.0.0.1', 1, '192.0.2.7', 2, T))).toEqual({ name: 'api.example.com' });
  });
});
