import {
  applyGraphDelta,
  canonicalGraph,
  type FilterState,
  type GraphEdge,
  type GraphResponse,
  type LiveDelta,
  type LiveServerMessage,
  type LiveSummary,
  type LiveUpdate,
} from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { LoopShare } from '../loopShare.js';
import { ServerMetrics } from '../serverMetrics.js';
import {
  DEFAULT_LIVE_LIMITS,
  LiveHub,
  type LiveLimits,
  type LiveSocket,
  MAX_BUFFERED_BYTES,
} from './liveHub.js';

/** A socket whose send buffer the test controls (the kernel's is not controllable from a test). */
class BufferingSocket implements LiveSocket {
  bufferedAmount = 0;
  readyState = 1;
  sent: { type: string; seq?: number }[] = [];
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  closed: { code?: number; reason?: string } | null = null;
  terminated = false;
  close(code?: number, reason?: string) {
    this.readyState = 3;
    this.closed = { code, reason };
  }
  terminate() {
    this.readyState = 3;
    this.terminated = true;
  }
  /** Pings sent; each answered at once (as a browser that reads does) unless `reading` is false. */
  pings: string[] = [];
  reading = true;
  answer: ((data: string) => void) | null = null;
  ping(data: string) {
    this.pings.push(data);
    if (this.reading) this.answer?.(data);
  }
}

/** hub.add, with the socket's pongs wired to the hub as the live route wires them. */
function add(hub: LiveHub, socket: BufferingSocket) {
  const handle = hub.add(socket);
  socket.answer = handle.pong;
  return handle;
}

const summary: LiveSummary = {
  bytesPerSec: 0,
  packetsPerSec: 0,
  dropsPerSec: 0,
  dnsQueriesPerSec: 0,
  dnsErrorRate: 0,
  tcpConnectsPerSec: 0,
  tcpFailuresPerSec: 0,
  alertsFiring: 0,
  alertsPending: 0,
  collectors: 0,
};

function graphOf(f: FilterState, now: number): GraphResponse {
  const w = { start: now - 10_000, end: now };
  return {
    level: f.level,
    mode: 'live',
    start: w.start,
    end: w.end,
    nodes: [],
    edges: [],
    folded: 0,
    simulated: false,
  };
}

function hubWith(opts: {
  clock: { now: number };
  graph?: (f: FilterState, now: number) => GraphResponse;
  summary?: () => LiveSummary;
  limits?: Partial<LiveLimits>;
}) {
  const metrics = new ServerMetrics();
  const errors: string[] = [];
  const hub = new LiveHub(
    {
      now: () => opts.clock.now,
      simulated: () => false,
      summary: opts.summary ?? (() => summary),
      graph: opts.graph ?? graphOf,
    },
    metrics,
    { ...DEFAULT_LIVE_LIMITS, ...opts.limits },
  );
  hub.onError = (_err, what) => errors.push(what);
  return { hub, metrics, errors };
}

const closedFor = (m: ServerMetrics, reason: string) => m.wsClosed.get(`live\t${reason}`) ?? 0;

