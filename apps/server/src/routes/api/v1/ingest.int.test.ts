import {
  BatchPacker,
  type FlowRow,
  IngestCloseCode,
  MAX_INGEST_FRAME_BYTES,
  PROTOCOL_VERSION,
  packBatch,
} from '@weft/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerConfig } from '../../../config.js';
import { labBatches } from '../../../fixtures/labBatches.js';
import { N1 } from '../../../fixtures/labCluster.js';
import { connect } from '../../../fixtures/wsClient.js';
import { type RunningServer, startServer } from '../../../server.js';

const TOKEN = 'wsv-test-token-0123456789';
let server: RunningServer;
let wsUrl: string;
const auth = { Authorization: `Bearer ${TOKEN}` };
const hello = (over: Record<string, unknown> = {}) => ({
  type: 'hello',
  protocol: PROTOCOL_VERSION,
  node: N1,
  boot: 'boot-a',
  collectorVersion: '0.1.0',
  hooks: ['tc:wsvh1', 'tp_btf/kfree_skb'],
  simulated: false,
  ...over,
});
/** Batches timed now, so the store keeps them, packed as a collector sends them. */
// biome-ignore lint/suspicious/noExplicitAny: test reads of JSON responses
const json = async (url: string): Promise<any> => (await fetch(url)).json();
const fresh = (seconds: number) =>
  labBatches({ start: Date.now() - seconds * 1000, seconds, nodes: [N1] }).map(packBatch);

beforeAll(async () => {
  server = await startServer(
    parseServerConfig({
      WEFT_HOST: '127.0.0.1',
      WEFT_PORT: '0',
      WEFT_INGEST_TOKEN: TOKEN,
      WEFT_LOG_LEVEL: 'silent',
      WEFT_MAX_BAD_MESSAGES: '3',
      WEFT_WEB_ROOT: '/nonexistent/wsv',
    }),
  );
  wsUrl = `${server.url.replace('http', 'ws')}/api/v1/ingest`;
});
afterAll(() => server.close());

