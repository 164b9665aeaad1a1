import { MAX_BATCH_RECORDS, type ProbeRecord } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { IntervalAggregator } from './aggregator.js';
import { clusterInventory, connect, dns, drop, flow, IP } from './fixtures/clusterFixture.js';
import { flowHash } from './flowHash.js';
import { IdentityTable } from './identity/identityTable.js';
import { applyInventory } from './identity/inventorySource.js';

function setup(node = 'node-a', maxRecords?: number) {
  const table = new IdentityTable({ node });
  applyInventory(table, clusterInventory(), 0);
  return new IntervalAggregator({ resolver: table, ...(maxRecords ? { maxRecords } : {}) }, 1000);
}

describe('IntervalAggregator', () => {
  it('folds flows of one interval per 5-tuple and direction, naming both ends', () => {
    const a = setup();
    const f1 = flow(IP.frontend, IP.api0, 'egress', 1000, 10, 1100);
    a.add(f1);
    a.add({ ...f1, bytes: 500, packets: 5, tcp_flags: 0x01 });
    a.add({ ...f1, dir: 'ingress' });
    const r = a.flush(2000);
    expect(r.start).toBe(1000);
    expect(r.end).toBe(2000);
    expect(r.flows).toHaveLength(2);
    const eg = r.flows.find((f) => f.dir === 'egress')!;
    expect(eg).toMatchObject({ bytes: 1500, packets: 15, tcpFlags: 0x19, ts: 2000 });
    expect(eg.src.name).toBe('frontend-abc123');
    expect(eg.dst.name).toBe('api-7f9c-0');
    expect(r.records.flow).toBe(3);
    const next = a.flush(3000);
    expect(next.flows).toHaveLength(0);
    expect(next.start).toBe(2000);
  });

  it('keeps two flows apart when their hashes collide, and folds each one', () => {
    const a = setup();
    const one = { ...flow('10.244.1.128', '10.244.2.7', 'egress', 100, 1, 1100), sport: 2977 };
    const two = { ...flow('10.244.1.36', '10.244.2.7', 'egress', 1000, 10, 1100), sport: 4106 };
    expect(flowHash(one)).toBe(flowHash(two));
    for (const r of [one, two, one, two, two]) a.add(r);
    const r = a.flush(2000);
    expect(r.flows.map((f) => [f.src.ip, f.sport, f.bytes, f.packets]).sort()).toEqual([
      ['10.244.1.128', 2977, 200, 2],
      ['10.244.1.36', 4106, 3000, 30],
    ]);
  });

  it('leaves link-level control traffic out (neighbour discovery is not the world)', () => {
    const a = setup();
    a.add(flow('fe80::1', 'ff02::2', 'egress', 70, 1, 1100));
    a.add(flow(IP.frontend, '224.0.0.251', 'egress', 90, 1, 1100));
    a.add(drop('fe80::1', 'fe80::2', 'NO_SOCKET', 1, 1100));
    a.add(flow(IP.frontend, IP.api0, 'egress', 1000, 10, 1100));
    const r = a.flush(2000);
    expect(r.flows).toHaveLength(1);
    expect(r.drops).toHaveLength(0);
    expect(r.skipped).toBe(3);
  });

  it('labels drops with the seed reason, derives direction from the local pod, ignores routine frees', () => {
    const a = setup();
    a.add(drop(IP.frontend, IP.db, 'NETFILTER_DROP', 3, 1100));
    a.add(drop(IP.frontend, IP.db, 'NETFILTER_DROP', 2, 1200));
    a.add(drop(IP.world, IP.api0, 'NO_SOCKET', 1, 1200));
    a.add(drop(IP.frontend, IP.db, 'NOT_SPECIFIED', 9, 1200));
    a.add(drop(IP.frontend, IP.db, 'SOCKET_CLOSE', 9, 1200));
    const r = a.flush(2000);
    expect(r.drops).toHaveLength(2);
    const policy = r.drops.find((d) => d.reason === 'policy_drop')!;
    expect(policy).toMatchObject({ dir: 'egress', kernelReason: 'NETFILTER_DROP', packets: 5, bytes: 300 });
    expect(r.drops.find((d) => d.reason === 'no_socket')).toMatchObject({ dir: 'ingress' });
  });

  it('keeps host-wide events only on the node that owns them (no double count across collectors)', () => {
    const recs: ProbeRecord[] = [
      connect(IP.frontend, IP.db, false, 1100), // node-a -> node-b: node-a's
      connect(IP.db, IP.api0, true, 1100), // node-b -> node-a: node-b's
      connect(IP.world, IP.api0, true, 1100), // world -> node-a: node-a's
      connect(IP.prometheus, IP.db, true, 1100), // both on node-b
      dns(IP.frontend, 'api.production.svc', 'NOERROR', 900, 1100),
      dns(IP.db, 'x.example', 'NXDOMAIN', 900, 1100),
    ];
    const a = setup('node-a');
    const b = setup('node-b');
    for (const r of recs) {
      a.add(r);
      b.add(r);
    }
    const ra = a.flush(2000);
    const rb = b.flush(2000);
    expect(ra.tcp.map((t) => t.src.name)).toEqual(['frontend-abc123', 'world']);
    expect(rb.tcp.map((t) => t.src.name)).toEqual(['db-0', 'prometheus-0']);
    expect(ra.dns.map((d) => d.client.name)).toEqual(['frontend-abc123']);
    expect(rb.dns.map((d) => d.client.name)).toEqual(['db-0']);
    expect(ra.skipped + rb.skipped).toBe(recs.length);
  });

  it("counts a drop in its own kernel whichever end is local: the sender's node never sees it", () => {
    // node-b's db sends to node-a's frontend and node-a's kernel drops it (an ingress policy)
    const a = setup('node-a');
    a.add(drop(IP.db, IP.frontend, 'NETFILTER_DROP', 2, 1100));
    // two pods of node-b, dropped in node-b's kernel: not node-a's to count (and not seen there)
    a.add(drop(IP.db, IP.prometheus, 'NETFILTER_DROP', 1, 1100));
    const r = a.flush(2000);
    expect(r.drops.map((d) => [d.src.name, d.dst.name, d.dir, d.packets])).toEqual([
      ['db-0', 'frontend-abc123', 'ingress', 2],
    ]);
    expect(r.skipped).toBe(1);
  });

  it('where nodes share a kernel, counts each drop once: on the node whose pod it happened in', () => {
    const ROOT = 1;
    const NS_FRONTEND = 10; // node-a's pod
    const NS_DB = 20; // node-b's pod
    const NS_API = 30; // node-a's pod
    const places = (pods: Record<number, string>) => ({
      shared: true,
      root: ROOT,
      podAt: (i: number) => pods[i],
    });
    const table = (node: string) => {
      const t = new IdentityTable({ node });
      applyInventory(t, clusterInventory(), 0);
      return t;
    };
    const a = new IntervalAggregator(
      {
        resolver: table('node-a'),
        dropPlaces: places({
          [NS_FRONTEND]: 'production/frontend-abc123',
          [NS_API]: 'production/api-7f9c-0',
        }),
      },
      1000,
    );
    const b = new IntervalAggregator(
      { resolver: table('node-b'), dropPlaces: places({ [NS_DB]: 'production/db-0' }) },
      1000,
    );
    const recs: ProbeRecord[] = [
      // db (node-b) -> frontend (node-a), dropped in frontend's namespace: node-a's, on the way in
      { ...drop(IP.db, IP.frontend, 'NETFILTER_DROP', 2, 1100), netns: NS_FRONTEND },
      // frontend (node-a) -> db (node-b), refused in db's namespace: node-b's
      { ...drop(IP.frontend, IP.db, 'NO_SOCKET', 1, 1100), netns: NS_DB },
      // frontend -> api, both node-a's: an ingress policy on api drops it in api's namespace
      { ...drop(IP.frontend, IP.api0, 'NETFILTER_DROP', 6, 1100), netns: NS_API },
      // ... and an egress policy on frontend in frontend's
      { ...drop(IP.frontend, IP.api0, 'NETFILTER_DROP', 7, 1100), netns: NS_FRONTEND },
      // on the host side or unplaced: the sender's node (the ownership rule both apply alike)
      { ...drop(IP.db, IP.frontend, 'IP_NOPROTO', 4, 1100), netns: ROOT },
      drop(IP.frontend, IP.db, 'TCP_OLD_SEQUENCE', 3, 1100),
      // in a namespace of no node's pods (the world's): nobody's
      { ...drop(IP.frontend, IP.world, 'NO_SOCKET', 5, 1100), netns: 99 },
    ];
    for (const r of recs) {
      a.add(r);
      b.add(r);
    }
    const ra = a.flush(2000);
    const rb = b.flush(2000);
    const show = (d: { kernelReason: string; packets: number; dir: string }) =>
      `${d.kernelReason}:${d.packets}:${d.dir}`;
    expect(ra.drops.map(show).sort()).toEqual([
      'NETFILTER_DROP:2:ingress',
      'NETFILTER_DROP:6:ingress',
      'NETFILTER_DROP:7:egress',
      'TCP_OLD_SEQUENCE:3:egress',
    ]);
    expect(rb.drops.map(show).sort()).toEqual(['IP_NOPROTO:4:egress', 'NO_SOCKET:1:ingress']);
    expect(ra.skipped + rb.skipped).toBe(2 * recs.length - 6);
  });

  it('without places every drop naming a local pod is kept (one kernel per node)', () => {
    const t = new IdentityTable({ node: 'node-a' });
    applyInventory(t, clusterInventory(), 0);
    const a = new IntervalAggregator(
      { resolver: t, dropPlaces: { shared: false, root: 1, podAt: () => undefined } },
      1000,
    );
    a.add({ ...drop(IP.db, IP.frontend, 'NETFILTER_DROP', 1, 1100), netns: 5 });
    expect(a.flush(2000).drops).toHaveLength(1);
  });

  it('carries connect outcome, latency and cause', () => {
    const a = setup();
    a.add(connect(IP.frontend, IP.apiService, true, 1100, 1234));
    a.add(connect(IP.frontend, IP.apiService, false, 1200));
    const [ok, fail] = a.flush(2000).tcp;
    expect(ok).toMatchObject({ outcome: 'ok', latencyUs: 1234, ts: 1100 });
    expect(ok!.dst).toMatchObject({ kind: 'service', service: 'api-service' });
    expect(fail).toMatchObject({ outcome: 'fail', cause: 'refused' });
    expect(fail!.latencyUs).toBeUndefined();
  });

  it('turns the probe cumulative loss counters into per-interval losses, across a probe restart', () => {
    const a = setup();
    const stats = (o: number, l: number): ProbeRecord => ({
      type: 'stats',
      ts: 1,
      flow_overflow: o,
      ring_lost: l,
      links: 3,
    });
    a.add(stats(5, 1));
    a.add(stats(8, 1));
    expect(a.flush(2000).lost).toEqual({ probe_map_overflow: 8, probe_ring: 1 });
    a.add({ type: 'hello', ts: 2, version: 1, hooks: ['tc:wco0'], kernel: '6.18' });
    a.add(stats(2, 0));
    expect(a.flush(3000).lost).toEqual({ probe_map_overflow: 2 });
    expect(a.hooks).toEqual(['tc:wco0']);
    expect(a.links).toBe(3);
  });

  it('turns the probe cumulative DNS mismatch count into per-interval counts, across a probe restart', () => {
    const a = setup();
    const stats = (m?: number): ProbeRecord => ({
      type: 'stats',
      ts: 1,
      flow_overflow: 0,
      ring_lost: 0,
      links: 1,
      ...(m === undefined ? {} : { dns_mismatch: m }),
    });
    a.add(stats(2));
    a.add(stats(5));
    expect(a.flush(2000).dnsMismatch).toBe(5);
    a.add(stats(5));
    a.add(stats());
    expect(a.flush(3000).dnsMismatch).toBe(0);
    a.add({ type: 'hello', ts: 2, version: 1, hooks: [], kernel: '6.18' });
    a.add(stats(1));
    const r = a.flush(4000);
    expect(r.dnsMismatch).toBe(1);
    expect(r.lost).toEqual({});
  });

  it('bounds an interval and counts what did not fit', () => {
    const a = setup('node-a', 10);
    for (let i = 0; i < 25; i++) a.add(flow(IP.frontend, IP.api0, 'egress', 1, 1, 1100));
    const r = a.flush(2000);
    expect(r.flows).toHaveLength(10);
    expect(r.lost.batch_limit).toBe(15);
    expect(MAX_BATCH_RECORDS).toBeGreaterThan(10);
  });

  it('keeps hostile DNS names and types bounded', () => {
    const a = setup();
    a.add({
      ...(dns(IP.frontend, 'x'.repeat(255), 'NOERROR', 10, 1100) as object),
      qtype: 'Q'.repeat(40),
    } as ProbeRecord);
    const [d] = a.flush(2000).dns;
    expect(d!.qname).toHaveLength(255);
    expect(d!.qtype).toHaveLength(16);
  });
});
