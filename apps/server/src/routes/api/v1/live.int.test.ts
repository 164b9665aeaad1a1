import { type LiveDelta, LiveServerMessage, type LiveUpdate } from '@weft/protocol';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerConfig } from '../../../config.js';
import { labBatches } from '../../../fixtures/labBatches.js';
import { N1 } from '../../../fixtures/labCluster.js';
import { clientFrame, rawUpgrade } from '../../../fixtures/rawWebSocket.js';
import { connect } from '../../../fixtures/wsClient.js';
import { MAX_BUFFERED_BYTES } from '../../../live/liveHub.js';
import { type RunningServer, startServer } from '../../../server.js';

let server: RunningServer;
const check = Compile(LiveServerMessage);

beforeAll(async () => {
  server = await startServer(
    parseServerConfig({
      WEFT_PORT: '0',
      WEFT_LOG_LEVEL: 'silent',
      WEFT_LIVE_INTERVAL_MS: '200',
      WEFT_WEB_ROOT: '/nonexistent/wsv',
    }),
  );
  for (const b of labBatches({ start: Date.now() - 5000, seconds: 5, nodes: [N1], policyDropsPerSec: 2 }))
    server.app.weft.store.ingest(b, N1);
});
const others: RunningServer[] = [];
afterAll(async () => {
  await server.close();
  for (const s of others) await s.close();
});

/** A server of its own with lab data, for limits that would disturb the other tests. */
async function serve(env: Record<string, string>): Promise<RunningServer> {
  const s = await startServer(
    parseServerConfig({
      WEFT_HOST: '127.0.0.1',
      WEFT_PORT: '0',
      WEFT_LOG_LEVEL: 'silent',
      WEFT_LIVE_INTERVAL_MS: '200',
      WEFT_WEB_ROOT: '/nonexistent/wsv',
      ...env,
    }),
  );
  for (const b of labBatches({ start: Date.now() - 5000, seconds: 5, nodes: [N1], policyDropsPerSec: 2 }))
    s.app.weft.store.ingest(b, N1);
  others.push(s);
  return s;
}

async function metric(s: RunningServer, line: string): Promise<number> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.slice(line.length + 1)) : 0;
}

const liveUrl = (s: RunningServer) => `${s.url.replace('http', 'ws')}/api/v1/live`;

describe('live WebSocket', () => {
  it('sends the whole graph for the subscribed filter, then numbered deltas on it', async () => {
    const c = await connect(`${server.url.replace('http', 'ws')}/api/v1/live`);
    c.send({ type: 'subscribe', filter: 'level=workload&namespace=production' });
    const first = (await c.next()) as LiveUpdate;
    expect(check.Errors(first)).toEqual([]);
    expect(first.type).toBe('update');
    expect(first.graph.level).toBe('workload');
    expect(first.graph.edges.some((e) => e.id === 'wl:production/legacy-worker->wl:production/api')).toBe(
      true,
    );
    const seqs = [first.seq];
    for (let i = 0; i < 2; i++) {
      const m = (await c.next()) as LiveDelta;
      expect(check.Errors(m)).toEqual([]);
      expect(m.type).toBe('delta');
      expect(m.base).toBe(seqs.at(-1));
      expect(m.head.level).toBe('workload');
      seqs.push(m.seq);
    }
    expect(seqs[1]!).toBeGreaterThan(seqs[0]!);
    expect(seqs[2]!).toBeGreaterThan(seqs[1]!);
    c.ws.close();
    await c.closed;
  });

  it('reports ignored filter parameters and keeps the rest', async () => {
    const c = await connect(`${server.url.replace('http', 'ws')}/api/v1/live`);
    c.send({ type: 'subscribe', filter: 'level=pod&port=99999&bogus=1' });
    const err = (await c.next()) as { type: string; issues: { param: string }[] };
    expect(err.type).toBe('error');
    expect(err.issues.map((i) => i.param).sort()).toEqual(['bogus', 'port']);
    const upd = (await c.next()) as { type: string; graph: { level: string } };
    expect(upd).toMatchObject({ type: 'update', graph: { level: 'pod' } });
    c.send('garbage');
    expect(await c.next()).toMatchObject({ type: 'error' });
    c.ws.close();
    await c.closed;
  });
});

