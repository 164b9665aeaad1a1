import { readFileSync } from 'node:fs';
import { type Endpoint, IngestBatch } from '@weft/protocol';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { CONVERSATIONS, expectedNamespaceRates, labBatches, T0 } from '../fixtures/labBatches.js';
import { EP, N1, N2 } from '../fixtures/labCluster.js';
import { filter, testStore } from '../fixtures/testStore.js';
import { queryDns } from './dnsQuery.js';
import { queryDrops } from './dropsQuery.js';
import { EdgeBucket } from './edgeBucket.js';
import { queryFlows } from './flowsQuery.js';
import { queryGraph } from './graphQuery.js';
import { IDLE_GRAIN_MS } from './idleOrder.js';
import type { EdgeSeries } from './series.js';
import {
  EVICTION_SLICE,
  EVICTIONS_PER_STEP,
  PRUNE_MIN_SLICE,
  PRUNE_ROUND_STEPS,
  type Store,
} from './store.js';
import { queryTimeseries } from './timeseriesQuery.js';

const opts = { maxNodes: 150, simulated: false };
const recorded = JSON.parse(
  readFileSync(new URL('../fixtures/recorded-lab-batches.json', import.meta.url), 'utf8'),
) as { node: string; batch: unknown }[];

describe('recorded fixtures', () => {
  it('are valid IngestBatch messages', () => {
    const check = Compile(IngestBatch);
    expect(recorded.length).toBe(6);
    for (const r of recorded) expect(check.Errors(r.batch)).toEqual([]);
    for (const b of labBatches({ seconds: 2, policyDropsPerSec: 3, nxdomainPerSec: 1, refusedPerSec: 1 }))
      expect(check.Check(b)).toBe(true);
  });
});

describe('Store: counting rule', () => {
  it('counts each packet once when both ends are watched, with rates as sent', () => {
    const { store, clock, feed } = testStore();
    feed(labBatches({ seconds: 60 }));
    const win = { start: T0, end: clock.now };
    const g = queryGraph(store, filter({ level: 'namespace' }), win, opts);
    const expected = expectedNamespaceRates();
    for (const [key, rate] of expected) {
      const e = g.edges.find((x) => x.id === key);
      expect(e, key).toBeDefined();
      expect(e!.bytesPerSec).toBeCloseTo(rate, 0);
    }
    // The rest is DNS (queries without flow records in this fixture).
    expect(g.edges.filter((e) => e.bytesPerSec > 0)).toHaveLength(expected.size);
    const prod = g.edges.find((e) => e.id === 'ns:production->ns:production')!;
    expect(prod.ports.map((p) => `${p.port}/${p.proto}`).sort()).toEqual(['5432/tcp', '6379/tcp', '80/tcp']);
    expect(prod.ports[0]!.port).toBe(80);
  });

  it('uses ingress observations when the sender is on a node without a collector', () => {
    const { store, clock, feed } = testStore({}, [N1]);
    // Only node 1's collector runs: frontend-2 (node 2) -> api-1 (node 1) is seen only entering api-1.
    const batches = labBatches({ seconds: 30, nodes: [N1] });
    feed(batches, [N1]);
    const g = queryGraph(store, filter({ level: 'pod' }), { start: T0, end: clock.now }, opts);
    const cross = g.edges.find(
      (e) =>
        e.source === `pod:production/${EP.frontend2.name}` && e.target === `pod:production/${EP.api1.name}`,
    );
    const conv = CONVERSATIONS[1]!;
    expect(cross!.bytesPerSec).toBeCloseTo(conv.reqBytes + conv.respBytes, 0);
  });

  it('shows a 10 MB transfer between two nodes as 10 MB, not 20', () => {
    const { store, clock, feed } = testStore();
    const tenMb = 10 * 1024 * 1024;
    const conversations = [
      {
        client: EP.frontend2,
        server: EP.db,
        sport: 47000,
        dport: 5432,
        proto: 'tcp' as const,
        reqBytes: tenMb,
        respBytes: 0,
        reqPackets: 7200,
        respPackets: 0,
      },
    ];
    feed(labBatches({ seconds: 1, conversations, connectsPerSec: 0 }));
    const g = queryGraph(store, filter({ level: 'pod' }), { start: T0, end: clock.now }, opts);
    const e = g.edges.find((x) => x.target === `pod:production/db-0`)!;
    expect(e.source).toBe(`pod:production/${EP.frontend2.name}`);
    expect(e.bytesPerSec).toBe(tenMb);
    expect(e.packetsPerSec).toBe(7200);
  });

  it('folds replies into the client -> server edge (frontend -> api 80/TCP)', () => {
    const { store, clock, feed } = testStore();
    feed(labBatches({ seconds: 5 }));
    const g = queryGraph(store, filter({ level: 'workload' }), { start: T0, end: clock.now }, opts);
    const e = g.edges.find((x) => x.id === 'wl:production/frontend->wl:production/api')!;
    // The port's own connects: all the edge's (its one port).
    expect(e.ports).toEqual([
      { port: 80, proto: 'tcp', bytesPerSec: 2 * (2560 + 38400), tcpConnects: e.tcpConnects },
    ]);
    expect(e.tcpConnects).toBeGreaterThan(0);
    expect(
      g.edges.find((x) => x.source === 'wl:production/api' && x.target === 'wl:production/frontend'),
    ).toBeUndefined();
    expect(g.nodes.find((n) => n.id === 'wl:production/api')!.parent).toBe('ns:production');
    expect(g.nodes.find((n) => n.id === 'wl:kube-system/coredns')!.dns).toBe(true);
  });
});

