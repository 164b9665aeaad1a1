import {
  BatchPacker,
  IngestCloseCode,
  OBJECT_CHANGES_FEATURE,
  POLICY_CONTEXT_FEATURE,
  PROTOCOL_VERSION,
  packBatch,
} from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.js';
import { labBatches } from '../fixtures/labBatches.js';
import { N1 } from '../fixtures/labCluster.js';
import { PolicyContexts } from '../policy/policyContexts.js';
import { ServerMetrics } from '../serverMetrics.js';
import { Store } from '../store/store.js';
import { CollectorRegistry, INGEST_STALE_MS } from './collectorRegistry.js';
import { IngestSession, SESSION_WARN_BURST } from './ingestSession.js';

function session(maxResyncsInARow: number) {
  const metrics = new ServerMetrics();
  const s = new IngestSession({
    store: new Store({ ...DEFAULT_CONFIG }),
    collectors: new CollectorRegistry(),
    metrics,
    maxBadMessages: 3,
    maxResyncsInARow,
    retentionMs: 86_400_000,
    now: Date.now,
    log: { warn() {}, info() {} },
  });
  const hello = { type: 'hello', protocol: PROTOCOL_VERSION, node: N1, boot: 'b', collectorVersion: 't' };
  expect(s.onMessage(JSON.stringify({ ...hello, hooks: [], simulated: false })).send[0]?.type).toBe(
    'welcome',
  );
  return { s, metrics };
}

describe('IngestSession and the endpoint table', () => {
  it('answers batches out of step with resync, takes a new table, and closes a sender that never starts one', () => {
    const { s, metrics } = session(3);
    const packer = new BatchPacker();
    const [u0, u1, u2] = labBatches({ start: Date.now() - 3000, seconds: 3, nodes: [N1] });
    const b0 = packer.pack(u0!);
    const b1 = packer.pack(u1!);
    const send = (b: object) => s.onMessage(JSON.stringify(b));
    // b0 never arrived: b1 extends a table this connection doesn't hold.
    expect(send(b1).send).toEqual([
      {
        type: 'resync',
        seq: b1.seq,
        reason: `endpoint table out of step: the batch adds at ${b0.endpoints.length}, this connection holds 0`,
      },
    ]);
    packer.reset();
    const again = packer.pack(u1!);
    expect(again.endpointBase).toBe(0);
    expect(send(again).send).toEqual([{ type: 'ack', seq: b1.seq }]);
    expect(send(packer.pack(u2!)).send[0]?.type).toBe('ack');
    expect(metrics.resyncs).toBe(1);
    // Resyncs don't count as malformed messages (3 would close): the run of them does, past its bound.
    const stale = { ...b1, seq: 99, endpointBase: 1 };
    for (let i = 0; i < 3; i++) expect(send(stale).send[0]?.type).toBe('resync');
    expect(send(stale).close).toEqual({
      code: IngestCloseCode.tooManyBadMessages,
      reason: '3 batches in a row out of step with the endpoint table',
    });
    expect(metrics.rejectedMessages).toBe(0);
  });
});

/** Sessions on one store and registry, as the route makes them, their warn lines kept. */
function world(maxBadMessages = 3) {
  const metrics = new ServerMetrics();
  const store = new Store({ ...DEFAULT_CONFIG });
  const collectors = new CollectorRegistry();
  const warnings: string[] = [];
  const clock = { now: Date.now() };
  const open = (boot = 'b', node: string = N1) => {
    const closedWith: { code: number; reason: string }[] = [];
    const s = new IngestSession({
      store,
      collectors,
      metrics,
      maxBadMessages,
      maxResyncsInARow: 10,
      retentionMs: 86_400_000,
      now: () => clock.now,
      log: { warn: (_o, msg) => warnings.push(msg), info() {} },
      connection: { close: (code, reason) => closedWith.push({ code, reason }) },
    });
    const send = (m: object | string) => s.onMessage(typeof m === 'string' ? m : JSON.stringify(m));
    const step = send({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      node,
      boot,
      collectorVersion: 't',
      hooks: [],
      simulated: false,
    });
    return { s, send, step, closedWith };
  };
  const batches = (n: number) =>
    labBatches({ start: Date.now() - n * 1000, seconds: n, nodes: [N1] }).map((b) => packBatch(b));
  return { metrics, collectors, warnings, clock, open, batches };
}