describe('live WebSocket limits', () => {
  it('closes a client that keeps subscribing without reading, before its replies pile up', async () => {
    // The allowance is lifted so that only the backlog rule stands between the flood and memory.
    const s = await serve({ WEFT_LIVE_MESSAGE_BURST: '100000', WEFT_LIVE_MESSAGES_PER_SECOND: '10000' });
    let maxQueued = 0;
    const serverSide = new Promise<void>((resolve) =>
      s.app.websocketServer.once('connection', (ws) => {
        // Runs before the hub's handler: what the socket holds when each message arrives.
        ws.on('message', () => {
          maxQueued = Math.max(maxQueued, ws.bufferedAmount);
        });
        ws.once('close', () => resolve());
      }),
    );
    const raw = await rawUpgrade(s.url, '/api/v1/live');
    expect(raw.status).toBe(101);
    // Never reads. Each 4 KB subscribe with a bad parameter is answered by an error echoing it and an update.
    const frame = clientFrame(
      Buffer.from(JSON.stringify({ type: 'subscribe', filter: `level=pod&bogus=${'b'.repeat(4000)}` })),
    );
    let gone = false;
    void serverSide.then(() => {
      gone = true;
    });
    for (let i = 0; i < 20_000 && !gone && !raw.socket.destroyed; i++) {
      if (!raw.socket.write(frame))
        await Promise.race([new Promise((r) => raw.socket.once('drain', r)), serverSide, raw.closed]);
    }
    await serverSide;
    raw.socket.destroy();
    expect(await metric(s, 'weft_server_ws_closed_total{route="live",reason="backlog"}')).toBe(1);
    // Never much past the cap: one round of replies at most.
    expect(maxQueued).toBeLessThan(2 * MAX_BUFFERED_BYTES);
  });

  it('computes no update for a client that stopped reading, and closes it after the unread timeout', async () => {
    const s = await serve({ WEFT_LIVE_UNREAD_TIMEOUT_MS: '3000' });
    const c = await connect(liveUrl(s));
    c.send({ type: 'subscribe', filter: 'level=pod' });
    expect(await c.next()).toMatchObject({ type: 'update' });
    expect(await c.next()).toMatchObject({ type: 'delta' });
    // Reads nothing more: its kernel takes the little the server sends, but no pong goes back.
    (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    // Past the grace (two rounds, at least 1 s), the rounds stop computing updates for it.
    await new Promise((r) => setTimeout(r, 1300));
    const sent = await metric(s, 'weft_server_live_updates_sent_total');
    await new Promise((r) => setTimeout(r, 1000));
    // 5 rounds went by.
    expect(await metric(s, 'weft_server_live_updates_sent_total')).toBe(sent);
    expect(await metric(s, 'weft_server_live_updates_unread_total')).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < 40; i++) {
      if ((await metric(s, 'weft_server_ws_closed_total{route="live",reason="not_reading"}')) === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await metric(s, 'weft_server_ws_closed_total{route="live",reason="not_reading"}')).toBe(1);
    c.ws.terminate();
  });

  it('closes a client that never subscribes', async () => {
    const s = await serve({ WEFT_LIVE_SUBSCRIBE_TIMEOUT_MS: '300' });
    const c = await connect(liveUrl(s));
    c.send('{"type":"hello"}');
    expect(await c.next()).toMatchObject({ type: 'error' });
    expect(await c.closed).toEqual({ code: 1008, reason: 'no subscribe within 300 ms' });
    expect(await metric(s, 'weft_server_ws_closed_total{route="live",reason="no_subscribe"}')).toBe(1);
  });

  it('answers a burst of subscribes, then applies only the newest at the next round', async () => {
    const s = await serve({ WEFT_LIVE_MESSAGE_BURST: '2', WEFT_LIVE_MESSAGES_PER_SECOND: '0.001' });
    const c = await connect(liveUrl(s));
    for (const level of ['pod', 'workload', 'pod', 'workload', 'pod', 'node'])
      c.send({ type: 'subscribe', filter: `level=${level}` });
    const levels: string[] = [];
    while (levels.at(-1) !== 'node') {
      const m = (await c.next()) as LiveUpdate | LiveDelta;
      expect(m.type === 'update' || m.type === 'delta').toBe(true);
      levels.push(m.type === 'update' ? m.graph.level : m.head.level);
    }
    // The two answered at once, rounds repeating the current filter perhaps, then the newest: the
    // throttled ones before it (pod, workload, pod) were never applied.
    const changes = levels.filter((l, i) => i === 0 || l !== levels[i - 1]);
    expect(changes).toEqual(['pod', 'workload', 'node']);
    expect(await metric(s, 'weft_server_live_messages_throttled_total')).toBe(4);
    c.ws.close();
    await c.closed;
  });

  it('one client failing is closed with a reason; the others and the rounds carry on', async () => {
    const s = await serve({});
    const store = s.app.weft.store;
    const good = await connect(liveUrl(s));
    good.send({ type: 'subscribe', filter: 'level=pod' });
    expect(await good.next()).toMatchObject({ type: 'update' });
    // The summary fails while this client subscribes: its message handling throws.
    const totals = Object.getOwnPropertyDescriptor(store, 'totals');
    expect(totals).toBeDefined();
    Object.defineProperty(store, 'totals', {
      configurable: true,
      get: () => {
        throw new Error('injected failure');
      },
    });
    const victim = await connect(liveUrl(s));
    victim.send({ type: 'subscribe', filter: 'level=pod' });
    expect(await victim.closed).toEqual({ code: 1011, reason: 'internal error' });
    Object.defineProperty(store, 'totals', totals!);
    // A graph that fails for one filter: its subscriber is told, the others still get theirs.
    const rollups = Object.getOwnPropertyDescriptor(store, 'rollupList');
    expect(rollups).toBeDefined();
    Object.defineProperty(store, 'rollupList', {
      configurable: true,
      get: () => {
        throw new Error('injected graph failure');
      },
    });
    const ns = await connect(liveUrl(s));
    ns.send({ type: 'subscribe', filter: 'level=namespace' });
    expect(await ns.next()).toMatchObject({
      type: 'error',
      message: 'the graph for this filter could not be computed',
    });
    const seen = new Set<string>();
    while (seen.size < 2) {
      const m = (await good.next()) as { type: string; seq: number };
      expect(['update', 'delta']).toContain(m.type);
      seen.add(String(m.seq));
    }
    Object.defineProperty(store, 'rollupList', rollups!);
    expect(await metric(s, 'weft_server_ws_closed_total{route="live",reason="handler_error"}')).toBe(1);
    expect(await metric(s, 'weft_server_live_graph_errors_total')).toBeGreaterThan(0);
    good.ws.close();
    ns.ws.close();
  });
});