describe('Store: queries', () => {
  it('merges connect latency histograms across pods and reports TCP outcomes', () => {
    const { store, clock, feed } = testStore();
    feed(labBatches({ seconds: 10, refusedPerSec: 2 }));
    const g = queryGraph(store, filter({ level: 'namespace' }), { start: T0, end: clock.now }, opts);
    const prod = g.edges.find((e) => e.id === 'ns:production->ns:production')!;
    expect(prod.tcpConnects).toBe(20);
    expect(prod.tcpFailures).toBe(0);
    expect(prod.connectLatencyP95Ms).toBeGreaterThan(2.7);
    expect(prod.connectLatencyP95Ms).toBeLessThan(3.3);
    expect(prod.rttMs).toBeCloseTo(0.4, 3);
    const mon = g.edges.find((e) => e.id === 'ns:monitoring->ns:production')!;
    expect(mon.tcpFailures).toBe(20);
  });

  it('reports drops by reason, direction and pair', () => {
    const { store, clock, feed } = testStore();
    feed(labBatches({ seconds: 10, policyDropsPerSec: 4 }));
    const d = queryDrops(store, filter(), { start: T0, end: clock.now });
    expect(d.packets).toBe(40);
    expect(d.byReason).toEqual([{ reason: 'policy_drop', packets: 40, bytes: 2400 }]);
    expect(d.byDirection).toEqual([{ direction: 'ingress', packets: 40 }]);
    expect(d.topPairs[0]).toMatchObject({
      source: `production/${EP.legacy.name}`,
      destination: `production/${EP.api1.name}`,
      reason: 'policy_drop',
    });
    const g = queryGraph(
      store,
      filter({ level: 'workload', verdict: 'dropped' }),
      { start: T0, end: clock.now },
      opts,
    );
    expect(g.edges.map((e) => e.id)).toEqual(['wl:production/legacy-worker->wl:production/api']);
    expect(g.edges[0]!.dropReasons).toEqual({ policy_drop: 4 });
    expect(queryDrops(store, filter({ reason: 'no_socket' }), { start: T0, end: clock.now }).packets).toBe(0);
  });

  it('reports DNS per client with failing names, counting a transaction seen twice once', () => {
    const { store, clock, feed } = testStore();
    const batches = labBatches({ seconds: 10, nxdomainPerSec: 3 });
    // Client and resolver share node 1: the probe sees the answer on both veths.
    for (const b of batches) b.dns = [...b.dns, ...b.dns.filter((q) => q.client.node === N1)];
    feed(batches);
    const r = queryDns(store, filter(), { start: T0, end: clock.now });
    expect(r.queries).toBe(10 * (4 + 3));
    expect(r.errors).toBe(30);
    expect(r.rcodes).toEqual({ NOERROR: 40, NXDOMAIN: 30 });
    const legacy = r.clients[0]!;
    expect(legacy.pod).toBe(EP.legacy.name);
    expect(legacy.errorRate).toBe(1);
    expect(legacy.topFailing).toEqual([
      { qname: 'api-service.production.svc.cluster.local', rcode: 'NXDOMAIN', count: 30 },
    ]);
    expect(r.p50Ms).toBeGreaterThan(0.4);
    const onlyProd = queryDns(store, filter({ pod: `production/${EP.api2.name}` }), {
      start: T0,
      end: clock.now,
    });
    expect(onlyProd.clients.map((c) => c.pod)).toEqual([EP.api2.name]);
  });

  it('counts lookups whose ids collide once each when their client ports or types differ', () => {
    const { store, clock } = testStore();
    clock.now = T0 + 2_000;
    const query = (cport: number, qtype = 'A') => ({
      ts: T0 + 1_000,
      client: EP.api1,
      server: EP.coredns,
      cport,
      id: 4242,
      qname: 'db.production.svc.cluster.local',
      qtype,
      rcode: 'NOERROR',
      answers: 1,
      latencyUs: 300,
    });
    const batch = (seq: number, dns: IngestBatch['dns']) => ({
      type: 'batch' as const,
      seq,
      start: T0,
      end: T0 + 1_000,
      flows: [],
      drops: [],
      tcp: [],
      tcpStats: [],
      dns,
      lost: 0,
    });
    // Two sockets, one id by chance: two queries; so are an A and an AAAA of one socket that drew one
    // id. The first one's answer seen again (it crossed a second watched veth): still one.
    store.ingest(batch(1, [query(40001), query(40002), query(40002, 'AAAA')]), N1);
    store.ingest(batch(2, [query(40001)]), N1);
    const r = queryDns(store, filter(), { start: T0, end: clock.now });
    expect(r.queries).toBe(3);
    expect(store.stats().duplicates).toBe(1);
  });

  it('lists flows newest first with filters and a limit', () => {
    const { store, clock, feed } = testStore();
    feed(labBatches({ seconds: 5, policyDropsPerSec: 1 }));
    const win = { start: T0, end: clock.now };
    const all = queryFlows(store, filter(), win, 10);
    expect(all.flows).toHaveLength(10);
    expect(all.total).toBeGreaterThan(100);
    for (let i = 1; i < all.flows.length; i++)
      expect(all.flows[i - 1]!.ts).toBeGreaterThanOrEqual(all.flows[i]!.ts);
    const dropped = queryFlows(store, filter({ verdict: 'dropped' }), win, 100);
    expect(dropped.total).toBe(5);
    expect(dropped.flows.every((f) => f.verdict === 'dropped' && f.reason === 'policy_drop')).toBe(true);
    const redis = queryFlows(store, filter({ port: 6379 }), win, 1000);
    expect(redis.total).toBe(5 * 4);
    expect(
      queryFlows(store, filter({ namespace: ['monitoring'] }), win, 1000).flows.every(
        (f) => f.src.namespace === 'monitoring' || f.dst.namespace === 'monitoring',
      ),
    ).toBe(true);
  });

  it('folds the smallest nodes into others when a level is too dense', () => {
    const { store, clock, feed } = testStore();
    feed(labBatches({ seconds: 5 }));
    const g = queryGraph(
      store,
      filter({ level: 'pod' }),
      { start: T0, end: clock.now },
      { maxNodes: 4, simulated: true },
    );
    expect(g.nodes).toHaveLength(4);
    expect(g.folded).toBeGreaterThan(0);
    const others = g.nodes.find((n) => n.id === 'others')!;
    expect(others.members).toBe(g.folded);
    expect(g.simulated).toBe(true);
    for (const e of g.edges) {
      expect(g.nodes.some((n) => n.id === e.source)).toBe(true);
      expect(g.nodes.some((n) => n.id === e.target)).toBe(true);
    }
    // Folding moves traffic, never loses it; the kept nodes are the busiest ones.
    const all = queryGraph(store, filter({ level: 'pod' }), { start: T0, end: clock.now }, opts);
    const total = (x: typeof g) => x.edges.reduce((a, e) => a + e.bytesPerSec, 0);
    expect(total(g)).toBeCloseTo(total(all), 0);
    expect(g.folded).toBe(all.nodes.length - 3);
    const busiest = [...all.nodes]
      .sort((a, b) => b.bytesPerSec - a.bytesPerSec)
      .slice(0, 3)
      .map((n) => n.id);
    expect(
      g.nodes
        .filter((n) => n.id !== 'others')
        .map((n) => n.id)
        .sort(),
    ).toEqual(busiest.sort());
  });

  it('filters by namespace, focus and protocol', () => {
    const { store, clock, feed } = testStore();
    feed(labBatches({ seconds: 5 }));
    const win = { start: T0, end: clock.now };
    const mon = queryGraph(store, filter({ level: 'workload', namespace: ['monitoring'] }), win, opts);
    expect(mon.edges.every((e) => e.source === 'wl:monitoring/prometheus')).toBe(true);
    const focus = queryGraph(store, filter({ level: 'pod', focus: 'wl:production/db' }), win, opts);
    expect(focus.edges.length).toBe(2);
    expect(focus.edges.every((e) => e.target === 'pod:production/db-0')).toBe(true);
    const udp = queryGraph(store, filter({ level: 'namespace', protocol: 'udp' }), win, opts);
    expect(udp.edges.map((e) => e.id)).toEqual(['ns:production->ns:kube-system']);
    const node = queryGraph(store, filter({ level: 'node' }), win, opts);
    expect(node.nodes.map((n) => n.id).sort()).toEqual(['node:lab-node-1', 'node:lab-node-2', 'world']);
  });

  it('takes an edge as focus: the pairs from its source to its target, at any level', () => {
    const { store, clock, feed } = testStore();
    feed(labBatches({ seconds: 5 }));
    const win = { start: T0, end: clock.now };
    const edge = 'wl:production/api->wl:production/db';
    const pods = queryGraph(store, filter({ level: 'pod', focus: edge }), win, opts);
    expect(pods.edges.length).toBeGreaterThan(0);
    for (const e of pods.edges) {
      expect(e.source).toMatch(/^pod:production\/api-/);
      expect(e.target).toBe('pod:production/db-0');
    }
    const wl = queryGraph(store, filter({ level: 'workload', focus: edge }), win, opts);
    expect(wl.edges.map((e) => e.id)).toEqual([edge]);
    // The reverse direction is another edge: nothing was sent from db to api.
    const back = queryGraph(
      store,
      filter({ level: 'workload', focus: 'wl:production/db->wl:production/api' }),
      win,
      opts,
    );
    expect(back.edges).toEqual([]);
    // Namespace ends on both sides: the rollups answer it exactly as a scan does.
    const ns = filter({ level: 'namespace', focus: 'ns:monitoring->ns:production' });
    const fast = queryGraph(store, ns, win, opts);
    expect(fast.edges.map((e) => e.id)).toEqual(['ns:monitoring->ns:production']);
    expect(fast).toEqual(queryGraph(store, ns, win, { ...opts, scanAll: true }));
    const world = queryGraph(
      store,
      filter({ level: 'workload', focus: 'wl:production/api->world' }),
      win,
      opts,
    );
    expect(world.edges.map((e) => e.id)).toEqual(['wl:production/api->world']);
  });
});

