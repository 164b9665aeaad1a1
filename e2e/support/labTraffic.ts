import type {
  DnsRecord,
  DropRecord,
  Endpoint,
  FlowRecord,
  IngestBatch,
  TcpConnectRecord,
} from '@weft/protocol';

/**
 * A small cluster's traffic, shaped like the seed article's Mermaid map: production (frontend ->
 * api -> db, redis, an external API), monitoring (Prometheus scraping them) and kube-system
 * (CoreDNS). frontend -> db is blocked by a network policy, and frontend looks up a name that does
 * not exist. Addresses are data only: nothing is sent anywhere but to the Weft server on loopback.
 */
export const NODES = ['weft-node-a', 'weft-node-b'] as const;
export type LabNode = (typeof NODES)[number];

function pod(
  namespace: string,
  name: string,
  workloadKind: string,
  workload: string,
  service: string,
  ip: string,
  node: LabNode,
): Endpoint {
  return { ip, kind: 'pod', namespace, name, workloadKind, workload, service, node };
}

export const PODS = {
  frontend: pod(
    'production',
    'frontend-7d9f8-abc12',
    'Deployment',
    'frontend',
    'frontend',
    '10.244.1.10',
    'weft-node-a',
  ),
  api: pod('production', 'api-5c6b7-def34', 'Deployment', 'api', 'api-service', '10.244.1.11', 'weft-node-a'),
  db: pod('production', 'db-0', 'StatefulSet', 'db', 'db', '10.244.2.12', 'weft-node-b'),
  redis: pod('production', 'redis-0', 'StatefulSet', 'redis', 'redis', '10.244.2.13', 'weft-node-b'),
  prometheus: pod(
    'monitoring',
    'prometheus-0',
    'StatefulSet',
    'prometheus',
    'prometheus',
    '10.244.2.20',
    'weft-node-b',
  ),
  coredns: pod(
    'kube-system',
    'coredns-6f8c9-xyz98',
    'Deployment',
    'coredns',
    'kube-dns',
    '10.244.1.2',
    'weft-node-a',
  ),
};

/** A pod whose name is an attack on the dashboard: markup, quotes and 200 more characters. */
export const HOSTILE_NAME = `evil-"><img src=x onerror="window.__pwned=1">-${'x'.repeat(200)}`;
export const HOSTILE_QNAME = '<script>window.__pwned=2</script>.example';
export const HOSTILE = pod(
  'untrusted',
  HOSTILE_NAME,
  'Deployment',
  HOSTILE_NAME,
  '',
  '10.244.1.66',
  'weft-node-a',
);

export const WORLD: Endpoint = {
  ip: '192.0.2.10',
  kind: 'world',
  namespace: '',
  name: 'world',
  workloadKind: '',
  workload: '',
  service: '',
  node: '',
};

export const FAILING_NAME = 'payments.production.svc.cluster.local';
export const BLOCKED = { from: PODS.frontend, to: PODS.db };

interface Conversation {
  src: Endpoint;
  dst: Endpoint;
  dport: number;
  proto: 'tcp' | 'udp';
  bytesPerSec: number;
}

const CONVERSATIONS: Conversation[] = [
  { src: PODS.frontend, dst: PODS.api, dport: 80, proto: 'tcp', bytesPerSec: 15_000_000 },
  { src: PODS.api, dst: PODS.db, dport: 5432, proto: 'tcp', bytesPerSec: 2_000_000 },
  { src: PODS.api, dst: PODS.redis, dport: 6379, proto: 'tcp', bytesPerSec: 500_000 },
  { src: PODS.api, dst: WORLD, dport: 443, proto: 'tcp', bytesPerSec: 1_000_000 },
  { src: PODS.prometheus, dst: PODS.frontend, dport: 9090, proto: 'tcp', bytesPerSec: 20_000 },
  { src: PODS.prometheus, dst: PODS.api, dport: 9090, proto: 'tcp', bytesPerSec: 20_000 },
  { src: PODS.prometheus, dst: PODS.db, dport: 9090, proto: 'tcp', bytesPerSec: 20_000 },
  { src: PODS.frontend, dst: PODS.coredns, dport: 53, proto: 'udp', bytesPerSec: 3_000 },
  { src: PODS.api, dst: PODS.coredns, dport: 53, proto: 'udp', bytesPerSec: 3_000 },
  { src: HOSTILE, dst: PODS.api, dport: 80, proto: 'tcp', bytesPerSec: 5_000 },
];

export interface TrafficOptions {
  /** Drops on monitoring -> production, switched on by the fault test. */
  fault: boolean;
  /**
   * Prometheus scraping redis: 9090 answers, the exporter's 9121 refuses every connect (the issue-17
   * case of a refused port hidden behind a busy one), switched on by the map filter test.
   */
  refused?: boolean;
}

/** The port that refuses while `refused` is on. */
export const REFUSED_PORT = 9121;

