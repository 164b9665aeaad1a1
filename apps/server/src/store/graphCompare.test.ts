import type { GraphEdge, GraphNode, GraphResponse } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { CHANGE_THRESHOLDS, compareGraphs, edgeChanges, rose } from './graphCompare.js';

function edge(source: string, target: string, patch: Partial<GraphEdge> = {}): GraphEdge {
  return {
    id: `${source}->${target}`,
    source,
    target,
    ports: [{ port: 80, proto: 'tcp', bytesPerSec: 100 }],
    bytesPerSec: 100,
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
    ...patch,
  };
}

function node(id: string): GraphNode {
  return { id, kind: 'namespace', label: id, namespace: id, bytesPerSec: 1, dropsPerSec: 0 };
}

function graph(edges: GraphEdge[], start: number, end: number): GraphResponse {
  const ids = [...new Set(edges.flatMap((e) => [e.source, e.target]))].sort();
  return {
    level: 'namespace',
    mode: 'range',
    start,
    end,
    nodes: ids.map(node),
    edges,
    folded: 0,
    simulated: false,
  };
}

const TEN = { current: 10, baseline: 10 };

describe('rose', () => {
  it('needs both the ratio and the extra events', () => {
    // 0 -> 0.5/s over 10 s: 5 events where none were expected.
    expect(rose(0.5, 0, 10)).toBe(true);
    // 0 -> 0.4/s over 10 s: 4 events, under the floor however high the ratio.
    expect(rose(0.4, 0, 10)).toBe(false);
    // A brief fault inside an hour: 0.01/s is 36 events more than none.
    expect(rose(0.01, 0, 3600)).toBe(true);
    // Steady dropping at 10/s, now 15/s: 50 extra events but only 1.5x.
    expect(rose(15, 10, 10)).toBe(false);
    expect(rose(20, 10, 10)).toBe(true);
    expect(rose(0, 5, 10)).toBe(false);
    expect(CHANGE_THRESHOLDS.ratio).toBeGreaterThan(1);
  });
});

describe('edgeChanges', () => {
  it('compares counts as rates over windows of different length', () => {
    // 6 failures in 10 s against 60 in an hour (0.017/s): rose. 6 in 10 s against 6 in 10 s: did not.
    expect(
      edgeChanges(edge('a', 'b', { tcpFailures: 6 }), edge('a', 'b', { tcpFailures: 60 }), {
        current: 10,
        baseline: 3600,
      }),
    ).toEqual(['failures_rose']);
    expect(edgeChanges(edge('a', 'b', { tcpFailures: 6 }), edge('a', 'b', { tcpFailures: 6 }), TEN)).toEqual(
      [],
    );
    expect(
      edgeChanges(edge('a', 'b', { dropsPerSec: 3, dnsErrors: 9 }), edge('a', 'b', { dnsErrors: 1 }), TEN),
    ).toEqual(['drops_rose', 'dns_errors_rose']);
  });
});

describe('compareGraphs', () => {
  /** Fresh graphs each time: compareGraphs consumes its inputs. */
  const compared = () => {
    const base = graph(
      [
        edge('ns:a', 'ns:b', { bytesPerSec: 50, tcpFailures: 1 }),
        edge('ns:a', 'ns:gone', {
          bytesPerSec: 70,
          dnsErrors: 2,
          ports: [{ port: 53, proto: 'udp', bytesPerSec: 70 }],
        }),
      ],
      0,
      10_000,
    );
    const cur = graph(
      [edge('ns:a', 'ns:b', { tcpFailures: 30 }), edge('ns:a', 'ns:c', { dropsPerSec: 2 })],
      10_000,
      20_000,
    );
    return compareGraphs(cur, base, { start: 0, end: 10_000 }, TEN);
  };

  it('marks new edges and rises, with baseline figures for edges seen then', () => {
    const out = compared();
    expect(out.baseline).toEqual({ start: 0, end: 10_000 });
    expect(out.start).toBe(10_000);
    const ab = out.edges.find((e) => e.id === 'ns:a->ns:b')!;
    expect(ab.changes).toEqual(['failures_rose']);
    expect(ab.baseline).toEqual({ bytesPerSec: 50, dropsPerSec: 0, tcpFailures: 1, dnsErrors: 0 });
    const ac = out.edges.find((e) => e.id === 'ns:a->ns:c')!;
    expect(ac.changes).toEqual(['new', 'drops_rose']);
    expect(ac.baseline).toBeUndefined();
  });

  it('keeps vanished edges with zero rates, and their nodes', () => {
    const out = compared();
    const gone = out.edges.find((e) => e.id === 'ns:a->ns:gone')!;
    expect(gone).toMatchObject({ bytesPerSec: 0, dnsErrors: 0, changes: ['vanished'] });
    expect(gone.ports).toEqual([{ port: 53, proto: 'udp', bytesPerSec: 0 }]);
    expect(gone.baseline).toEqual({ bytesPerSec: 70, dropsPerSec: 0, tcpFailures: 0, dnsErrors: 2 });
    expect(out.nodes.map((n) => n.id)).toEqual(['ns:a', 'ns:b', 'ns:c', 'ns:gone']);
    expect(out.nodes.find((n) => n.id === 'ns:gone')).toMatchObject({ bytesPerSec: 0, dropsPerSec: 0 });
    expect(out.edges.map((e) => e.id)).toEqual(['ns:a->ns:b', 'ns:a->ns:c', 'ns:a->ns:gone']);
  });

  it('leaves an unchanged edge unmarked', () => {
    const edges = () => [edge('ns:a', 'ns:b', { dropsPerSec: 1, tcpFailures: 4 })];
    const same = compareGraphs(graph(edges(), 10, 20), graph(edges(), 0, 10), { start: 0, end: 10 }, TEN);
    expect(same.edges).toHaveLength(1);
    expect(same.edges[0]!.changes).toBeUndefined();
    expect(same.edges[0]!.baseline).toEqual({
      bytesPerSec: 100,
      dropsPerSec: 1,
      tcpFailures: 4,
      dnsErrors: 0,
    });
  });
});