describe('Store: namespace rollups', () => {
  it('answer the namespace map exactly like a scan of every pod pair', () => {
    const { store, clock, feed } = testStore();
    feed(labBatches({ seconds: 200, policyDropsPerSec: 2, nxdomainPerSec: 1, refusedPerSec: 1 }));
    for (const f of [
      filter({ level: 'namespace' }),
      filter({ level: 'namespace', namespace: ['monitoring'] }),
      filter({ level: 'namespace', protocol: 'udp' }),
      filter({ level: 'namespace', verdict: 'dropped' }),
      filter({ level: 'namespace', focus: 'ns:kube-system', port: 53 }),
    ]) {
      for (const win of [
        { start: T0, end: clock.now },
        { start: T0 + 30_500, end: clock.now - 20_000 },
      ]) {
        const fast = queryGraph(store, f, win, opts);
        const scan = queryGraph(store, f, win, { ...opts, scanAll: true });
        expect(fast).toEqual(scan);
        expect(fast.edges.length).toBeGreaterThan(0);
      }
    }
    expect(store.nsRollups.size).toBeLessThan(store.edges.size);
  });

  it('are made again for new traffic once retention pruned them', () => {
    const { store, clock, feed } = testStore({ fineRetentionS: 60, coarseRetentionS: 600 });
    feed(labBatches({ seconds: 5, policyDropsPerSec: 2 }));
    const rollups = store.nsRollups.size;
    expect(rollups).toBeGreaterThan(0);
    clock.now += 700_000;
    store.prune();
    expect([store.edges.size, store.nsRollups.size]).toEqual([0, 0]);
    const start = clock.now;
    feed(labBatches({ start, seconds: 5, policyDropsPerSec: 2 }));
    expect(store.nsRollups.size).toBe(rollups);
    const f = filter({ level: 'namespace' });
    const win = { start, end: clock.now };
    const fast = queryGraph(store, f, win, opts);
    expect(fast.edges.length).toBeGreaterThan(0);
    expect(fast).toEqual(queryGraph(store, f, win, { ...opts, scanAll: true }));
  });
});

