import {
  type DnsRecord,
  type Endpoint,
  type FlowRecord,
  type IngestBatch,
  MAX_EDGE_PORTS,
  type TcpConnectRecord,
} from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { filter, testStore } from '../fixtures/testStore.js';
import { queryGraph } from './graphQuery.js';

const T = 1_800_000_000_000;

function pod(i: number): Endpoint {
  return {
    ip: `10.9.${i >> 8}.${i & 255}`,
    kind: 'pod',
    namespace: 'ns-a',
    name: `client-${i}`,
    workloadKind: 'Deployment',
    workload: 'client',
    service: '',
    node: 'n1',
  };
}

/** `clients` pods each sending to one server pod on two ports, 1000 + i bytes a second on port 80. */
function fanIn(clients: number, ports = [80, 443]): IngestBatch {
  const server: Endpoint = { ...pod(60_000), name: 'server-0', workload: 'server', service: 'server' };
  const flows: FlowRecord[] = [];
  for (let i = 0; i < clients; i++)
    for (const port of ports)
      flows.push({
        ts: T + 500,
        src: pod(i),
        dst: server,
        sport: 40_000 + i,
        dport: port,
        proto: 'tcp',
        dir: 'egress',
        bytes: port === 80 ? 1000 + i : 1,
        packets: 1,
        tcpFlags: 0x18,
      });
  return {
    type: 'batch',
    seq: 1,
    start: T,
    end: T + 1000,
    flows,
    drops: [],
    tcp: [],
    tcpStats: [],
    dns: [],
    lost: 0,
  };
}

describe('queryGraph edge folding', () => {
  it('gives the same edges through the flat edge table (few nodes shown) and the Map (many)', () => {
    const clients = 1_200;
    const { store, feed } = testStore({}, ['n1']);
    feed([fanIn(clients)]);
    const win = { start: T, end: T + 1000 };
    // 1,201 pods shown: too many for the table; 150 shown: the table, with the rest in `others`.
    const all = queryGraph(store, filter({ level: 'pod' }), win, { maxNodes: 5_000, simulated: false });
    const few = queryGraph(store, filter({ level: 'pod' }), win, { maxNodes: 150, simulated: false });
    expect(all.edges.length).toBe(clients);
    expect(all.folded).toBe(0);
    const top = all.edges[0]!;
    expect(top.source).toBe(`pod:ns-a/client-${clients - 1}`);
    expect(top.ports).toEqual([
      { port: 80, proto: 'tcp', bytesPerSec: 1000 + clients - 1 },
      { port: 443, proto: 'tcp', bytesPerSec: 1 },
    ]);
    expect(few.folded).toBe(clients + 1 - 149);
    expect(few.edges.length).toBe(149);
    const sum = (g: typeof all) => g.edges.reduce((n, e) => n + e.bytesPerSec, 0);
    expect(sum(few)).toBe(sum(all));
    const others = few.edges.find((e) => e.source === 'others')!;
    expect(others.ports.map((p) => p.port)).toEqual([80, 443]);
  });

  it('sums the ports of an edge across its series, also past the ports kept in a scanned list', () => {
    const ports = Array.from({ length: 20 }, (_, k) => 8000 + k);
    const { store, feed } = testStore({}, ['n1']);
    feed([fanIn(3, ports)]);
    const g = queryGraph(
      store,
      filter({ level: 'workload' }),
      { start: T, end: T + 1000 },
      {
        maxNodes: 150,
        simulated: false,
      },
    );
    expect(g.edges.map((e) => e.id)).toEqual(['wl:ns-a/client->wl:ns-a/server']);
    // Three clients a port, 1 byte each: equal rates, so in port order; the first MAX_EDGE_PORTS listed.
    expect(g.edges[0]!.ports).toEqual(
      ports.slice(0, MAX_EDGE_PORTS).map((port) => ({ port, proto: 'tcp', bytesPerSec: 3 })),
    );
    expect(g.edges[0]!.portsMore).toBe(ports.length - MAX_EDGE_PORTS);
  });
});

const client = pod(1);
const server: Endpoint = { ...pod(2), name: 'server-0', workload: 'server', service: 'server' };

function connect(dport: number, ok: boolean, cause?: 'refused' | 'timeout' | 'reset'): TcpConnectRecord {
  return {
    ts: T + 500,
    src: client,
    dst: server,
    sport: 50_000 + dport,
    dport,
    proto: 'tcp',
    ...(ok ? { outcome: 'ok' as const, latencyUs: 2000 } : { outcome: 'fail' as const, cause: cause! }),
  };
}

function flow(dport: number, bytes: number): FlowRecord {
  return {
    ts: T + 500,
    src: client,
    dst: server,
    sport: 40_000 + dport,
    dport,
    proto: 'tcp',
    dir: 'egress',
    bytes,
    packets: 1,
    tcpFlags: 0x18,
  };
}

