import type { Endpoint, FlowRecord, IngestBatch } from '@weft/protocol';

/**
 * A synthetic cluster for the server benchmarks: `pods` pods in 20 namespaces, 10 pods per workload,
 * spread over 50 nodes, and `edges` distinct client -> server pairs on a handful of service ports.
 * Deterministic (a fixed-seed PRNG), so runs compare. By default the pairs are random pod pairs, so
 * hardly two share a workload pair and port (49,379 workload-level groups for 5,000 pods / 50,000
 * edges); with `peers` each workload's pods talk to the pods of `peers` workloads, each on the port of
 * its service, as pods of a Deployment do (5,000 / 50,000 with 3 peers: 1,500 groups).
 */
export interface SyntheticCluster {
  pods: Endpoint[];
  edges: { client: Endpoint; server: Endpoint; port: number; sport: number }[];
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PORTS = [80, 443, 5432, 6379, 8080, 9090, 3306, 27017];

export function syntheticCluster(
  podCount: number,
  edgeCount: number,
  seed = 42,
  peers = 0,
): SyntheticCluster {
  const rand = rng(seed);
  const pods: Endpoint[] = [];
  for (let i = 0; i < podCount; i++) {
    const ns = `ns-${i % 20}`;
    const wl = `svc-${Math.floor(i / 20) % Math.max(1, Math.floor(podCount / 200))}`;
    pods.push({
      ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      kind: 'pod',
      namespace: ns,
      name: `${wl}-7d9f8c6b5-${i.toString(36).padStart(5, '0')}`,
      workloadKind: 'Deployment',
      workload: wl,
      service: wl,
      node: `node-${i % 50}`,
    });
  }
  const edges: SyntheticCluster['edges'] = [];
  const seen = new Set<string>();
  if (peers > 0) return withPeers(pods, edgeCount, peers, rand);
  while (edges.length < edgeCount) {
    const c = Math.floor(rand() * podCount);
    const s = Math.floor(rand() * podCount);
    const port = PORTS[Math.floor(rand() * PORTS.length)]!;
    const key = `${c}|${s}|${port}`;
    if (c === s || seen.has(key)) continue;
    seen.add(key);
    edges.push({ client: pods[c]!, server: pods[s]!, port, sport: 32768 + (edges.length % 28000) });
  }
  return { pods, edges };
}

/** Egress observations of a slice of the edges, as one collector batch. */
/** Edges from each workload's pods to the pods of `peers` workloads, each on its own service port. */
function withPeers(pods: Endpoint[], edgeCount: number, peers: number, rand: () => number): SyntheticCluster {
  const byWorkload = new Map<string, number[]>();
  for (let i = 0; i < pods.length; i++) {
    const key = `${pods[i]!.namespace}/${pods[i]!.workload}`;
    const list = byWorkload.get(key);
    if (list) list.push(i);
    else byWorkload.set(key, [i]);
  }
  const workloads = [...byWorkload.values()];
  const peerOf = workloads.map((_, w) =>
    Array.from(
      { length: peers },
      (_, k) => (w + 1 + Math.floor(rand() * (workloads.length - 1)) + k) % workloads.length,
    ),
  );
  const edges: SyntheticCluster['edges'] = [];
  const seen = new Set<string>();
  while (edges.length < edgeCount) {
    const w = Math.floor(rand() * workloads.length);
    const c = workloads[w]![Math.floor(rand() * workloads[w]!.length)]!;
    const p = peerOf[w]![Math.floor(rand() * peers)]!;
    const s = workloads[p]![Math.floor(rand() * workloads[p]!.length)]!;
    const port = PORTS[p % PORTS.length]!;
    const key = `${c}|${s}|${port}`;
    if (c === s || seen.has(key)) continue;
    seen.add(key);
    edges.push({ client: pods[c]!, server: pods[s]!, port, sport: 32768 + (edges.length % 28000) });
  }
  return { pods, edges };
}

export function flowBatch(
  cluster: SyntheticCluster,
  from: number,
  count: number,
  seq: number,
  start: number,
): IngestBatch {
  const flows: FlowRecord[] = [];
  for (let i = 0; i < count; i++) {
    const e = cluster.edges[(from + i) % cluster.edges.length]!;
    const reply = i % 2 === 1;
    flows.push({
      ts: start + 1000,
      src: reply ? e.server : e.client,
      dst: reply ? e.client : e.server,
      sport: reply ? e.port : e.sport,
      dport: reply ? e.sport : e.port,
      proto: 'tcp',
      dir: 'egress',
      bytes: 1500 + (i % 7) * 100,
      packets: 3 + (i % 5),
      tcpFlags: 0x18,
    });
  }
  return {
    type: 'batch',
    seq,
    start,
    end: start + 1000,
    flows,
    drops: [],
    tcp: [],
    tcpStats: [],
    dns: [],
    lost: 0,
  };
}