describe('Store: bounds', () => {
  it('evicts the series idle the longest, and counts it', () => {
    const { store, clock, feed } = testStore({ maxSeries: 100 });
    feed(labBatches({ seconds: 2 }));
    const before = store.stats().edgeSeries + store.stats().dnsSeries;
    expect(before).toBeLessThan(100);
    // A scan: many new world peers, fresher than everything else.
    clock.now += 5_000;
    const scan = labBatches({ start: clock.now, seconds: 1, nodes: [N1], connectsPerSec: 0 })[0]!;
    scan.flows = Array.from({ length: 150 }, (_, i) => ({
      ts: clock.now,
      src: EP.api1,
      dst: { ...EP.payments, ip: `198.51.100.${i % 250}`, node: '' },
      sport: 30000 + i,
      dport: 443 + i,
      proto: 'tcp' as const,
      dir: 'egress' as const,
      bytes: 60,
      packets: 1,
      tcpFlags: 2,
    }));
    store.ingest(scan, N1);
    const st = store.stats();
    expect(st.edgeSeries + st.dnsSeries).toBeLessThanOrEqual(100);
    expect(st.evictions).toBeGreaterThan(0);
    // The old lab series went first: the fresh scan peers survive.
    expect([...store.edges.values()].filter((s) => s.server.kind === 'world').length).toBeGreaterThan(50);
  });

  it('evicts by when a series was last named, not when it was made', () => {
    const { store, clock } = testStore({ maxSeries: 100 });
    const peer = (i: number) => ({ ...EP.payments, ip: `198.51.100.${i}`, node: '' });
    const scan = (peers: number[]) => {
      const b = labBatches({ start: clock.now, seconds: 1, nodes: [N1], connectsPerSec: 0 })[0]!;
      b.flows = peers.map((i) => ({
        ts: clock.now,
        src: EP.api1,
        dst: peer(i),
        sport: 30000 + i,
        dport: 443,
        proto: 'tcp' as const,
        dir: 'egress' as const,
        bytes: 60,
        packets: 1,
        tcpFlags: 2,
      }));
      b.drops = [];
      b.dns = [];
      b.tcpStats = [];
      store.ingest(b, N1);
      clock.now += IDLE_GRAIN_MS + 5_000;
    };
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    clock.now = T0;
    scan(range(0, 60));
    // The first half is named again later: it is no longer among the idlest.
    scan(range(0, 30));
    scan(range(60, 120));
    const kept = new Set([...store.edges].map((s) => s.server.ip));
    expect(store.stats().evictions).toBeGreaterThan(0);
    expect(range(0, 30).every((i) => kept.has(peer(i).ip))).toBe(true);
    expect(range(60, 120).every((i) => kept.has(peer(i).ip))).toBe(true);
    expect(range(30, 60).filter((i) => kept.has(peer(i).ip)).length).toBeLessThan(30);
    // Named again after its neighbours were evicted, a peer comes back as the newest series.
    scan([45]);
    expect(store.edges.size).toBeLessThanOrEqual(100);
    expect([...store.edges].some((s) => s.server.ip === peer(45).ip)).toBe(true);
  });

  it('leaves the eviction pass to a task of its own when deferBounds is set, asking once', () => {
    const { store, clock } = testStore({ maxSeries: 100 });
    let asked = 0;
    store.deferBounds = () => asked++;
    const scan = (from: number) => {
      const b = labBatches({ start: clock.now, seconds: 1, nodes: [N1], connectsPerSec: 0 })[0]!;
      b.flows = Array.from({ length: 80 }, (_, i) => ({
        ts: clock.now,
        src: EP.api1,
        dst: { ...EP.payments, ip: `198.51.100.${from + i}`, node: '' },
        sport: 30000,
        dport: 443,
        proto: 'tcp' as const,
        dir: 'egress' as const,
        bytes: 60,
        packets: 1,
        tcpFlags: 2,
      }));
      store.ingest(b, N1);
      clock.now += 1_000;
    };
    clock.now = T0;
    scan(0);
    expect(asked).toBe(0);
    scan(80);
    scan(160);
    // Over the bound until the pass runs, asked for once however many batches came meanwhile.
    expect(asked).toBe(1);
    expect(store.edges.size).toBeGreaterThan(100);
    expect(store.stats().evictions).toBe(0);
    expect(store.enforceBoundsNow()).toBe(false);
    expect(store.edges.size + store.dns.size).toBeLessThanOrEqual(100);
    expect(store.stats().evictions).toBeGreaterThan(0);
    // The newest batch's series stay: the idlest went.
    const kept = new Set([...store.edges].map((s) => s.server.ip));
    expect(Array.from({ length: 80 }, (_, i) => `198.51.100.${160 + i}`).every((ip) => kept.has(ip))).toBe(
      true,
    );
    scan(0);
    expect(asked).toBe(2);
  });

  it('sums a large store for the deferred pass in steps of EVICTION_SLICE series, then evicts EVICTIONS_PER_STEP a step', () => {
    const { store, clock } = testStore({ maxSeries: EVICTION_SLICE });
    let asked = 0;
    store.deferBounds = () => asked++;
    const peers = Math.ceil(EVICTION_SLICE * 1.3);
    const b = labBatches({ start: T0, seconds: 1, nodes: [N1], connectsPerSec: 0 })[0]!;
    b.flows = Array.from({ length: peers }, (_, i) => ({
      ts: T0 + 100,
      src: EP.api1,
      dst: { ...EP.payments, ip: `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`, node: '' },
      sport: 30000,
      dport: 443,
      proto: 'tcp' as const,
      dir: 'egress' as const,
      bytes: 60,
      packets: 1,
      tcpFlags: 2,
    }));
    clock.now = b.end + 200;
    store.ingest(b, N1);
    expect(asked).toBe(1);
    // The first step sums a slice and evicts nothing yet; the pass ends within the steps its size needs.
    expect(store.enforceBoundsNow()).toBe(true);
    expect(store.stats().evictions).toBe(0);
    let steps = 1;
    let most = 0;
    for (let before = 0; ; before = store.stats().evictions) {
      const more = store.enforceBoundsNow();
      most = Math.max(most, store.stats().evictions - before);
      if (!more) break;
      steps++;
    }
    const evicted = store.stats().evictions;
    expect(most).toBeLessThanOrEqual(EVICTIONS_PER_STEP);
    expect(steps).toBeLessThanOrEqual(
      Math.ceil((peers + 100) / EVICTION_SLICE) + Math.ceil(evicted / EVICTIONS_PER_STEP) + 1,
    );
    expect(store.edges.size + store.dns.size).toBeLessThanOrEqual(EVICTION_SLICE);
    expect(store.stats().evictions).toBeGreaterThan(0);
    // Nothing more to do: a step with the bounds holding finds no work.
    expect(store.enforceBoundsNow()).toBe(false);
  });

  it('shortens the 1 s tier under the bucket bound instead of dropping busy series', () => {
    const { store, clock, feed } = testStore({ maxFineBuckets: 5_000 });
    feed(labBatches({ seconds: 300 }));
    const st = store.stats();
    expect(st.fineBuckets).toBeLessThanOrEqual(5_000);
    expect(st.fineTrims).toBeGreaterThan(0);
    expect(st.evictions).toBe(0);
    expect(store.fineFrom()).toBeGreaterThanOrEqual(T0 + 60_000);
    // Minute data still answers the whole window, exactly.
    const g = queryGraph(store, filter({ level: 'namespace' }), { start: T0, end: clock.now }, opts);
    const prod = g.edges.find((e) => e.id === 'ns:production->ns:production')!;
    expect(prod.bytesPerSec).toBeCloseTo(expectedNamespaceRates().get('ns:production->ns:production')!, 0);
  });

  it('prunes buckets past retention and forgets empty series', () => {
    const { store, clock, feed } = testStore({ fineRetentionS: 60, coarseRetentionS: 600 });
    feed(labBatches({ seconds: 5 }));
    expect(store.stats().fineBuckets).toBeGreaterThan(0);
    clock.now += 120_000;
    store.prune();
    expect(store.stats().fineBuckets).toBe(0);
    expect(store.stats().edgeSeries).toBeGreaterThan(0);
    clock.now += 700_000;
    store.prune();
    expect(store.stats()).toMatchObject({ edgeSeries: 0, dnsSeries: 0, fineBuckets: 0, coarseBuckets: 0 });
  });

  it('prunes in steps once a second, every series within a round of PRUNE_ROUND_STEPS steps', () => {
    const { store, clock } = testStore({ fineRetentionS: 60, coarseRetentionS: 600 });
    const peers = 4 * PRUNE_MIN_SLICE;
    const scan = labBatches({ start: T0, seconds: 1, nodes: [N1], connectsPerSec: 0 })[0]!;
    scan.flows = Array.from({ length: peers }, (_, i) => ({
      ts: T0 + 100,
      src: EP.api1,
      dst: { ...EP.payments, ip: `198.51.${i >> 8}.${i & 255}`, node: '' },
      sport: 30000,
      dport: 443,
      proto: 'tcp' as const,
      dir: 'egress' as const,
      bytes: 60,
      packets: 1,
      tcpFlags: 2,
    }));
    clock.now = scan.end + 200;
    store.ingest(scan, N1);
    const before = store.edges.size;
    expect(before).toBeGreaterThanOrEqual(peers);
    clock.now += 700_000;
    store.pruneStep();
    // One step visits a slice: series past retention are left for the next steps.
    expect(store.edges.size).toBeGreaterThan(0);
    expect(store.edges.size).toBeLessThan(before);
    // A series made in the middle of the round, and fresh, is kept.
    const fresh = labBatches({ start: clock.now - 1000, seconds: 1, nodes: [N1] })[0]!;
    store.ingest(fresh, N1);
    const freshSeries = [...store.edges].filter((s) => s.lastSeen === clock.now);
    expect(freshSeries.length).toBeGreaterThan(0);
    for (let step = 1; step < PRUNE_ROUND_STEPS; step++) store.pruneStep();
    expect([...store.edges].filter((s) => s.server.kind === 'world' && s.lastSeen < clock.now)).toEqual([]);
    expect(store.edges.size).toBe(freshSeries.length);
    // The series made during the round take one step more; then the running counts have gone down
    // with all that went: a full prune finds nothing more to take.
    store.pruneStep();
    const counted = store.stats();
    store.prune();
    expect(store.stats()).toEqual(counted);
  });

  it('ignores records outside retention and counts them', () => {
    const { store, clock } = testStore();
    clock.now = T0 + 100 * 86_400_000;
    const [b] = labBatches({ seconds: 1 });
    expect(store.ingest(b!, N1)).toBe(0);
    expect(store.stats().outOfWindow).toBeGreaterThan(0);
    expect(store.stats().edgeSeries).toBe(0);
  });

  it('counts a drop reported by two collectors on one kernel once, and repeats from one node every time', () => {
    const { store, clock, feed } = testStore();
    const batches = labBatches({ seconds: 3, policyDropsPerSec: 2 });
    feed(batches);
    const n1Drops = batches.filter((_, i) => i % 2 === 0).flatMap((b) => b.drops);
    // Node 2's collector reports the same kernel events (shared kernel in the lab).
    store.ingest({ ...batches[5]!, flows: [], tcp: [], tcpStats: [], dns: [], drops: n1Drops.slice(-1) }, N2);
    const d = queryDrops(store, filter(), { start: T0, end: clock.now });
    expect(d.packets).toBe(6);
    expect(store.stats().duplicates).toBe(1);
  });
});

