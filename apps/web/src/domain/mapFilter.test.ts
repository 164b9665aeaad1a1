import type { GraphEdge, GraphNode, GraphResponse } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { hasProblem, onlyProblems } from './mapFilter.js';

function node(id: string, parent?: string): GraphNode {
  const n: GraphNode = { id, kind: 'workload', label: id, namespace: 'ns', bytesPerSec: 1, dropsPerSec: 0 };
  if (parent) n.parent = parent;
  return n;
}

function edge(source: string, target: string, extra: Partial<GraphEdge> = {}): GraphEdge {
  return {
    id: `${source}->${target}`,
    source,
    target,
    ports: [],
    bytesPerSec: 10,
    packetsPerSec: 1,
    dropsPerSec: 0,
    dropReasons: {},
    tcpConnects: 0,
    tcpFailures: 0,
    connectLatencyP50Ms: null,
    connectLatencyP95Ms: null,
    rttMs: null,
    retransmits: 0,
    dnsQueries: 0,
    dnsErrors: 0,
    ...extra,
  };
}

function graph(nodes: GraphNode[], edges: GraphEdge[]): GraphResponse {
  return {
    level: 'workload',
    mode: 'live',
    start: 0,
    end: 10_000,
    nodes,
    edges,
    folded: 0,
    simulated: false,
  };
}

describe('onlyProblems', () => {
  it('keeps the edges that drop, fail connects or fail DNS, with their ends and those ends’ namespaces', () => {
    const g = graph(
      [
        node('ns:a'),
        node('wl:a/web', 'ns:a'),
        node('wl:a/api', 'ns:a'),
        node('wl:b/db', 'ns:b'),
        node('wl:c/dns', 'ns:c'),
        node('wl:d/quiet'),
      ],
      [
        edge('wl:a/web', 'wl:a/api'),
        edge('wl:a/api', 'wl:b/db', { tcpFailures: 2 }),
        edge('wl:a/web', 'wl:c/dns', { dnsQueries: 10, dnsErrors: 1 }),
        edge('wl:d/quiet', 'wl:a/web'),
        edge('wl:a/web', 'wl:b/db', { dropsPerSec: 0.5 }),
      ],
    );
    const got = onlyProblems(g);
    expect(got.edges.map((e) => e.id)).toEqual([
      'wl:a/api->wl:b/db',
      'wl:a/web->wl:c/dns',
      'wl:a/web->wl:b/db',
    ]);
    // ns:b and ns:c were never sent as nodes: the map makes their boxes from the parents.
    expect(got.nodes.map((n) => n.id)).toEqual(['ns:a', 'wl:a/web', 'wl:a/api', 'wl:b/db', 'wl:c/dns']);
    expect(got.level).toBe('workload');
    // The input is left as it was.
    expect(g.edges).toHaveLength(5);
  });

  it('is empty when nothing has a problem, and the same graph when everything has', () => {
    const quiet = graph([node('wl:a/x'), node('wl:a/y')], [edge('wl:a/x', 'wl:a/y')]);
    expect(onlyProblems(quiet)).toMatchObject({ nodes: [], edges: [] });
    const bad = graph([node('wl:a/x'), node('wl:a/y')], [edge('wl:a/x', 'wl:a/y', { tcpFailures: 1 })]);
    expect(onlyProblems(bad)).toBe(bad);
    expect(hasProblem(edge('a', 'b', { retransmits: 4 }))).toBe(false);
  });

  it('counts slow DNS answers (a port p95 of 200 ms or more) as a problem', () => {
    const dns = (p95: number) =>
      edge('wl:a/x', 'wl:kube-system/dns', {
        ports: [{ port: 53, proto: 'udp', bytesPerSec: 1, dnsQueries: 10, dnsP95Ms: p95 }],
        dnsQueries: 10,
      });
    expect(hasProblem(dns(250))).toBe(true);
    expect(hasProblem(dns(199))).toBe(false);
    const g = graph([node('wl:a/x'), node('wl:kube-system/dns')], [dns(1200), edge('wl:a/x', 'wl:a/y')]);
    expect(onlyProblems(g).edges.map((e) => e.id)).toEqual(['wl:a/x->wl:kube-system/dns']);
  });
});
