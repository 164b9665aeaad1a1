import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseServerConfig } from '../config.js';
import { clientFrame, closeCodeOf, keepReading, rawUpgrade } from '../fixtures/rawWebSocket.js';
import { connect } from '../fixtures/wsClient.js';
import { type RunningServer, startServer } from '../server.js';

const servers: RunningServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function serve(env: Record<string, string> = {}): Promise<RunningServer> {
  const s = await startServer(
    parseServerConfig({
      WEFT_HOST: '127.0.0.1',
      WEFT_PORT: '0',
      WEFT_LOG_LEVEL: 'silent',
      WEFT_WEB_ROOT: '/nonexistent/wsv',
      ...env,
    }),
  );
  servers.push(s);
  return s;
}

const wsUrl = (s: RunningServer, path: string) => `${s.url.replace('http', 'ws')}${path}`;

/** The status of an upgrade the server refuses (ws reports it as an unexpected response). */
function refusedStatus(url: string, opts: WebSocket.ClientOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, opts);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      ws.close();
      reject(new Error('upgrade was accepted'));
    });
    ws.on('error', () => {});
  });
}

async function metric(s: RunningServer, line: string): Promise<number> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.slice(line.length + 1)) : 0;
}

describe('WebSocket Origin check', () => {
  it('refuses other sites before the upgrade, on both routes, and counts them', async () => {
    const s = await serve({ WEFT_ALLOWED_ORIGINS: 'https://dash.example.com' });
    const self = s.url;
    for (const path of ['/api/v1/live', '/api/v1/ingest']) {
      expect(await refusedStatus(wsUrl(s, path), { origin: 'http://evil.example' })).toBe(403);
      // Same host, another port: another origin.
      expect(await refusedStatus(wsUrl(s, path), { origin: 'http://127.0.0.1:1' })).toBe(403);
      expect(await refusedStatus(wsUrl(s, path), { headers: { Origin: 'null' } })).toBe(403);
    }
    // The server's own pages, the listed origin, and clients that send no Origin (collectors, CLI).
    for (const origin of [self, 'https://dash.example.com', undefined]) {
      const c = await connect(wsUrl(s, '/api/v1/live'), origin ? { Origin: origin } : {});
      c.ws.close();
      await c.closed;
    }
    expect(await metric(s, 'weft_server_ws_refused_total{route="live",reason="origin"}')).toBe(3);
    expect(await metric(s, 'weft_server_ws_refused_total{route="ingest",reason="origin"}')).toBe(3);
  });
});

describe('live client caps', () => {
  it('refuses clients over the per-address and total caps before the upgrade', async () => {
    const s = await serve({ WEFT_LIVE_MAX_CLIENTS: '3', WEFT_LIVE_MAX_CLIENTS_PER_ADDRESS: '2' });
    const url = wsUrl(s, '/api/v1/live');
    const a1 = await connect(url);
    await connect(url);
    expect(await refusedStatus(url)).toBe(429);
    // Another loopback address is another client address.
    const other = { localAddress: '127.0.0.2' };
    const b1 = new WebSocket(url, other);
    await new Promise((r) => b1.once('open', r));
    expect(await refusedStatus(url, other)).toBe(503);
    a1.ws.close();
    await a1.closed;
    const b2 = new WebSocket(url, other);
    await new Promise((r) => b2.once('open', r));
    expect(await metric(s, 'weft_server_ws_refused_total{route="live",reason="address_capacity"}')).toBe(1);
    expect(await metric(s, 'weft_server_ws_refused_total{route="live",reason="capacity"}')).toBe(1);
    // Collectors are not live clients: the live caps do not touch ingest.
    const ing = await connect(wsUrl(s, '/api/v1/ingest'));
    ing.ws.close();
  });
});

describe('per-route frame limits', () => {
  it('refuses an oversized live frame from its header, without waiting for the payload', async () => {
    const s = await serve();
    const raw = await rawUpgrade(s.url, '/api/v1/live');
    expect(raw.status).toBe(101);
    keepReading(raw);
    // Declares 15 MB, sends 1 KB and waits: the live limit is 16 KB, so the header alone is refused.
    raw.socket.write(clientFrame(Buffer.alloc(1024, 0x20), 15_000_000));
    await raw.closed;
    expect(closeCodeOf(raw.received)).toBe(1009);
    expect(await metric(s, 'weft_server_ws_closed_total{route="live",reason="frame_too_large"}')).toBe(1);
  });

  it('refuses a live message over 16 KB but takes a bigger one on ingest', async () => {
    const s = await serve();
    const live = await connect(wsUrl(s, '/api/v1/live'));
    live.send(JSON.stringify({ type: 'subscribe', filter: 'x'.repeat(17 * 1024) }));
    expect((await live.closed).code).toBe(1009);
    const ingest = await connect(wsUrl(s, '/api/v1/ingest'));
    ingest.send(JSON.stringify({ type: 'hello', pad: 'x'.repeat(100 * 1024) }));
    // Whatever ingest makes of it, it was read as a message, not refused for its size.
    await Promise.race([ingest.next(), ingest.closed]);
    ingest.ws.close();
    await ingest.closed;
    expect(await metric(s, 'weft_server_ws_closed_total{route="ingest",reason="frame_too_large"}')).toBe(0);
    expect(await metric(s, 'weft_server_ingest_oversized_frames_total')).toBe(0);
  });
});

describe('idle timeout', () => {
  it('closes a socket stalled in the middle of a frame, on ingest and on live', async () => {
    const s = await serve({ WEFT_WS_IDLE_TIMEOUT_MS: '300' });
    for (const path of ['/api/v1/ingest', '/api/v1/live']) {
      const raw = await rawUpgrade(s.url, path);
      expect(raw.status).toBe(101);
      keepReading(raw);
      // Within both routes' limits, but never finished.
      raw.socket.write(clientFrame(Buffer.alloc(8 * 1024, 0x20), 12 * 1024));
      await raw.closed;
    }
    expect(await metric(s, 'weft_server_ws_closed_total{route="ingest",reason="idle"}')).toBe(1);
    expect(await metric(s, 'weft_server_ws_closed_total{route="live",reason="idle"}')).toBe(1);
  });

  it('keeps a quiet client that answers pings', async () => {
    const s = await serve({ WEFT_WS_IDLE_TIMEOUT_MS: '200' });
    const c = await connect(wsUrl(s, '/api/v1/ingest'));
    // Several idle periods pass, each with a ping the ws client answers by itself.
    for (let i = 0; i < 4; i++) await new Promise((r) => c.ws.once('ping', r));
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    c.ws.close();
    await c.closed;
    expect(await metric(s, 'weft_server_ws_closed_total{route="ingest",reason="idle"}')).toBe(0);
  });
});
