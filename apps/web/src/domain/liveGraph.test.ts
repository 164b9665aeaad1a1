import {
  canonicalGraph,
  type GraphEdge,
  type GraphNode,
  type GraphResponse,
  graphChanges,
  itemsById,
  type LiveDelta,
  type LiveSummary,
  type LiveUpdate,
} from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { LiveGraph } from './liveGraph.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const summary: LiveSummary = {
  bytesPerSec: 1,
  packetsPerSec: 1,
  dropsPerSec: 0,
  dnsQueriesPerSec: 0,
  dnsErrorRate: 0,
  tcpConnectsPerSec: 0,
  tcpFailuresPerSec: 0,
  alertsFiring: 0,
  alertsPending: 0,
  collectors: 1,
};

/** A cluster's graph that moves on: pods come and go, some edges' figures change, most stay. */
function nextGraph(rand: () => number, prev: GraphResponse | null, tick: number): GraphResponse {
  const prevNodes = itemsById(prev?.nodes ?? []);
  const prevEdges = itemsById(prev?.edges ?? []);
  const nodes: GraphNode[] = [];
  for (let i = 0; i < 25; i++) {
    const id = `pod:ns/p${i}`;
    if (rand() < 0.1) continue;
    const old = prevNodes.get(id);
    nodes.push(
      old && rand() < 0.8
        ? old
        : {
            id,
            kind: 'pod',
            label: `p${i}`,
            namespace: 'ns',
            ...(rand() < 0.5 ? { parent: 'ns:ns' } : {}),
            bytesPerSec: Math.floor(rand() * 5),
            dropsPerSec: 0,
          },
    );
  }
  const edges: GraphEdge[] = [];
  for (let k = 0; k < 30; k++) {
    const a = nodes[Math.floor(rand() * nodes.length)]!;
    const b = nodes[Math.floor(rand() * nodes.length)]!;
    const id = `${a.id}->${b.id}`;
    if (a === b || edges.some((e) => e.id === id)) continue;
    const old = prevEdges.get(id);
    if (old && rand() < 0.7) {
      edges.push(rand() < 0.8 ? old : { ...old, dropsPerSec: old.dropsPerSec + 1 });
      continue;
    }
    edges.push({
      id,
      source: a.id,
      target: b.id,
      ports: [{ port: 80, proto: 'tcp', bytesPerSec: 1 }],
      bytesPerSec: Math.floor(rand() * 4),
      packetsPerSec: 1,
      dropsPerSec: 0,
      dropReasons: rand() < 0.3 ? { policy_drop: 1 } : {},
      tcpConnects: 1,
      tcpFailures: 0,
      connectLatencyP50Ms: rand() < 0.5 ? null : 1,
      connectLatencyP95Ms: null,
      rttMs: null,
      retransmits: 0,
      dnsQueries: 0,
      dnsErrors: 0,
      ...(rand() < 0.2 ? { changes: ['new' as const] } : {}),
    });
  }
  return {
    level: 'pod',
    mode: 'live',
    start: tick,
    end: tick + 10,
    nodes,
    edges,
    folded: 0,
    simulated: false,
  };
}

const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x));

describe('the live graph the browser holds', () => {
  it('ends with exactly the whole graph after any run of deltas, missed ones and resyncs (150 seeds)', {
    timeout: 60_000,
  }, () => {
    for (let seed = 1; seed <= 150; seed++) {
      const rand = rng(seed);
      const live = new LiveGraph();
      // The server's side: the graph it last sent this client, and whether the client asked for it whole.
      let server = nextGraph(rand, null, 0);
      let sentSeq = 1;
      let whole = false;
      const update = (g: GraphResponse, seq: number): LiveUpdate => ({
        type: 'update',
        seq,
        ts: seq,
        graph: g,
        summary,
        simulated: false,
      });
      expect(live.receive(wire(update(server, 1))).show?.graph).toEqual(canonicalGraph(wire(server)));
      let shown = 0;
      for (let seq = 2; seq <= 40; seq++) {
        const next = nextGraph(rand, server, seq);
        let msg: LiveUpdate | LiveDelta;
        if (whole) msg = update(next, seq);
        else
          msg = {
            type: 'delta',
            seq,
            base: sentSeq,
            ts: seq,
            ...graphChanges(itemsById(server.nodes), itemsById(server.edges), next),
            summary,
            simulated: false,
          };
        whole = false;
        server = next;
        sentSeq = seq;
        // One delta in six never reaches the graph (the client holds one the server moved past); a
        // whole graph always does, as over one TCP connection.
        if (msg.type === 'delta' && rand() < 1 / 6) continue;
        const got = live.receive(wire(msg));
        if (got.resync) whole = true;
        if (got.show) {
          shown++;
          expect(got.show.graph, `seed ${seed} seq ${seq}`).toEqual(canonicalGraph(wire(next)));
          expect(got.show.seq).toBe(seq);
        } else expect(live.current).toBeNull();
      }
      expect(shown).toBeGreaterThan(10);
    }
  });

  it('asks once for the whole graph after a gap, and ignores deltas until it comes', () => {
    const live = new LiveGraph();
    const g = nextGraph(rng(1), null, 0);
    const base: LiveUpdate = { type: 'update', seq: 5, ts: 0, graph: g, summary, simulated: false };
    live.receive(base);
    const delta = (seq: number, on: number): LiveDelta => ({
      type: 'delta',
      seq,
      base: on,
      ts: 0,
      ...graphChanges(itemsById(g.nodes), itemsById(g.edges), g),
      summary,
      simulated: false,
    });
    expect(live.receive(delta(6, 5)).show?.seq).toBe(6);
    expect(live.receive(delta(8, 7))).toEqual({ show: null, resync: true });
    expect(live.receive(delta(9, 8))).toEqual({ show: null, resync: false });
    expect(live.receive({ ...base, seq: 10 }).show?.seq).toBe(10);
    expect(live.receive(delta(11, 10)).show?.seq).toBe(11);
    // A new subscription: nothing held, so the first delta (of the old one) is a gap too.
    live.reset();
    expect(live.receive(delta(12, 11)).resync).toBe(true);
  });
});