describe('IngestSession against hostile input', () => {
  it('closes a hello whose protocol is 10,000 nested arrays with a reason, and does not throw', () => {
    const { metrics, open } = world();
    const { s } = open();
    s.closed();
    const deep = new IngestSession({
      store: new Store({ ...DEFAULT_CONFIG }),
      collectors: new CollectorRegistry(),
      metrics,
      maxBadMessages: 3,
      maxResyncsInARow: 10,
      retentionMs: 86_400_000,
      now: Date.now,
      log: { warn() {}, info() {} },
    });
    const hello = `{"type":"hello","protocol":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    expect(deep.onMessage(hello)).toEqual({
      send: [],
      close: {
        code: IngestCloseCode.protocolMismatch,
        reason: `protocol an array not supported; this server speaks protocols 2 and ${PROTOCOL_VERSION}`,
      },
    });
  });

  it('closes the connection, counted, when anything below it throws, and takes the next connection', () => {
    const { metrics, collectors, open, batches } = world();
    const [b0, b1] = batches(2);
    const { s, send } = open();
    collectors.onBatch = () => {
      throw new Error('boom');
    };
    expect(send(b0!)).toEqual({
      send: [],
      close: { code: IngestCloseCode.internalError, reason: 'server error handling the message: boom' },
    });
    expect(metrics.ingestHandlerErrors).toBe(1);
    expect(send(b1!)).toEqual({ send: [] });
    s.closed();
    collectors.onBatch = () => {};
    const again = open();
    expect(again.step.send[0]).toMatchObject({ type: 'welcome' });
    expect(again.send(b1!).send).toEqual([{ type: 'ack', seq: b1!.seq }]);
  });

  it('refuses a batch with a field it does not know, or a number that would poison totals', () => {
    const { metrics, open, batches } = world(100);
    const [b] = batches(1);
    const { send } = open();
    const poisoned: [string, (x: typeof b) => void][] = [
      ['extra field', (x) => Object.assign(x!, { note: 'kept?' })],
      ['__proto__ field', (x) => Object.defineProperty(x!, '__proto__', { value: 1, enumerable: true })],
      ['extra record field', (x) => Object.assign(x!.flows, { owner: 'me' })],
      ['bytes 1e308', (x) => (x!.flows.bytes[0] = 1e308)],
      ['bytes past a link', (x) => (x!.flows.bytes[0] = 1e15)],
      ['lost 1e308', (x) => (x!.lost = 1e308)],
      ['ts far ahead', (x) => (x!.flows.ts[0] = Date.now() + 86_400_000)],
      ['end far ahead', (x) => (x!.end = Date.now() + 86_400_000)],
      ['start in 1970', (x) => (x!.start = 0)],
    ];
    for (const [what, poison] of poisoned) {
      const bad = structuredClone(b)!;
      poison(bad);
      const out = send(bad).send[0];
      expect(out?.type, what).toBe('reject');
    }
    expect(metrics.batches).toBe(0);
    expect(send(b!).send).toEqual([{ type: 'ack', seq: b!.seq }]);
    expect(metrics.batches).toBe(1);
  });

  it("refuses a second live connection for a node, another node's boot, and a forged jump of seq", () => {
    const { metrics, open, batches } = world();
    const [b0, b1, b2] = batches(3);
    const a = open('boot-a');
    expect(a.send(b0!).send).toEqual([{ type: 'ack', seq: 0 }]);
    expect(open('boot-a').step.close).toEqual({
      code: IngestCloseCode.identityConflict,
      reason: `node ${N1} streams from another live connection`,
    });
    expect(open('boot-a', 'lab-node-9').step.close?.code).toBe(IngestCloseCode.identityConflict);
    a.s.closed();
    // While the node is away, a client with the token takes its name and boot (public in /api/v1/status).
    const forger = open('boot-a');
    const forged = { ...b1!, seq: Number.MAX_SAFE_INTEGER };
    expect(forger.send(forged).send[0]).toMatchObject({
      type: 'reject',
      seq: Number.MAX_SAFE_INTEGER,
      reason: expect.stringMatching(/^implausible batch: seq \d+ jumps past/),
    });
    forger.s.closed();
    const back = open('boot-a');
    expect(back.step.send[0]).toMatchObject({ type: 'welcome', lastSeq: 0 });
    expect(back.send(b1!).send).toEqual([{ type: 'ack', seq: 1 }]);
    expect(back.send(b2!).send).toEqual([{ type: 'ack', seq: 2 }]);
    expect(metrics.batches).toBe(3);
  });

  it('replaces a connection gone silent, whose batches still in flight are then neither stored nor numbered', () => {
    const { metrics, clock, open, batches } = world();
    const [b0, b1] = batches(2);
    const old = open('boot-old');
    expect(old.send({ ...b0!, seq: 50_000 }).send).toEqual([{ type: 'ack', seq: 50_000 }]);
    clock.now += INGEST_STALE_MS;
    // The node restarted; its old connection is half-open, silent since.
    const fresh = open('boot-new');
    expect(fresh.step.send[0]).toMatchObject({ type: 'welcome', lastSeq: -1 });
    expect(old.closedWith).toEqual([
      { code: IngestCloseCode.replaced, reason: 'replaced by a new connection for this node' },
    ]);
    expect(old.send({ ...b1!, seq: 50_001 })).toEqual({
      send: [],
      close: { code: IngestCloseCode.replaced, reason: 'replaced by a new connection for this node' },
    });
    old.s.closed();
    expect(fresh.send(b1!).send).toEqual([{ type: 'ack', seq: b1!.seq }]);
    expect(metrics.batches).toBe(2);
  });

  it('logs a few of the rejects of a connection, counts every one, and sums up the rest when it closes', () => {
    const { metrics, warnings, open } = world(1_000);
    const { s, send } = open();
    for (let i = 0; i < 999; i++) send('not json');
    expect(metrics.rejectedMessages).toBe(999);
    expect(warnings).toEqual(Array(SESSION_WARN_BURST).fill('ingest message rejected'));
    s.closed();
    expect(warnings.at(-1)).toBe(
      `${999 - SESSION_WARN_BURST} more lines like "ingest message rejected" were not logged`,
    );
    expect(metrics.ingestLogLinesSuppressed).toBe(999 - SESSION_WARN_BURST);
  });
});

describe('IngestSession and policy context', () => {
  const hello = (node: string) =>
    JSON.stringify({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      node,
      boot: `boot-${node}`,
      collectorVersion: 't',
      hooks: [],
      simulated: false,
    });
  function contextSession(policyContexts?: PolicyContexts) {
    const collectors = new CollectorRegistry();
    const s = new IngestSession({
      store: new Store({ ...DEFAULT_CONFIG }),
      collectors,
      metrics: new ServerMetrics(),
      maxBadMessages: 3,
      maxResyncsInARow: 3,
      retentionMs: 86_400_000,
      now: Date.now,
      log: { warn() {}, info() {} },
      ...(policyContexts ? { policyContexts } : {}),
    });
    return { s, welcome: s.onMessage(hello(N1)).send[0] };
  }
  const ctx = {
    type: 'policy_context',
    namespaces: [{ name: 'production', labels: { 'kubernetes.io/metadata.name': 'production' } }],
    policies: [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny', namespace: 'production' },
        spec: { podSelector: {} },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'odd', namespace: 'production' },
        spec: { podSelector: {}, bogus: 1 },
      },
    ],
    pods: [{ namespace: 'production', name: 'api-0', ips: ['10.244.1.11'], labels: { app: 'api' } }],
  };

  it('offers it in the welcome, takes it unanswered, and names a policy its parser refuses', () => {
    const contexts = new PolicyContexts(() => new Set([N1]));
    const { s, welcome } = contextSession(contexts);
    expect(welcome).toMatchObject({
      type: 'welcome',
      features: [POLICY_CONTEXT_FEATURE, OBJECT_CHANGES_FEATURE],
    });
    expect(s.onMessage(JSON.stringify(ctx))).toEqual({ send: [] });
    expect(contexts.policies().map((k) => k.policy.name)).toEqual(['deny']);
    expect(contexts.unreadable()).toEqual([
      { policy: 'production/odd', reason: expect.stringContaining('spec.bogus') },
    ]);
    expect(contexts.world().pods.map((p) => p.name)).toEqual(['api-0']);
  });

  it('rejects a malformed one, naming the field, and a server without contexts does not offer them', () => {
    const { s } = contextSession(new PolicyContexts());
    const [reject] = s.onMessage(JSON.stringify({ ...ctx, pods: [{ name: 'x' }] })).send;
    expect(reject).toMatchObject({ type: 'reject' });
    expect((reject as { reason: string }).reason).toMatch(/^malformed policy_context: .*pods/);
    const plain = contextSession();
    expect(plain.welcome).not.toHaveProperty('features');
  });
});