describe('Store: late records', () => {
  it('adds a batch spread over the last day to the minute tier in place, and to no expired 1 s bucket', () => {
    const { store, clock } = testStore();
    clock.now = T0 + 86_400_000;
    const now = clock.now;
    const flow = (ts: number, bytes: number) => ({
      ts,
      src: EP.frontend2,
      dst: EP.db,
      sport: 47000,
      dport: 5432,
      proto: 'tcp' as const,
      dir: 'egress' as const,
      bytes,
      packets: 1,
      tcpFlags: 0x18,
    });
    const batch = (seq: number, flows: ReturnType<typeof flow>[]) => ({
      type: 'batch' as const,
      seq,
      start: now - 86_000_000,
      end: now,
      flows,
      drops: flows.map(({ tcpFlags: _, ...f }) => ({
        ...f,
        reason: 'policy_drop',
        kernelReason: 'POLICY_DROP',
      })),
      tcp: [],
      tcpStats: [],
      dns: [],
      lost: 0,
    });
    store.ingest(batch(0, [flow(now - 500, 1)]), N1);
    // Newest first inside the batch too: every record is before what the tiers hold.
    const late = Array.from({ length: 2_000 }, (_, i) => flow(now - 1_000 - i * 43_000, 10 + (i % 7)));
    store.ingest(batch(1, late), N1);
    const minutes = new Set([now - 500, ...late.map((f) => f.ts)].map((t) => Math.floor(t / 60_000)));
    // Three series (the pod pair, its namespace rollup, the totals), a bucket per minute each.
    expect(store.stats().coarseBuckets).toBe(3 * minutes.size);
    const seconds1 = new Set(
      [now - 500, ...late.map((f) => f.ts)]
        .filter((t) => t >= store.fineFrom(now))
        .map((t) => Math.floor(t / 1000)),
    );
    expect(store.stats().fineBuckets).toBe(3 * seconds1.size);
    const win = { start: now - 86_400_000 + 60_000, end: now };
    const bytes = 1 + late.reduce((a, f) => a + f.bytes, 0);
    for (const series of [...store.edges, ...store.nsRollups, store.totals]) {
      const sum = new EdgeBucket(0);
      series.coarse.addRun(0, series.coarse.length - 1, sum);
      expect([sum.bytes, sum.packets, sum.dropPackets]).toEqual([bytes, 2_001, 2_001]);
    }
    expect(queryDrops(store, filter(), win).packets).toBe(2_001);
  });
});