describe('LiveHub', () => {
  it('skips a backed-up client instead of buffering, and shares one graph per filter', () => {
    let graphs = 0;
    const metrics = new ServerMetrics();
    const hub = new LiveHub(
      {
        now: () => 1,
        simulated: () => false,
        summary: () => summary,
        graph: (f, now) => {
          graphs++;
          return {
            level: f.level,
            mode: 'live',
            start: now - 10_000,
            end: now,
            nodes: [],
            edges: [],
            folded: 0,
            simulated: false,
          } as GraphResponse;
        },
      },
      metrics,
    );
    const fast = new BufferingSocket();
    const slow = new BufferingSocket();
    const a = add(hub, fast);
    const b = add(hub, slow);
    a.message('{"type":"subscribe","filter":"level=pod"}');
    b.message('{"type":"subscribe","filter":"level=pod"}');
    graphs = 0;
    slow.bufferedAmount = MAX_BUFFERED_BYTES + 1;
    expect(hub.tick()).toBe(1);
    expect(hub.tick()).toBe(1);
    expect(graphs).toBe(2);
    expect(metrics.liveUpdatesSkipped).toBe(2);
    expect(slow.sent).toHaveLength(1);
    slow.bufferedAmount = 0;
    hub.tick();
    // The gap in sequence numbers tells the client it missed updates.
    expect(slow.sent.map((m) => m.seq)).toEqual([2, 5]);
    expect(fast.sent.map((m) => m.seq)).toEqual([1, 3, 4, 5]);
    // What it missed is not in a delta against what it holds: it is sent the whole graph.
    expect(slow.sent.map((m) => m.type)).toEqual(['update', 'update']);
    expect(fast.sent.map((m) => m.type)).toEqual(['update', 'delta', 'delta', 'delta']);
    b.close();
    expect(hub.size).toBe(1);
    expect(metrics.liveClients).toBe(1);
  });

  it('computes one graph per task in a sliced round, and skips a round asked for while one runs', async () => {
    let graphs = 0;
    const { hub, metrics } = hubWith({
      clock: { now: 1 },
      graph: (f, w) => {
        graphs++;
        return graphOf(f, w);
      },
    });
    const sockets = ['pod', 'workload', 'pod', 'namespace'].map((level) => {
      const s = new BufferingSocket();
      add(hub, s).message(JSON.stringify({ type: 'subscribe', filter: `level=${level}` }));
      return s;
    });
    graphs = 0;
    // What each task between two yields computed; a second round asked for meanwhile is not started.
    const perTask: number[] = [];
    let seen = 0;
    let second: Promise<number> | null = null;
    const sent = await hub.tickInSlices(async () => {
      perTask.push(graphs - seen);
      seen = graphs;
      second ??= hub.tickInSlices(async () => {});
    });
    perTask.push(graphs - seen);
    expect(sent).toBe(4);
    expect(graphs).toBe(3);
    expect(Math.max(...perTask)).toBe(1);
    expect(await second).toBe(0);
    expect(metrics.liveRoundsSkipped).toBe(1);
    for (const s of sockets) expect(s.sent.map((m) => m.type)).toEqual(['update', 'delta']);
    // Once it ended, the next round runs.
    expect(await hub.tickInSlices(async () => {})).toBe(4);
  });

  it('stops a round past its share of the loop, and serves the clients it did not reach first next', async () => {
    const clock = { now: 0 };
    const order: string[] = [];
    const { hub, metrics } = hubWith({
      clock: { now: 1 },
      graph: (f, w) => {
        // Each graph costs 100 ms of the (fake) loop clock.
        clock.now += 100;
        order.push(f.level);
        return graphOf(f, w);
      },
    });
    for (const level of ['pod', 'workload', 'namespace', 'node'])
      add(hub, new BufferingSocket()).message(
        JSON.stringify({ type: 'subscribe', filter: `level=${level}` }),
      );
    order.length = 0;
    clock.now = 0;
    const share = new LoopShare(250, 200, 0);
    const next = async () => {};
    // 200 ms saved up (and 25 ms more a graph): the third graph goes past it, the round ends there.
    expect(await hub.tickInSlices(next, share, () => clock.now)).toBe(3);
    expect(order).toEqual(['pod', 'workload', 'namespace']);
    expect(metrics.liveRoundsCut).toBe(1);
    // Still over its share: no round at all until it has paid back.
    expect(await hub.tickInSlices(next, share, () => clock.now)).toBe(0);
    expect(order).toHaveLength(3);
    clock.now += 1_000;
    order.length = 0;
    await hub.tickInSlices(next, share, () => clock.now);
    expect(order[0]).toBe('node');
  });

  it('closes a client whose replies pile up instead of queueing them', () => {
    const { hub, metrics } = hubWith({ clock: { now: 1 } });
    const reader = new BufferingSocket();
    const hog = new BufferingSocket();
    const r = add(hub, reader);
    const h = add(hub, hog);
    r.message('{"type":"subscribe","filter":"level=pod"}');
    h.message('{"type":"subscribe","filter":"bogus=1"}');
    expect(hog.sent.map((m) => m.type)).toEqual(['error', 'update']);
    hog.bufferedAmount = MAX_BUFFERED_BYTES + 1;
    // Errors and subscribe answers alike: nothing more is queued, the client is closed and counted.
    h.message('not json');
    expect(hog.sent).toHaveLength(2);
    expect(hog.closed).toMatchObject({ code: 1008 });
    expect(hog.closed?.reason).toMatch(/not being read/);
    expect(hog.terminated).toBe(true);
    expect(closedFor(metrics, 'backlog')).toBe(1);
    expect(hub.size).toBe(1);
    h.message('{"type":"subscribe","filter":"level=pod"}');
    expect(hog.sent).toHaveLength(2);
    expect(hub.tick()).toBe(1);
    expect(reader.sent.map((m) => m.type)).toEqual(['update', 'delta']);
  });

  it('handles a burst, then keeps only the newest message for the next round', () => {
    const clock = { now: 1_000 };
    const { hub, metrics } = hubWith({ clock, limits: { messageBurst: 2, messagesPerSecond: 1 } });
    const s = new BufferingSocket();
    const c = add(hub, s);
    for (const level of ['pod', 'workload', 'node', 'namespace', 'pod', 'node'])
      c.message(JSON.stringify({ type: 'subscribe', filter: `level=${level}&bogus=${level}` }));
    // Two answered (error + update each); four throttled, of which the last is applied at the round.
    expect(s.sent.map((m) => m.type)).toEqual(['error', 'update', 'error', 'update']);
    expect(metrics.liveMessagesThrottled).toBe(4);
    hub.tick();
    const last = s.sent.slice(4) as unknown as { type: string; graph?: { level: string } }[];
    expect(last.map((m) => m.type)).toEqual(['error', 'update']);
    expect(last[1]?.graph?.level).toBe('node');
    // The allowance refills with time.
    clock.now += 1_000;
    c.message('{"type":"subscribe","filter":"level=pod"}');
    expect((s.sent.at(-1) as unknown as { graph: { level: string } }).graph.level).toBe('pod');
    expect(metrics.liveMessagesThrottled).toBe(4);
  });

  it('closes a client that does not subscribe in time, even if it keeps talking', () => {
    const clock = { now: 0 };
    const { hub, metrics } = hubWith({ clock, limits: { subscribeTimeoutMs: 5_000 } });
    const idle = new BufferingSocket();
    const chatty = new BufferingSocket();
    const ok = new BufferingSocket();
    add(hub, idle);
    const ch = add(hub, chatty);
    add(hub, ok).message('{"type":"subscribe","filter":"level=pod"}');
    hub.tick();
    expect(idle.closed).toBeNull();
    clock.now = 5_000;
    ch.message('{"type":"hello"}');
    hub.tick();
    expect(idle.closed).toMatchObject({ code: 1008, reason: 'no subscribe within 5 s' });
    expect(chatty.closed).toMatchObject({ code: 1008 });
    expect(ok.closed).toBeNull();
    expect(closedFor(metrics, 'no_subscribe')).toBe(2);
    expect(hub.size).toBe(1);
  });

  it('a graph failing for one filter leaves the others their updates', () => {
    const { hub, metrics, errors } = hubWith({
      clock: { now: 1 },
      graph: (f, w) => {
        if (f.level === 'workload') throw new Error('boom');
        return graphOf(f, w);
      },
    });
    const bad = [new BufferingSocket(), new BufferingSocket()];
    const good = new BufferingSocket();
    for (const s of bad) add(hub, s).message('{"type":"subscribe","filter":"level=workload"}');
    add(hub, good).message('{"type":"subscribe","filter":"level=pod"}');
    expect(hub.tick()).toBe(1);
    expect(good.sent.map((m) => m.type)).toEqual(['update', 'delta']);
    for (const s of bad) {
      expect(s.sent.map((m) => m.type)).toEqual(['error', 'error']);
      expect(s.closed).toBeNull();
    }
    // Computed (and failed) once per round per filter, not once per subscriber.
    expect(metrics.liveGraphErrors).toBe(3);
    expect(errors.length).toBe(3);
  });

  it('an exception while serving one client closes that client, never the round', () => {
    let failSummary = false;
    const { hub, metrics } = hubWith({
      clock: { now: 1 },
      summary: () => {
        if (failSummary) throw new Error('boom');
        return summary;
      },
    });
    const victim = new BufferingSocket();
    const other = new BufferingSocket();
    const v = add(hub, victim);
    add(hub, other).message('{"type":"subscribe","filter":"level=pod"}');
    failSummary = true;
    expect(() => v.message('{"type":"subscribe","filter":"level=pod"}')).not.toThrow();
    expect(victim.closed).toEqual({ code: 1011, reason: 'internal error' });
    expect(closedFor(metrics, 'handler_error')).toBe(1);
    // A failing summary skips the round for everyone without throwing out of the timer.
    expect(hub.tick()).toBe(0);
    failSummary = false;
    expect(hub.tick()).toBe(1);
    expect(hub.size).toBe(1);
    // A socket whose send throws is closed; the next client still gets its update.
    const broken = new BufferingSocket();
    broken.send = () => {
      throw new Error('EPIPE');
    };
    add(hub, broken).message('{"type":"subscribe","filter":"level=pod"}');
    expect(broken.closed).toEqual({ code: 1011, reason: 'internal error' });
    expect(hub.tick()).toBe(1);
  });

  it('sends what changed since the graph each client holds, and the whole graph when it must', () => {
    // A graph of 40 edges in which one edge's rate changes each round and, every third round, an edge
    // comes or goes.
    let round = 0;
    const edge = (i: number, bytes: number): GraphEdge => ({
      id: `pod:a/p${i}->pod:a/q${i}`,
      source: `pod:a/p${i}`,
      target: `pod:a/q${i}`,
      ports: [{ port: 80, proto: 'tcp', bytesPerSec: bytes }],
      bytesPerSec: bytes,
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
    });
    const graph = (f: FilterState, now: number): GraphResponse => {
      const edges: GraphEdge[] = [];
      for (let i = 0; i < 40 + Math.floor(round / 3); i++)
        edges.push(edge(i, i === round % 40 ? 1000 + round : i));
      return { ...graphOf(f, now), edges };
    };
    const clock = { now: 1_000 };
    const { hub, metrics } = hubWith({ clock, graph });
    const s = new BufferingSocket();
    const raw: string[] = [];
    s.send = (d: string) => {
      raw.push(d);
      s.sent.push(JSON.parse(d));
    };
    const c = add(hub, s);
    c.message('{"type":"subscribe","filter":"level=pod","sub":7}');
    let held: { seq: number; graph: GraphResponse } | null = null;
    const apply = () => {
      for (const text of raw.splice(0)) {
        const m = JSON.parse(text) as LiveServerMessage;
        if (m.type === 'error') continue;
        expect(m.sub).toBe(7);
        if (m.type === 'update') held = { seq: m.seq, graph: canonicalGraph((m as LiveUpdate).graph) };
        else {
          const d = m as LiveDelta;
          expect(d.base).toBe(held?.seq);
          held = { seq: d.seq, graph: applyGraphDelta(held!.graph, d) };
        }
      }
    };
    for (round = 1; round <= 12; round++) {
      clock.now += 1_000;
      hub.tick();
      apply();
      // The client's graph is the server's, item for item.
      expect(held!.graph).toEqual(
        canonicalGraph(JSON.parse(JSON.stringify(graph({ level: 'pod' } as FilterState, clock.now)))),
      );
    }
    const types = s.sent.map((m) => m.type);
    expect(types).toEqual(['update', ...Array(12).fill('delta')]);
    expect([metrics.liveUpdatesSent, metrics.liveWholeSent]).toEqual([13, 1]);
    expect(metrics.liveBytesSent).toBeGreaterThan(0);
    // One edge changed a round: its changed fields, not the other 39.
    const last = JSON.parse(JSON.stringify(s.sent.at(-1))) as LiveDelta;
    expect(last.edges.put.length + last.edges.patch.length).toBeLessThanOrEqual(3);
    // A resync, a new subscribe: the whole graph again, then deltas.
    c.message('{"type":"resync"}');
    expect(s.sent.at(-1)?.type).toBe('update');
    hub.tick();
    expect(s.sent.at(-1)?.type).toBe('delta');
    c.message('{"type":"subscribe","filter":"level=pod&namespace=a","sub":8}');
    expect(s.sent.at(-1)).toMatchObject({ type: 'update', sub: 8 });
    hub.tick();
    expect(s.sent.at(-1)).toMatchObject({ type: 'delta', sub: 8 });
  });

  it('grants a resync over the allowance at the next round, without losing a subscribe waiting there', () => {
    const clock = { now: 1_000 };
    const { hub } = hubWith({ clock, limits: { messageBurst: 1, messagesPerSecond: 0.001 } });
    const s = new BufferingSocket();
    const c = add(hub, s);
    c.message('{"type":"subscribe","filter":"level=pod"}');
    hub.tick();
    c.message('{"type":"subscribe","filter":"level=node"}');
    c.message('{"type":"resync"}');
    hub.tick();
    const last = s.sent.at(-1) as unknown as LiveUpdate;
    expect(last.type).toBe('update');
    expect(last.graph.level).toBe('node');
    hub.tick();
    c.message('{"type":"resync"}');
    hub.tick();
    expect(s.sent.slice(2).map((m) => m.type)).toEqual(['update', 'delta', 'update']);
  });

  it('computes nothing for a client until it has read its last update (its pong is back), then sends a delta', () => {
    const clock = { now: 1_000 };
    let graphs = 0;
    const { hub, metrics } = hubWith({
      clock,
      graph: (f, now) => {
        graphs++;
        return graphOf(f, now);
      },
      limits: { readGraceMs: 1_500 },
    });
    const s = new BufferingSocket();
    s.reading = false;
    add(hub, s).message('{"type":"subscribe","filter":"level=pod"}');
    expect(s.sent.map((m) => m.type)).toEqual(['update']);
    expect(s.pings).toHaveLength(1);
    graphs = 0;
    // Within the grace its pong may be on its way: the round goes on (no second ping meanwhile).
    clock.now += 1_000;
    expect(hub.tick()).toBe(1);
    for (let i = 0; i < 5; i++) {
      clock.now += 1_000;
      expect(hub.tick()).toBe(0);
    }
    // Its messages were too small to back its socket up: only the missing pong tells.
    expect(graphs).toBe(1);
    expect(metrics.liveUpdatesUnread).toBe(5);
    expect(s.pings).toHaveLength(1);
    // A pong of another ping (the idle check's) is no receipt.
    s.answer?.('other');
    expect(hub.tick()).toBe(0);
    s.answer?.(s.pings[0]!);
    expect(hub.tick()).toBe(1);
    const last = s.sent.at(-1) as unknown as LiveDelta;
    // It read everything before the pong: the delta is against the graph it holds.
    expect(last.type).toBe('delta');
    expect(last.base).toBe((s.sent.at(-2) as { seq: number }).seq);
    expect(s.pings).toHaveLength(2);
  });

  it('closes a client that has not answered the ping after its update within the limit', () => {
    const clock = { now: 1_000 };
    const { hub, metrics } = hubWith({ clock, limits: { readGraceMs: 1_000, unreadTimeoutMs: 5_000 } });
    const s = new BufferingSocket();
    s.reading = false;
    add(hub, s).message('{"type":"subscribe","filter":"level=pod"}');
    clock.now += 5_000;
    hub.tick();
    expect(s.closed).toBeNull();
    clock.now += 1;
    hub.tick();
    expect(s.closed).toMatchObject({ code: 1008, reason: 'not reading: no pong for 5 s' });
    expect(closedFor(metrics, 'not_reading')).toBe(1);
    expect(hub.size).toBe(0);
  });
});
