import type { GraphEdge, GraphNode, GraphResponse } from '@weft/protocol';

export interface SyntheticGraphOptions {
  /** Namespaces are `<prefix>-0`, `<prefix>-1`, ... (default `team`). */
  prefix?: string;
  namespaces: number;
  /** Pods per namespace, `svc-0` ... */
  pods: number;
  edges: number;
  /** The answer's level (default `pod`). */
  level?: string;
  /** How edge `n` (in the order made) differs from a healthy 5432/TCP edge of 2 kB/s. */
  edge?: (n: number) => Partial<GraphEdge>;
}

/** A healthy `port`/TCP edge of 2 kB/s from `a` to `b`, as a graph answer carries it. */
export function healthyEdge(a: GraphNode, b: GraphNode, port: number): GraphEdge {
  return {
    id: `${a.id}->${b.id}`,
    source: a.id,
    target: b.id,
    ports: [{ port, proto: 'tcp', bytesPerSec: 2000 }],
    bytesPerSec: 2000,
    packetsPerSec: 2,
    dropsPerSec: 0,
    dropReasons: {},
    tcpConnects: 1,
    tcpFailures: 0,
    connectLatencyP50Ms: 0.5,
    connectLatencyP95Ms: 2,
    rttMs: 0.3,
    retransmits: 0,
    dnsQueries: 0,
    dnsErrors: 0,
  };
}

/**
 * A large cluster's graph answer, made up (the size of the canvas renderer's maps, without the lab):
 * pods in namespaces, pod edges spread over them in a fixed order, a past moment (REST, no refresh).
 */
export function syntheticPodGraph(o: SyntheticGraphOptions): GraphResponse {
  const prefix = o.prefix ?? 'team';
  const nodes: GraphNode[] = [];
  const leaves: GraphNode[] = [];
  for (let n = 0; n < o.namespaces; n++) {
    const ns = `${prefix}-${n}`;
    nodes.push({
      id: `ns:${ns}`,
      kind: 'namespace',
      label: ns,
      namespace: ns,
      bytesPerSec: 0,
      dropsPerSec: 0,
    });
    for (let p = 0; p < o.pods; p++) {
      const pod: GraphNode = {
        id: `pod:${ns}/svc-${p}`,
        kind: 'pod',
        label: `svc-${p}`,
        namespace: ns,
        parent: `ns:${ns}`,
        bytesPerSec: 1000 * (p + 1),
        dropsPerSec: 0,
      };
      nodes.push(pod);
      leaves.push(pod);
    }
  }
  const edges: GraphEdge[] = [];
  const ids = new Set<string>();
  for (let i = 0; edges.length < o.edges; i++) {
    const a = leaves[i % leaves.length]!;
    const b = leaves[(i * 7 + 3 + Math.floor(i / leaves.length)) % leaves.length]!;
    const id = `${a.id}->${b.id}`;
    if (a === b || ids.has(id)) continue;
    ids.add(id);
    edges.push({ ...healthyEdge(a, b, 5432), ...o.edge?.(edges.length) });
  }
  const now = Date.now();
  return {
    level: o.level ?? 'pod',
    mode: 'at',
    start: now - 70_000,
    end: now - 60_000,
    nodes,
    edges,
    folded: 0,
    simulated: true,
  };
}
