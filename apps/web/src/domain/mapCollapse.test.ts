import type { GraphEdge, GraphNode, GraphResponse } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { collapseLargeMap } from './mapCollapse.js';

function ns(name: string): GraphNode {
  return {
    id: `ns:${name}`,
    kind: 'namespace',
    label: name,
    namespace: name,
    bytesPerSec: 0,
    dropsPerSec: 0,
  };
}

function pod(namespace: string, name: string, extra: Partial<GraphNode> = {}): GraphNode {
  return {
    id: `pod:${namespace}/${name}`,
    kind: 'pod',
    label: name,
    namespace,
    parent: `ns:${namespace}`,
    bytesPerSec: 100,
    dropsPerSec: 0,
    ...extra,
  };
}

function edge(source: string, target: string, extra: Partial<GraphEdge> = {}): GraphEdge {
  return {
    id: `${source}->${target}`,
    source,
    target,
    ports: [{ port: 80, proto: 'tcp', bytesPerSec: 10 }],
    bytesPerSec: 10,
    packetsPerSec: 1,
    dropsPerSec: 0,
    dropReasons: {},
    tcpConnects: 1,
    tcpFailures: 0,
    connectLatencyP50Ms: 1,
    connectLatencyP95Ms: 2,
    rttMs: 0.5,
    retransmits: 0,
    dnsQueries: 0,
    dnsErrors: 0,
    ...extra,
  };
}

function graph(nodes: GraphNode[], edges: GraphEdge[]): GraphResponse {
  return { level: 'pod', mode: 'live', start: 0, end: 10_000, nodes, edges, folded: 0, simulated: false };
}

/** Namespaces a, b, c with `per` pods each (a/p0 ...), and the world. */
function cluster(per: number): GraphNode[] {
  const nodes: GraphNode[] = [
    { id: 'world', kind: 'world', label: 'world', namespace: '', bytesPerSec: 5, dropsPerSec: 0 },
  ];
  for (const n of ['a', 'b', 'c']) {
    nodes.push(ns(n));
    for (let i = 0; i < per; i++) nodes.push(pod(n, `p${i}`));
  }
  return nodes;
}