function batch(parts: Partial<IngestBatch>): IngestBatch {
  return {
    type: 'batch',
    seq: 1,
    start: T,
    end: T + 1000,
    flows: [],
    drops: [],
    tcp: [],
    tcpStats: [],
    dns: [],
    lost: 0,
    ...parts,
  };
}

describe('queryGraph per-port health', () => {
  const win = { start: T, end: T + 1000 };
  const opts = { maxNodes: 150, simulated: false };

  it("gives each port its own connects, failures by cause and drops, so a refused port isn't hidden in the edge", () => {
    const { store, feed } = testStore({}, ['n1']);
    feed([
      batch({
        flows: [flow(9090, 50_000), flow(9121, 10)],
        tcp: [
          connect(9090, true),
          connect(9090, true),
          connect(9121, false, 'refused'),
          connect(9121, false, 'refused'),
        ],
        drops: [
          {
            ts: T + 500,
            src: client,
            dst: server,
            sport: 40_001,
            dport: 8080,
            proto: 'tcp',
            dir: 'ingress',
            reason: 'policy_drop',
            kernelReason: 'NETFILTER_DROP',
            packets: 3,
            bytes: 180,
          },
        ],
      }),
    ]);
    const g = queryGraph(store, filter({ level: 'workload' }), win, opts);
    const e = g.edges.find((x) => x.id === 'wl:ns-a/client->wl:ns-a/server')!;
    expect(e.tcpConnects).toBe(4);
    expect(e.tcpFailures).toBe(2);
    expect(e.portsMore).toBeUndefined();
    expect(e.ports).toEqual([
      { port: 9090, proto: 'tcp', bytesPerSec: 50_000, tcpConnects: 2 },
      { port: 9121, proto: 'tcp', bytesPerSec: 10, tcpConnects: 2, tcpFailures: 2, refused: 2 },
      { port: 8080, proto: 'tcp', bytesPerSec: 0, dropsPerSec: 3, dropReason: 'policy_drop' },
    ]);
  });

  it('keeps the ports with a problem among those listed when an edge has more than MAX_EDGE_PORTS', () => {
    const busy = Array.from({ length: 12 }, (_, k) => 7000 + k);
    const { store, feed } = testStore({}, ['n1']);
    feed([
      batch({
        flows: [...busy.map((p) => flow(p, 1000 + p)), flow(9121, 1)],
        tcp: [connect(9121, false, 'timeout')],
      }),
    ]);
    const g = queryGraph(store, filter({ level: 'workload' }), win, opts);
    const e = g.edges[0]!;
    expect(e.ports.length).toBe(MAX_EDGE_PORTS);
    expect(e.portsMore).toBe(busy.length + 1 - MAX_EDGE_PORTS);
    // Biggest first among those listed: the seven busiest, then the quiet port that timed out.
    expect(e.ports.map((p) => p.port)).toEqual([...busy.slice(-7).reverse(), 9121]);
    expect(e.ports.at(-1)).toEqual({
      port: 9121,
      proto: 'tcp',
      bytesPerSec: 1,
      tcpConnects: 1,
      tcpFailures: 1,
      timeouts: 1,
    });
  });

  it("names the failing DNS answer a port's client got most, beside its count", () => {
    const coredns: Endpoint = {
      ...pod(3),
      namespace: 'kube-system',
      name: 'coredns-0',
      workload: 'coredns',
      service: 'kube-dns',
    };
    const answer = (qname: string, rcode: string, id: number): DnsRecord => ({
      ts: T + 500,
      client,
      server: coredns,
      id,
      qname,
      qtype: 'A',
      rcode,
      answers: rcode === 'NOERROR' ? 1 : 0,
      latencyUs: 800,
    });
    const { store, feed } = testStore({}, ['n1']);
    feed([
      batch({
        dns: [
          answer('api.ns-a.svc.cluster.local', 'NOERROR', 1),
          answer('payments.ns-a.svc.cluster.local', 'NXDOMAIN', 2),
          answer('payments.ns-a.svc.cluster.local', 'NXDOMAIN', 3),
          answer('<script>x</script>.example', 'SERVFAIL', 4),
        ],
      }),
    ]);
    const g = queryGraph(store, filter({ level: 'workload' }), win, opts);
    const e = g.edges.find((x) => x.id === 'wl:ns-a/client->wl:kube-system/coredns')!;
    expect(e.dnsErrors).toBe(3);
    expect(e.ports).toEqual([
      {
        port: 53,
        proto: 'udp',
        bytesPerSec: e.ports[0]!.bytesPerSec,
        dnsQueries: 4,
        dnsErrors: 3,
        dnsFailure: { qname: 'payments.ns-a.svc.cluster.local', rcode: 'NXDOMAIN', count: 2 },
        dnsP95Ms: e.ports[0]!.dnsP95Ms,
      },
    ]);
    // Every answer took 0.8 ms (the histogram's buckets are ~9% wide).
    expect(e.ports[0]!.dnsP95Ms).toBeGreaterThanOrEqual(0.7);
    expect(e.ports[0]!.dnsP95Ms).toBeLessThanOrEqual(0.9);
  });
});