describe('Store: memory budget', () => {
  const pod = (i: number) => ({ ...EP.frontend2, ip: `10.200.${i >> 8}.${i & 255}`, name: `flood-${i}` });
  /** One flow record of 100 bytes from `src` to the lab's db at `ts`. */
  const toDb = (src: Endpoint, ts: number) => ({
    ts,
    src,
    dst: EP.db,
    sport: 40000,
    dport: 5432,
    proto: 'tcp' as const,
    dir: 'egress' as const,
    bytes: 100,
    packets: 1,
    tcpFlags: 0x18,
  });
  const flood = (seq: number, now: number, n: number, seed: number) => {
    let x = seed;
    const rand = () => {
      x = (x * 1664525 + 1013904223) >>> 0;
      return x / 2 ** 32;
    };
    return {
      type: 'batch' as const,
      seq,
      start: now - 86_000_000,
      end: now,
      flows: Array.from({ length: n }, (_, i) => toDb(pod(i % 1000), now - Math.floor(rand() * 86_000_000))),
      drops: [],
      tcp: [],
      tcpStats: [],
      dns: [],
      lost: 0,
    };
  };

  it('holds series and their buckets within the series share, whatever the count bounds allow', () => {
    const { store, clock } = testStore({ maxSeries: 1000, memoryBudgetMiB: 16 });
    clock.now = T0 + 86_400_000;
    const series = store.memory.share('series');
    for (let b = 0; b < 20; b++) {
      store.ingest(flood(b, clock.now, 10_000, b + 1), N1);
      expect(series.used).toBeLessThanOrEqual(series.limit);
      clock.now += 1_000;
    }
    const st = store.stats();
    expect(series.evicted).toBeGreaterThan(0);
    expect(st.evictions).toBe(series.evicted);
    // Without the byte bound a thousand series kept ~200,000 minute buckets here.
    expect(st.coarseBuckets).toBeLessThan(series.limit / 80);
    expect(store.memory.figures().find((f) => f.part === 'series')!.usedBytes).toBe(Math.round(series.used));
  }, 30_000);

  it('bounds namespace rollups by the series setting too', () => {
    const { store, clock } = testStore({ maxSeries: 100 });
    clock.now = T0 + 1_000;
    const rollupFlood = {
      ...flood(0, clock.now, 0, 1),
      flows: Array.from({ length: 500 }, (_, i) => toDb({ ...pod(i), namespace: `ns-${i}` }, clock.now - 10)),
    };
    store.ingest(rollupFlood, N1);
    expect(store.nsRollups.size).toBeLessThanOrEqual(100);
    expect(store.stats().edgeSeries).toBeLessThanOrEqual(100);
  });
});

