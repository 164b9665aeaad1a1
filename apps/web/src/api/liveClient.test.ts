import type { AddressInfo } from 'node:net';
import { canonicalGraph, type GraphResponse, graphChanges, itemsById, type LiveUpdate } from '@weft/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket as ServerSocket, WebSocketServer } from 'ws';
import { fixtures } from './fixtures.js';
import { backoffMs, createLiveClient, type LiveClient, type LiveConnState, liveUrl } from './liveClient.js';

// A real WebSocket server on loopback speaking the live protocol; the browser side is jsdom's WebSocket.
let wss: WebSocketServer | null = null;
let client: LiveClient | null = null;

afterEach(async () => {
  client?.close();
  client = null;
  await new Promise<void>((r) => (wss ? wss.close(() => r()) : r()));
  wss = null;
});

function listen(port = 0): Promise<{ wss: WebSocketServer; url: string }> {
  return new Promise((resolve) => {
    const s = new WebSocketServer({ host: '127.0.0.1', port, path: '/api/v1/live' }, () => {
      const p = (s.address() as AddressInfo).port;
      resolve({ wss: s, url: `ws://127.0.0.1:${p}/api/v1/live` });
    });
  });
}

function waitFor<T>(check: () => T | undefined, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const v = check();
      if (v !== undefined) resolve(v);
      else if (Date.now() - started > 10_000) reject(new Error(`gave up waiting for ${what}`));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

describe('live client', () => {
  it('subscribes, resubscribes on a new filter, and delivers updates', async () => {
    const srv = await listen();
    wss = srv.wss;
    const subs: string[] = [];
    let sock: ServerSocket | undefined;
    wss.on('connection', (s) => {
      sock = s;
      s.on('message', (m) => subs.push(JSON.parse(String(m)).filter));
    });
    const got: unknown[] = [];
    client = createLiveClient({ url: srv.url, onMessage: (m) => got.push(m), onState: () => {} });
    client.subscribe('level=namespace');
    await waitFor(() => (subs.length === 1 ? true : undefined), 'first subscribe');
    client.subscribe('level=pod&namespace=production');
    await waitFor(() => (subs.length === 2 ? true : undefined), 'resubscribe');
    expect(subs).toEqual(['level=namespace', 'level=pod&namespace=production']);
    sock!.send('not json');
    sock!.send(JSON.stringify(fixtures.live));
    await waitFor(() => (got.length === 1 ? true : undefined), 'update');
    expect(got[0]).toEqual({ ...fixtures.live, graph: canonicalGraph(fixtures.live.graph) });
  });

  it('applies deltas, drops what answers an older subscribe, and asks for the whole graph after a gap', async () => {
    const srv = await listen();
    wss = srv.wss;
    const received: { type: string; sub?: number }[] = [];
    let sock: ServerSocket | undefined;
    wss.on('connection', (s) => {
      sock = s;
      s.on('message', (m) => received.push(JSON.parse(String(m))));
    });
    const got: LiveUpdate[] = [];
    let open = false;
    client = createLiveClient({
      url: srv.url,
      onMessage: (m) => {
        if (m.type === 'update') got.push(m);
      },
      onState: (st) => {
        open ||= st.kind === 'open';
      },
    });
    await waitFor(() => (open ? true : undefined), 'open');
    client.subscribe('level=pod');
    client.subscribe('level=workload');
    await waitFor(() => (received.length === 2 ? true : undefined), 'two subscribes');
    const [old, current] = received.map((m) => m.sub);
    const g = fixtures.live.graph;
    const [e0] = g.edges;
    const changed: GraphResponse = {
      ...g,
      edges: [{ ...e0!, bytesPerSec: e0!.bytesPerSec * 2 }, ...g.edges.slice(1)],
    };
    const send = (m: object) => sock!.send(JSON.stringify(m));
    send({ ...fixtures.live, seq: 1, sub: old });
    send({ ...fixtures.live, seq: 2, sub: current });
    const delta = graphChanges(itemsById(g.nodes), itemsById(g.edges), changed);
    send({ ...fixtures.live, graph: undefined, type: 'delta', seq: 3, base: 2, sub: current, ...delta });
    await waitFor(() => (got.length === 2 ? true : undefined), 'the update and the delta applied');
    expect(got.map((m) => m.seq)).toEqual([2, 3]);
    expect(got[1]!.graph).toEqual(canonicalGraph(changed));
    // Seq 4 never came: the delta on it is a gap.
    send({ ...fixtures.live, graph: undefined, type: 'delta', seq: 5, base: 4, sub: current, ...delta });
    await waitFor(() => (received.at(-1)?.type === 'resync' ? true : undefined), 'resync');
    expect(got).toHaveLength(2);
  });

  it('reconnects after the server goes away and subscribes again', async () => {
    const srv = await listen();
    wss = srv.wss;
    const port = Number(new URL(srv.url).port);
    const states: LiveConnState['kind'][] = [];
    client = createLiveClient({
      url: srv.url,
      onMessage: () => {},
      onState: (s) => states.push(s.kind),
      maxBackoffMs: 200,
    });
    client.subscribe('level=namespace');
    await waitFor(() => (states.includes('open') ? true : undefined), 'open');
    await new Promise<void>((r) => {
      for (const c of wss!.clients) c.terminate();
      wss!.close(() => r());
    });
    await waitFor(() => (states.includes('waiting') ? true : undefined), 'waiting');
    const again = await listen(port);
    wss = again.wss;
    const resub = new Promise<string>((resolve) => {
      wss!.on('connection', (s) => s.on('message', (m) => resolve(JSON.parse(String(m)).filter)));
    });
    expect(await resub).toBe('level=namespace');
  });

  it('backs off with a cap and builds the URL from the page location', () => {
    expect([1, 2, 3, 4, 10].map((a) => backoffMs(a, 5000))).toEqual([500, 1000, 2000, 4000, 5000]);
    expect(liveUrl({ protocol: 'https:', host: 'weft.example:8443' })).toBe(
      'wss://weft.example:8443/api/v1/live',
    );
    expect(liveUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/api/v1/live');
  });
});
