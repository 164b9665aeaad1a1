import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode, GraphResponse } from './graph.js';
import {
  applyGraphDelta,
  canonicalGraph,
  GraphDeltaMismatch,
  graphChanges,
  itemsById,
} from './graphDelta.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A random graph over a pool of 30 pods, many of its figures repeating the graph before it. */
function nextGraph(rand: () => number, prev: GraphResponse | null, tick: number): GraphResponse {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const pods = Array.from({ length: 30 }, (_, i) => `pod:ns-${i % 3}/p${i}`);
  const prevNodes = new Map((prev?.nodes ?? []).map((n) => [n.id, n]));
  const prevEdges = new Map((prev?.edges ?? []).map((e) => [e.id, e]));
  const nodes: GraphNode[] = [];
  for (const id of pods) {
    if (rand() < 0.2) continue;
    const old = prevNodes.get(id);
    if (old && rand() < 0.7) {
      nodes.push(old);
      continue;
    }
    const n: GraphNode = {
      id,
      kind: 'pod',
      label: id.slice(4),
      namespace: id.slice(4, 8),
      bytesPerSec: pick([0, 1, 2.5, Number.NaN, 1e9]),
      dropsPerSec: pick([0, 0.1]),
    };
    if (rand() < 0.5) n.parent = `ns:${n.namespace}`;
    if (rand() < 0.3) n.dns = rand() < 0.5;
    // An optional field present but undefined, as object spreads leave them.
    if (rand() < 0.2) n.node = undefined;
    nodes.push(n);
  }
  const edges: GraphEdge[] = [];
  for (let k = 0; k < 40; k++) {
    const a = pick(nodes);
    const b = pick(nodes);
    const id = `${a.id}->${b.id}`;
    if (edges.some((e) => e.id === id)) continue;
    const old = prevEdges.get(id);
    if (old && rand() < 0.6) {
      edges.push(rand() < 0.5 ? old : { ...old, bytesPerSec: old.bytesPerSec + 1 });
      continue;
    }
    const e: GraphEdge = {
      id,
      source: a.id,
      target: b.id,
      ports:
        rand() < 0.5
          ? []
          : [
              { port: pick([53, 80]), proto: 'tcp', bytesPerSec: pick([1, 2]) },
              ...(rand() < 0.5
                ? []
                : [
                    {
                      port: 9121,
                      proto: 'tcp',
                      bytesPerSec: 0,
                      tcpConnects: 2,
                      tcpFailures: 2,
                      refused: pick([1, 2]),
                    },
                  ]),
            ],
      bytesPerSec: pick([0, 5, 5, 100]),
      packetsPerSec: pick([0, 1]),
      dropsPerSec: pick([0, 2]),
      dropReasons: rand() < 0.5 ? {} : { policy_drop: pick([1, 2]) },
      tcpConnects: pick([0, 3]),
      tcpFailures: 0,
      connectLatencyP50Ms: pick([null, 1]),
      connectLatencyP95Ms: null,
      rttMs: pick([null, 0.2, Number.POSITIVE_INFINITY]),
      retransmits: 0,
      dnsQueries: 0,
      dnsErrors: pick([0, 1]),
    };
    if (rand() < 0.2) e.changes = [pick(['new', 'drops_rose'] as const)];
    if (rand() < 0.2) e.portsMore = pick([1, 3]);
    edges.push(e);
  }
  const g: GraphResponse = {
    level: pick(['pod', 'pod', 'workload']),
    mode: 'live',
    start: tick * 1000,
    end: tick * 1000 + 10_000,
    nodes,
    edges,
    folded: pick([0, 2]),
    simulated: false,
  };
  if (rand() < 0.3) g.source = 'store';
  return g;
}

/** As the browser gets it: through JSON. */
const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x));

describe('graph deltas', () => {
  it('applied in sequence, give exactly what a whole update gives (200 seeded runs)', {
    timeout: 60_000,
  }, () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rand = rng(seed);
      let server = nextGraph(rand, null, 0);
      let client = canonicalGraph(wire(server));
      let changed = 0;
      for (let tick = 1; tick <= 25; tick++) {
        const next = nextGraph(rand, server, tick);
        const d = graphChanges(itemsById(server.nodes), itemsById(server.edges), next);
        changed += d.nodes.put.length + d.nodes.patch.length + d.edges.patch.length;
        client = applyGraphDelta(client, wire(d));
        expect(client, `seed ${seed} tick ${tick}`).toEqual(canonicalGraph(wire(next)));
        server = next;
      }
      expect(changed).toBeGreaterThan(0);
    }
  });

  it('sends only the fields that changed, and whole items when a field came or went', () => {
    const base = nextGraph(rng(3), null, 0);
    const [e0, e1] = base.edges;
    const n0 = base.nodes[0]!;
    const next: GraphResponse = {
      ...base,
      nodes: [{ ...n0, members: 4 }, ...base.nodes.slice(1)],
      edges: [{ ...e0!, bytesPerSec: e0!.bytesPerSec + 7 }, ...base.edges.slice(2)],
    };
    const d = graphChanges(itemsById(base.nodes), itemsById(base.edges), next);
    expect(d.edges.patch).toEqual([{ id: e0!.id, bytesPerSec: e0!.bytesPerSec + 7 }]);
    expect(d.edges.remove).toEqual([e1!.id]);
    expect(d.edges.put).toEqual([]);
    expect(d.nodes.put).toEqual([{ ...n0, members: 4 }]);
    expect(d.nodes.patch).toEqual([]);
    // Nothing changed: nothing sent.
    const same = graphChanges(itemsById(next.nodes), itemsById(next.edges), wire(next));
    expect([same.nodes, same.edges]).toEqual([
      { put: [], patch: [], remove: [] },
      { put: [], patch: [], remove: [] },
    ]);
  });

  it("carries a port's health as a patch of the edge's ports", () => {
    const base = nextGraph(rng(3), null, 0);
    const e0 = base.edges[0]!;
    const quiet = { ...e0, ports: [{ port: 9121, proto: 'tcp', bytesPerSec: 5, tcpConnects: 3 }] };
    const refused = {
      ...quiet,
      tcpFailures: 2,
      ports: [{ port: 9121, proto: 'tcp', bytesPerSec: 5, tcpConnects: 5, tcpFailures: 2, refused: 2 }],
    };
    const before = { ...base, edges: [quiet, ...base.edges.slice(1)] };
    const after = { ...base, edges: [refused, ...base.edges.slice(1)] };
    const d = graphChanges(itemsById(before.nodes), itemsById(before.edges), after);
    expect(d.edges.patch).toEqual([{ id: e0.id, ports: refused.ports, tcpFailures: 2 }]);
    expect(d.edges.put).toEqual([]);
    const got = applyGraphDelta(canonicalGraph(wire(before)), wire(d));
    expect(got.edges.find((e) => e.id === e0.id)!.ports).toEqual(refused.ports);
  });

  it('refuses a delta made against another graph', () => {
    const a = nextGraph(rng(5), null, 0);
    const b = nextGraph(rng(6), a, 1);
    const d = graphChanges(itemsById(a.nodes), itemsById(a.edges), b);
    const empty = { ...a, nodes: [], edges: [] };
    if (d.edges.patch.length + d.nodes.patch.length === 0) throw new Error('the case needs a patch');
    expect(() => applyGraphDelta(empty, d)).toThrow(GraphDeltaMismatch);
  });
});