/** One interval of what `node`'s collector would report: egress of the pods it hosts. */
export function labBatch(
  node: LabNode,
  seq: number,
  start: number,
  end: number,
  opts: TrafficOptions,
): IngestBatch {
  const secs = (end - start) / 1000;
  const per = (n: number) => Math.max(1, Math.round(n * secs));
  const ts = end;
  const flows: FlowRecord[] = [];
  const drops: DropRecord[] = [];
  const tcp: TcpConnectRecord[] = [];
  const dns: DnsRecord[] = [];
  const here = (e: Endpoint) => e.node === node;
  let port = 30000 + ((seq * 17) % 20000);

  for (const c of CONVERSATIONS) {
    if (!here(c.src)) continue;
    const bytes = Math.round(c.bytesPerSec * secs);
    const sport = port++;
    flows.push({
      ts,
      src: c.src,
      dst: c.dst,
      sport,
      dport: c.dport,
      proto: c.proto,
      dir: 'egress',
      bytes,
      packets: Math.max(1, Math.round(bytes / 1200)),
      tcpFlags: c.proto === 'tcp' ? 0x18 : 0,
    });
    if (c.proto === 'tcp') {
      tcp.push({
        ts,
        src: c.src,
        dst: c.dst,
        sport,
        dport: c.dport,
        proto: 'tcp',
        outcome: 'ok',
        latencyUs: 300 + (seq % 7) * 90,
      });
    }
  }

  if (node === 'weft-node-a') {
    // The blocked pair: SYNs leave frontend and die in the policy; connects time out.
    const sport = port++;
    flows.push({
      ts,
      src: BLOCKED.from,
      dst: BLOCKED.to,
      sport,
      dport: 5432,
      proto: 'tcp',
      dir: 'egress',
      bytes: per(120),
      packets: per(2),
      tcpFlags: 0x02,
    });
    drops.push({
      ts,
      src: BLOCKED.from,
      dst: BLOCKED.to,
      sport,
      dport: 5432,
      proto: 'tcp',
      dir: 'egress',
      reason: 'policy_drop',
      kernelReason: 'NETFILTER_DROP',
      packets: per(2),
      bytes: per(120),
    });
    tcp.push({
      ts,
      src: BLOCKED.from,
      dst: BLOCKED.to,
      sport,
      dport: 5432,
      proto: 'tcp',
      outcome: 'fail',
      cause: 'timeout',
    });

    for (const client of [PODS.frontend, PODS.api]) {
      const id = (seq * 31 + (client === PODS.api ? 7 : 0)) % 65536;
      dns.push({
        ts,
        client,
        server: PODS.coredns,
        id,
        qname:
          client === PODS.api
            ? 'db.production.svc.cluster.local'
            : 'api-service.production.svc.cluster.local',
        qtype: 'A',
        rcode: 'NOERROR',
        answers: 1,
        latencyUs: 600 + (seq % 5) * 250,
      });
    }
    dns.push({
      ts,
      client: PODS.frontend,
      server: PODS.coredns,
      id: (seq * 31 + 3) % 65536,
      qname: FAILING_NAME,
      qtype: 'A',
      rcode: 'NXDOMAIN',
      answers: 0,
      latencyUs: 1500 + (seq % 3) * 400,
    });
    dns.push({
      ts,
      client: HOSTILE,
      server: PODS.coredns,
      id: (seq * 31 + 5) % 65536,
      qname: HOSTILE_QNAME,
      qtype: 'A',
      rcode: 'NXDOMAIN',
      answers: 0,
      latencyUs: 900,
    });
  }

  if (node === 'weft-node-b' && opts.fault) {
    const sport = port++;
    drops.push({
      ts,
      src: PODS.prometheus,
      dst: PODS.api,
      sport,
      dport: 9090,
      proto: 'tcp',
      dir: 'egress',
      reason: 'policy_drop',
      kernelReason: 'NETFILTER_DROP',
      packets: per(150),
      bytes: per(9000),
    });
    tcp.push({
      ts,
      src: PODS.prometheus,
      dst: PODS.api,
      sport,
      dport: 9090,
      proto: 'tcp',
      outcome: 'fail',
      cause: 'timeout',
    });
  }

  if (node === 'weft-node-b' && opts.refused) {
    const ok = port++;
    const bytes = per(20_000);
    const common = { ts, src: PODS.prometheus, dst: PODS.redis, proto: 'tcp' as const };
    flows.push({ ...common, sport: ok, dport: 9090, dir: 'egress', bytes, packets: per(20), tcpFlags: 0x18 });
    tcp.push({ ...common, sport: ok, dport: 9090, outcome: 'ok', latencyUs: 400 });
    const refused = port++;
    flows.push({
      ...common,
      sport: refused,
      dport: REFUSED_PORT,
      dir: 'egress',
      bytes: per(60),
      packets: per(1),
      tcpFlags: 0x02,
    });
    tcp.push({ ...common, sport: refused, dport: REFUSED_PORT, outcome: 'fail', cause: 'refused' });
  }

  return { type: 'batch', seq, start, end, flows, drops, tcp, tcpStats: [], dns, lost: 0 };
}