describe('Store: eviction fair between nodes', () => {
  const A = 'node-normal';
  const B = 'node-flood';
  const normal = (i: number) => ({
    ...EP.frontend2,
    ip: `10.250.0.${i + 1}`,
    name: `web-${i}`,
    namespace: 'normal',
    workload: 'web',
    node: A,
  });
  const normalDb = { ...EP.db, ip: '10.250.1.1', name: 'store-0', namespace: 'normal', node: A };
  const normalDns = { ...EP.db, ip: '10.250.1.53', name: 'dns-0', namespace: 'normal', node: A };
  const batch = (seq: number, now: number, flows: IngestBatch['flows'], dns: IngestBatch['dns'] = []) => ({
    type: 'batch' as const,
    seq,
    start: now - 1_000,
    end: now,
    flows,
    drops: [],
    tcp: [],
    tcpStats: [],
    dns,
    lost: 0,
  });
  /** A's second: the same five edges (1,000 bytes each) and one DNS query. */
  const normalBatch = (seq: number, now: number) =>
    batch(
      seq,
      now,
      Array.from({ length: 5 }, (_, i) => ({
        ts: now - 500,
        src: normal(i),
        dst: normalDb,
        sport: 41000 + i,
        dport: 5432,
        proto: 'tcp' as const,
        dir: 'egress' as const,
        bytes: 1_000,
        packets: 2,
        tcpFlags: 0x18,
      })),
      [
        {
          ts: now - 500,
          client: normal(0),
          server: normalDns,
          id: seq,
          qname: 'store.normal.svc',
          qtype: 'A',
          rcode: 'NOERROR',
          answers: 1,
          latencyUs: 300,
        },
      ],
    );
  /** B's second: `pods` pods never seen before, each with `records` flows spread over the last day. */
  const floodBatch = (seq: number, now: number, pods: number, records: number) =>
    batch(
      seq,
      now,
      Array.from({ length: pods * records }, (_, k) => {
        const i = seq * pods + Math.floor(k / records);
        return {
          ts: now - 1_000 - (k % records) * 61_000,
          src: {
            ...EP.frontend2,
            ip: `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
            name: `flood-${i}`,
            node: B,
          },
          dst: EP.db,
          sport: 40000,
          dport: 5432,
          proto: 'tcp' as const,
          dir: 'egress' as const,
          bytes: 100,
          packets: 1,
          tcpFlags: 0x18,
        };
      }),
    );
  const held = (store: Store, s: EdgeSeries) => store.edges.has(s) || store.nsRollups.has(s);

  it("keeps a normal collector's series and bytes while another node floods past the series and byte bounds", () => {
    const { store, clock } = testStore({ maxSeries: 1000, memoryBudgetMiB: 8 }, [A, B]);
    const series = store.memory.share('series');
    const start = T0 + 86_400_000;
    const mine = new Set<EdgeSeries>();
    const seconds = 8;
    for (let sec = 0; sec < seconds; sec++) {
      clock.now = start + sec * 1_000;
      store.ingest(normalBatch(sec, clock.now), A);
      for (const s of store.edges) if (s.client.namespace === 'normal') mine.add(s);
      for (const r of store.nsRollups) if (r.client.namespace === 'normal') mine.add(r);
      // More new series a second than the bound's slack, each with a day of minute buckets.
      clock.now += 500;
      store.ingest(floodBatch(sec, clock.now, 1_100, 30), B);
      expect(store.edges.size + store.dns.size).toBeLessThanOrEqual(1000);
      expect(series.used).toBeLessThanOrEqual(series.limit);
    }
    const st = store.stats();
    // Both bounds evicted (B's series past the count, and its buckets past the bytes).
    expect(st.evictions).toBeGreaterThan(seconds * 1_100 - 1000);
    expect(1_100 * (640 + 30 * 80)).toBeGreaterThan(series.limit);
    // A's series (five edges, the DNS edge, their rollups) and its DNS client all stayed, with their buckets.
    expect(mine.size).toBeGreaterThanOrEqual(8);
    for (const s of mine) expect(held(store, s), `${s.client.name} -> ${s.server.name}`).toBe(true);
    expect([...store.dns.values()].filter((d) => d.client.namespace === 'normal')).toHaveLength(1);
    expect(store.owners.owned(A)).toBe(mine.size + 1);
    // (The endpoint share is small here: the interner turns its generations under the flood; A's
    // endpoints, in use every second, keep their ids through it.)
    const buckets = (list: Iterable<EdgeSeries>) => [...list].reduce((n, s) => n + s.fine.length, 0);
    expect(buckets([...mine].filter((s) => store.edges.has(s) && s.server.name === 'store-0'))).toBe(
      seconds * 5,
    );
    // B lost its idlest: what it holds is its newest.
    const flood = [...store.edges].filter((s) => s.client.name.startsWith('flood-'));
    expect(flood.length).toBeGreaterThan(0);
    expect(Math.min(...flood.map((s) => s.lastSeen))).toBeGreaterThanOrEqual(clock.now - 1_000);
    expect(store.owners.owned(B)).toBe(
      flood.length + [...store.nsRollups].filter((r) => r.client.name.startsWith('flood-')).length,
    );
    // Every byte A sent answers through the timeseries and the graph.
    // Ending where the data ends: the graph divides by the time observed.
    const win = { start: start - 1_000, end: clock.now };
    const ts = queryTimeseries(store, filter({ namespace: ['normal'] }), win, 'bytes', 'namespace', 1);
    const normalSeries = ts.series.find((s) => s.key === 'normal')!;
    expect(normalSeries.points.filter(([, v]) => v === 5_000)).toHaveLength(seconds);
    const bytes = normalSeries.points.reduce((sum, [, v]) => sum + (v ?? 0), 0);
    expect(bytes).toBe(seconds * 5 * 1_000);
    const g = queryGraph(store, filter({ level: 'pod', namespace: ['normal'] }), win, opts);
    const span = (win.end - win.start) / 1000;
    for (let i = 0; i < 5; i++) {
      const e = g.edges.find((x) => x.source === `pod:normal/web-${i}` && x.target === 'pod:normal/store-0');
      expect(e, `web-${i}`).toBeDefined();
      expect(e!.bytesPerSec * span).toBeCloseTo(seconds * 1_000, 0);
    }
  }, 30_000);

  it('evicts the idlest series of a node alone over the bound, as the cluster-wide order does', () => {
    const { store, clock } = testStore({ maxSeries: 100 }, [A]);
    clock.now = T0 + 1_000;
    const made: EdgeSeries[][] = [];
    for (let sec = 0; sec < 3; sec++) {
      clock.now += 1_000;
      const before = new Set(store.edges);
      store.ingest(floodBatch(sec, clock.now, 50, 1), A);
      made.push([...store.edges].filter((s) => !before.has(s)));
    }
    expect(store.stats().edgeSeries).toBeLessThanOrEqual(100);
    expect(store.stats().evictions).toBeGreaterThan(0);
    // The first second's series went, the newest stayed.
    expect(made[0]!.filter((s) => store.edges.has(s))).toHaveLength(0);
    expect(made[2]!.every((s) => store.edges.has(s))).toBe(true);
    expect(store.owners.owned(A)).toBe(store.edges.size + store.nsRollups.size);
  });
});
