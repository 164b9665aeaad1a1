import type { Endpoint } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { EP } from '../fixtures/labCluster.js';
import { MemoryShare } from '../memoryBudget.js';
import { EndpointInterner } from './endpointInterner.js';

/** A pod of the lab's, named `name` at `ip`. */
const pod = (name: string, ip: string): Endpoint => ({ ...EP.api1, name, workload: name, service: name, ip });

describe('EndpointInterner', () => {
  it('gives an endpoint the same id however often and as whatever object it comes', () => {
    const i = new EndpointInterner(100);
    const a = i.intern(pod('api', '10.0.0.1'));
    expect(i.intern({ ...pod('api', '10.0.0.1') })).toBe(a);
    // A pod's identity is its name: a new IP is the same endpoint, another pod at the IP is not.
    expect(i.intern(pod('api', '10.0.0.9')).id).toBe(a.id);
    expect(i.intern(pod('db', '10.0.0.1')).id).not.toBe(a.id);
  });

  it('interns a growing table only where it grew, and a new table in full', () => {
    const i = new EndpointInterner(100);
    const table = [pod('api', '10.0.0.1'), pod('db', '10.0.0.2')];
    const first = i.internTable(table);
    expect(first.map((e) => e.ep.name)).toEqual(['api', 'db']);
    table.push(pod('redis', '10.0.0.3'));
    const second = i.internTable(table);
    expect(second).toBe(first);
    expect(second.map((e) => e.ep.name)).toEqual(['api', 'db', 'redis']);
    const other = i.internTable([pod('redis', '10.0.0.3')]);
    expect(other).not.toBe(first);
    expect(other[0]).toBe(first[2]);
  });

  it('lets go of the old generation past its bound, with new ids for what comes back, and forgets tables', () => {
    const i = new EndpointInterner(4);
    const table = [pod('a', '10.0.0.1'), pod('b', '10.0.0.2')];
    const [a, b] = i.internTable(table);
    // The young generation holds half the bound: c turns it old.
    i.intern(pod('c', '10.0.0.3'));
    expect(i.size).toBe(3);
    // a, in use, moves back with its id; b does not, and goes at the next turn.
    expect(i.intern(pod('a', '10.0.0.1'))).toBe(a);
    i.intern(pod('d', '10.0.0.4'));
    expect(i.size).toBe(3);
    const again = i.internTable(table);
    expect(again).not.toEqual([a, b]);
    expect(again[0]).toBe(a);
    expect(again[1]!.id).toBeGreaterThan(b!.id);
  });

  it("keeps an endpoint's id through a flood of new ones as long as it is in use, within its bound", () => {
    const i = new EndpointInterner(100, 60_000);
    const api = i.intern(pod('api', '10.0.0.1'));
    const table = [pod('db', '10.0.0.2')];
    const [db] = i.internTable(table);
    for (let k = 0; k < 10_000; k++) {
      i.intern(pod(`flood-${k}`, `10.9.${k >> 8}.${k & 255}`));
      if (k % 20 === 0) {
        expect(i.intern(pod('api', '10.0.0.1'))).toBe(api);
        expect(i.internTable(table)[0]).toBe(db);
      }
      expect(i.size).toBeLessThanOrEqual(100);
      expect(i.bytes).toBeLessThanOrEqual(60_000);
    }
  });
});

describe('EndpointInterner memory share', () => {
  it('starts over past its bytes however few endpoints that is, and counts what it let go', () => {
    const share = new MemoryShare('endpoints', 1_000_000);
    const i = new EndpointInterner(1_000_000, 500_000, share);
    const ids = new Set<number>();
    for (let k = 0; k < 5_000; k++) {
      const long = `p${k}-${'x'.repeat(1_200)}`;
      ids.add(i.intern(pod(long, `10.1.${k >> 8}.${k & 255}`)).id);
      expect(i.bytes).toBeLessThanOrEqual(500_000);
    }
    // Ids stay unique across restarts, so no series can be confused with another.
    expect(ids.size).toBe(5_000);
    expect(share.evicted).toBeGreaterThan(0);
    expect(i.size + share.evicted).toBe(5_000);
  });
});