describe('ingest WebSocket', () => {
  it('welcomes a collector, acks and stores its batches, and lists it in status', async () => {
    const c = await connect(wsUrl, auth);
    c.send(hello());
    expect(await c.next()).toEqual({
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      serverVersion: '0.1.0',
      lastSeq: -1,
      // The server takes the collectors' namespaces, NetworkPolicies and pod labels (policy_context).
      features: ['policy_context', 'object_changes'],
    });
    const batches = fresh(3);
    for (const b of batches) {
      c.send(b);
      expect(await c.next()).toEqual({ type: 'ack', seq: b.seq });
    }
    const status = await json(`${server.url}/api/v1/status`);
    expect(status.collectors[0]).toMatchObject({
      node: N1,
      boot: 'boot-a',
      connected: true,
      batches: 3,
      hooks: hello().hooks,
    });
    const graph = await json(`${server.url}/api/v1/graph?level=workload`);
    expect(
      graph.edges.some((e: { id: string }) => e.id === 'wl:production/frontend->wl:production/api'),
    ).toBe(true);
    c.ws.close();
    await c.closed;
  });

  it('tells a reconnecting collector the last sequence it holds, and acks a resent batch without storing it', async () => {
    const c = await connect(wsUrl, auth);
    c.send(hello({ boot: 'boot-b' }));
    await c.next();
    const [b0, b1] = fresh(2);
    c.send(b0);
    await c.next();
    c.send(b1);
    await c.next();
    c.ws.close();
    await c.closed;
    const before = (await json(`${server.url}/api/v1/flows?limit=1`)).total;
    const again = await connect(wsUrl, auth);
    again.send(hello({ boot: 'boot-b' }));
    expect(await again.next()).toMatchObject({ type: 'welcome', lastSeq: 1 });
    again.send(b1);
    expect(await again.next()).toEqual({ type: 'ack', seq: 1 });
    const after = (await json(`${server.url}/api/v1/flows?limit=1`)).total;
    expect(after).toBe(before);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^weft_server_ingest_duplicate_batches_total 1$/m);
    again.ws.close();
    await again.closed;
  });

  it("builds a connection's endpoint table from its batches, and has a batch out of step sent again", async () => {
    const node = 'lab-node-7';
    const c = await connect(wsUrl, auth);
    c.send(hello({ node, boot: 'boot-g' }));
    await c.next();
    const packer = new BatchPacker();
    const [u0, u1] = labBatches({ start: Date.now() - 2000, seconds: 2, nodes: [N1] });
    const b0 = packer.pack(u0!);
    const b1 = packer.pack(u1!);
    // The second second names the same pods: it adds nothing to the table.
    expect([b1.endpointBase, b1.endpoints.length]).toEqual([b0.endpoints.length, 0]);
    const counter = async (name: string) =>
      Number(
        new RegExp(`^${name} (\\d+)$`, 'm').exec(await (await fetch(`${server.url}/metrics`)).text())?.[1],
      );
    const rejected = await counter('weft_server_ingest_rejected_messages_total');
    c.send(b1);
    expect(await c.next()).toEqual({
      type: 'resync',
      seq: b1.seq,
      reason: `endpoint table out of step: the batch adds at ${b0.endpoints.length}, this connection holds 0`,
    });
    c.send(b0);
    expect(await c.next()).toEqual({ type: 'ack', seq: b0.seq });
    c.send(b1);
    expect(await c.next()).toEqual({ type: 'ack', seq: b1.seq });
    expect(await counter('weft_server_ingest_resyncs_total')).toBe(1);
    // A resync is not a malformed message: it counts towards no limit.
    expect(await counter('weft_server_ingest_rejected_messages_total')).toBe(rejected);
    // Every stored record names the endpoints its collector meant (a range: live ends at the newest
    // second every collector has delivered, and this test's batches are only two seconds old).
    const rows: FlowRow[] = (await json(`${server.url}/api/v1/flows?limit=5000&from=now-5m`)).flows;
    const mine = rows.filter((r) => r.node === node && r.verdict === 'forwarded');
    const key = (f: { ts: number; sport: number; src: { name: string }; dst: { name: string } }) =>
      `${f.ts} ${f.sport} ${f.src.name} ${f.dst.name}`;
    expect(mine.length).toBeGreaterThan(20);
    expect(mine.map(key).sort()).toEqual([...u0!.flows, ...u1!.flows].map(key).sort());
    c.ws.close();
    await c.closed;
  });

  it('closes a connection with a wrong or missing token with 4401', async () => {
    for (const headers of [{ Authorization: 'Bearer nope' }, {}, { Authorization: TOKEN }] as Record<
      string,
      string
    >[]) {
      const c = await connect(wsUrl, headers);
      c.send(hello());
      const closed = await c.closed;
      expect(closed).toEqual({ code: IngestCloseCode.unauthorized, reason: 'missing or wrong bearer token' });
    }
  });

  it('closes a protocol mismatch with a reason the collector can log', async () => {
    const c = await connect(wsUrl, auth);
    c.send(hello({ protocol: 99 }));
    const closed = await c.closed;
    expect(closed.code).toBe(IngestCloseCode.protocolMismatch);
    expect(closed.reason).toBe(
      `protocol 99 not supported; this server speaks protocols 2 and ${PROTOCOL_VERSION}`,
    );
  });

  it('rejects garbage and malformed batches, then closes an abusive connection; the server stays up', async () => {
    const c = await connect(wsUrl, auth);
    c.send(hello({ node: 'lab-node-9', boot: 'boot-c' }));
    await c.next();
    c.send('{not json');
    expect(await c.next()).toEqual({ type: 'reject', reason: 'not JSON' });
    const good = fresh(1)[0]!;
    const bad = { ...good, seq: 7, flows: { ...good.flows, ts: ['yesterday'] } };
    c.send(bad);
    const rej = (await c.next()) as { type: string; seq: number; reason: string };
    expect(rej).toMatchObject({ type: 'reject', seq: 7 });
    expect(rej.reason).toMatch(/^malformed batch: \/flows\/ts\/0/);
    c.send(Buffer.from([0xff, 0xfe, 0x00, 0x01]));
    expect(await c.next()).toMatchObject({ type: 'reject' });
    expect(await c.closed).toEqual({
      code: IngestCloseCode.tooManyBadMessages,
      reason: 'too many malformed messages (3)',
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const status = await json(`${server.url}/api/v1/status`);
    expect(status.collectors.find((s: { node: string }) => s.node === 'lab-node-9')).toMatchObject({
      rejected: 3,
      connected: false,
    });
  });

  it('closes a protocol 1 collector with the mismatch code', async () => {
    const c = await connect(wsUrl, auth);
    c.send(hello({ protocol: 1 }));
    const closed = await c.closed;
    expect(closed).toEqual({
      code: IngestCloseCode.protocolMismatch,
      reason: `protocol 1 not supported; this server speaks protocols 2 and ${PROTOCOL_VERSION}`,
    });
  });

  it('still takes a protocol 2 collector (each batch its own endpoint table), for upgrading the server first', async () => {
    const node = 'lab-node-8';
    const c = await connect(wsUrl, auth);
    c.send(hello({ protocol: 2, node, boot: 'boot-h' }));
    expect(await c.next()).toMatchObject({ type: 'welcome', protocol: 2, lastSeq: -1 });
    const batches = labBatches({ start: Date.now() - 2000, seconds: 2, nodes: [N1] });
    for (const b of batches) {
      // What a protocol 2 collector sends: no endpointBase.
      const { endpointBase: _, ...v2 } = packBatch(b);
      c.send(v2);
      expect(await c.next()).toEqual({ type: 'ack', seq: b.seq });
    }
    const rows: FlowRow[] = (await json(`${server.url}/api/v1/flows?limit=5000&from=now-5m`)).flows;
    const mine = rows.filter((r) => r.node === node && r.verdict === 'forwarded');
    expect(mine.length).toBe(batches.reduce((n, b) => n + b.flows.length, 0));
    c.ws.close();
    await c.closed;
  });

  it('rejects a batch whose records name endpoints past its table, or whose flow columns differ in length', async () => {
    const c = await connect(wsUrl, auth);
    c.send(hello({ node: 'lab-node-6', boot: 'boot-f' }));
    await c.next();
    const [b0, b1] = fresh(2);
    const past = { ...b0!, flows: { ...b0!.flows, dst: b0!.flows.dst.map(() => b0!.endpoints.length) } };
    c.send(past);
    expect(await c.next()).toEqual({
      type: 'reject',
      seq: b0!.seq,
      reason: `malformed batch: /flows/dst/0 is past the endpoint table (${b0!.endpoints.length} entries)`,
    });
    const short = { ...b0!, flows: { ...b0!.flows, bytes: b0!.flows.bytes.slice(1) } };
    c.send(short);
    expect(await c.next()).toMatchObject({
      type: 'reject',
      reason: expect.stringMatching(/\/flows\/bytes has/),
    });
    c.send(b1);
    expect(await c.next()).toEqual({ type: 'ack', seq: b1!.seq });
    c.ws.close();
    await c.closed;
  });

  it('closes on a frame over the size limit and keeps serving others', async () => {
    const c = await connect(wsUrl, auth);
    c.send(hello({ node: 'lab-node-8', boot: 'boot-d' }));
    await c.next();
    c.ws.send(Buffer.alloc(MAX_INGEST_FRAME_BYTES + 1, 0x20));
    expect((await c.closed).code).toBe(1009);
    const other = await connect(wsUrl, auth);
    other.send(hello({ node: 'lab-node-7', boot: 'boot-e' }));
    expect(await other.next()).toMatchObject({ type: 'welcome' });
    other.ws.close();
    await other.closed;
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^weft_server_ingest_oversized_frames_total 1$/m);
  });

  it('closes the 12 KB hello of 10,000 nested arrays with a reason, and the server goes on answering', async () => {
    const c = await connect(wsUrl, auth);
    c.send(`{"type":"hello","protocol":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
    expect(await c.closed).toEqual({
      code: IngestCloseCode.protocolMismatch,
      reason: `protocol an array not supported; this server speaks protocols 2 and ${PROTOCOL_VERSION}`,
    });
    // A batch nested as deep, after a hello: rejected, not a crash.
    const d = await connect(wsUrl, auth);
    d.send(hello({ node: 'lab-node-5', boot: 'boot-deep' }));
    await d.next();
    d.send(`{"type":"batch","seq":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(await d.next()).toMatchObject({ type: 'reject' });
    d.ws.close();
    await d.closed;
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('closes the connection on an exception in its handler, counts it, and goes on serving', async () => {
    const w = server.app.weft;
    const onBatch = w.collectors.onBatch;
    w.collectors.onBatch = () => {
      throw new Error('failed after storing');
    };
    try {
      const c = await connect(wsUrl, auth);
      c.send(hello({ node: 'lab-node-4', boot: 'boot-throw' }));
      await c.next();
      c.send(fresh(1)[0]);
      expect(await c.closed).toEqual({
        code: IngestCloseCode.internalError,
        reason: 'server error handling the message: failed after storing',
      });
    } finally {
      w.collectors.onBatch = onBatch;
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^weft_server_ingest_handler_errors_total 1$/m);
  });

  it("counts an exception in the socket's close handler, and the server goes on serving", async () => {
    const w = server.app.weft;
    const onChange = w.collectors.onChange;
    const errors = async () =>
      Number(
        /^weft_server_ingest_handler_errors_total (\d+)$/m.exec(
          await (await fetch(`${server.url}/metrics`)).text(),
        )?.[1],
      );
    const before = await errors();
    const c = await connect(wsUrl, auth);
    c.send(hello({ node: 'lab-node-4', boot: 'boot-close' }));
    await c.next();
    w.collectors.onChange = () => {
      throw new Error('failed on disconnect');
    };
    try {
      c.ws.close();
      await c.closed;
      for (let i = 0; i < 100 && (await errors()) === before; i++)
        await new Promise((r) => setTimeout(r, 50));
    } finally {
      w.collectors.onChange = onChange;
    }
    expect(await errors()).toBe(before + 1);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('refuses a lost count of 1e308, so that /api/v1/status keeps answering', async () => {
    const c = await connect(wsUrl, auth);
    c.send(hello({ node: 'lab-node-3', boot: 'boot-lost' }));
    await c.next();
    for (const b of fresh(2)) {
      c.send({ ...b, lost: 1e308 });
      expect(await c.next()).toMatchObject({ type: 'reject', seq: b.seq });
    }
    c.ws.close();
    await c.closed;
    expect((await fetch(`${server.url}/api/v1/status`)).status).toBe(200);
  });

  it('refuses a second connection for a node that streams, with a code and reason the collector logs', async () => {
    const c = await connect(wsUrl, auth);
    c.send(hello({ node: 'lab-node-2', boot: 'boot-live' }));
    await c.next();
    const again = await connect(wsUrl, auth);
    again.send(hello({ node: 'lab-node-2', boot: 'boot-live' }));
    expect(await again.closed).toEqual({
      code: IngestCloseCode.identityConflict,
      reason: 'node lab-node-2 streams from another live connection',
    });
    // The first one streams on.
    const [b] = fresh(1);
    c.send(b);
    expect(await c.next()).toEqual({ type: 'ack', seq: b!.seq });
    c.ws.close();
    await c.closed;
  });

  it('refuses batches before the hello', async () => {
    const c = await connect(wsUrl, auth);
    c.send(fresh(1)[0]);
    const closed = await c.closed;
    expect(closed.code).toBe(IngestCloseCode.tooManyBadMessages);
    expect(closed.reason).toMatch(/^expected hello/);
  });
});