describe('collapseLargeMap', () => {
  it('leaves a graph at or under the threshold alone', () => {
    const g = graph(cluster(3), [edge('pod:a/p0', 'pod:b/p0')]);
    // 9 pods and the world: 10 nodes (the namespace boxes do not count).
    expect(collapseLargeMap(g, '', 10)).toBeNull();
    expect(collapseLargeMap(g, '', 9)).not.toBeNull();
  });

  it('draws each namespace as one node with its count, and sums the edges between them', () => {
    const g = graph(cluster(4), [
      edge('pod:a/p0', 'pod:b/p0', { bytesPerSec: 10, tcpConnects: 2 }),
      edge('pod:a/p1', 'pod:b/p2', {
        bytesPerSec: 30,
        tcpConnects: 3,
        tcpFailures: 2,
        connectLatencyP95Ms: 9,
        ports: [{ port: 9121, proto: 'tcp', bytesPerSec: 30, tcpConnects: 3, tcpFailures: 2, refused: 2 }],
      }),
      edge('pod:a/p2', 'pod:a/p3', { bytesPerSec: 1000 }),
      edge('world', 'pod:c/p1', { dropsPerSec: 2, dropReasons: { policy_drop: 2 } }),
    ]);
    const c = collapseLargeMap(g, '', 5)!;
    expect(c.total).toBe(13);
    expect(c.folded).toBe(12);
    expect([...c.groups].sort()).toEqual(['ns:a', 'ns:b', 'ns:c']);
    const nodes = new Map(c.graph.nodes.map((n) => [n.id, n]));
    expect([...nodes.keys()].sort()).toEqual(['ns:a', 'ns:b', 'ns:c', 'world']);
    expect(nodes.get('ns:a')).toMatchObject({
      kind: 'namespace',
      label: 'a (4 pods)',
      members: 4,
      bytesPerSec: 400,
    });
    expect(nodes.get('ns:a')!.parent).toBeUndefined();
    const edges = new Map(c.graph.edges.map((e) => [e.id, e]));
    // a -> a is inside one namespace: not drawn.
    expect([...edges.keys()].sort()).toEqual(['ns:a->ns:b', 'world->ns:c']);
    const ab = edges.get('ns:a->ns:b')!;
    expect(ab).toMatchObject({
      source: 'ns:a',
      target: 'ns:b',
      bytesPerSec: 40,
      tcpConnects: 5,
      tcpFailures: 2,
    });
    expect(ab.connectLatencyP95Ms).toBe(9);
    expect(ab.ports.map((p) => `${p.port} ${p.bytesPerSec} ${p.refused ?? 0}`)).toEqual([
      '9121 30 2',
      '80 10 0',
    ]);
    expect(edges.get('world->ns:c')).toMatchObject({ dropsPerSec: 2, dropReasons: { policy_drop: 2 } });
    // The graph it came from is untouched.
    expect(g.edges[1]!.ports).toHaveLength(1);
    expect(g.edges[0]!.id).toBe('pod:a/p0->pod:b/p0');
  });

  it('keeps the namespace of the focus open, and the namespaces of an edge focus', () => {
    const edges = [edge('pod:a/p0', 'pod:b/p0'), edge('pod:a/p1', 'pod:b/p0'), edge('pod:c/p0', 'pod:a/p0')];
    const c = collapseLargeMap(graph(cluster(4), edges), 'ns:a', 5)!;
    const ids = c.graph.nodes.map((n) => n.id);
    expect(ids).toContain('pod:a/p0');
    expect(ids).toContain('ns:a');
    expect(c.graph.nodes.find((n) => n.id === 'pod:a/p0')!.parent).toBe('ns:a');
    expect([...c.groups].sort()).toEqual(['ns:b', 'ns:c']);
    expect(c.graph.edges.map((e) => e.id).sort()).toEqual([
      'ns:c->pod:a/p0',
      'pod:a/p0->ns:b',
      'pod:a/p1->ns:b',
    ]);

    const byEdge = collapseLargeMap(graph(cluster(4), edges), 'pod:a/p0->pod:b/p0', 5)!;
    expect([...byEdge.groups]).toEqual(['ns:c']);
    expect(byEdge.graph.edges.map((e) => e.id)).toContain('pod:a/p0->pod:b/p0');
  });

  it('keeps open the namespaces of the pods a focused Kubernetes node runs', () => {
    const nodes = cluster(4).map((n) => (n.id === 'pod:b/p3' ? { ...n, node: 'node-1' } : n));
    const c = collapseLargeMap(graph(nodes, []), 'node:node-1', 5)!;
    expect([...c.groups].sort()).toEqual(['ns:a', 'ns:c']);
  });

  it('names mixed members as nodes, and keeps the worst failing DNS answer of a summed port', () => {
    const nodes = cluster(3);
    nodes.push({
      id: 'svc:a/api',
      kind: 'service',
      label: 'api',
      namespace: 'a',
      parent: 'ns:a',
      bytesPerSec: 1,
      dropsPerSec: 0,
    });
    const dns = (count: number, qname: string): Partial<GraphEdge> => ({
      ports: [
        {
          port: 53,
          proto: 'udp',
          bytesPerSec: 1,
          dnsQueries: 10,
          dnsErrors: count,
          dnsFailure: { qname, rcode: 'NXDOMAIN', count },
        },
      ],
      dnsQueries: 10,
      dnsErrors: count,
    });
    const c = collapseLargeMap(
      graph(nodes, [
        edge('pod:a/p0', 'pod:b/p0', dns(2, 'x.local')),
        edge('pod:a/p1', 'pod:b/p1', dns(5, 'y.local')),
      ]),
      '',
      5,
    )!;
    expect(c.graph.nodes.find((n) => n.id === 'ns:a')!.label).toBe('a (4 nodes)');
    const e = c.graph.edges[0]!;
    expect(e).toMatchObject({ dnsQueries: 20, dnsErrors: 7 });
    expect(e.ports[0]).toMatchObject({
      dnsQueries: 20,
      dnsErrors: 7,
      dnsFailure: { qname: 'y.local', count: 5 },
    });
  });
});
