import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { parseServerConfig } from './config.js';

const quiet = { WEFT_LOG_LEVEL: 'silent' };

describe('app shell', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wsv-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Weft SPA</title>');
    writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    app = await buildApp(parseServerConfig({ ...quiet, WEFT_WEB_ROOT: dir }), { timers: false });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers health and readiness', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/readyz')).json()).toEqual({ status: 'ready' });
  });

  it('serves the SPA with history fallback for HTML requests', async () => {
    const root = await app.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('Weft SPA');
    const deep = await app.inject({
      url: '/flows/anything?view=flows&level=pod',
      headers: { accept: 'text/html' },
    });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('Weft SPA');
    expect(deep.headers['content-type']).toMatch(/text\/html/);
    const asset = await app.inject('/app.js');
    expect(asset.body).toBe('console.log(1)');
  });

  it('answers unknown API paths and non-HTML misses with JSON 404', async () => {
    const api = await app.inject({ url: '/api/v1/nope', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.json().message).toBe('no route GET /api/v1/nope');
    const missing = await app.inject('/missing.js');
    expect(missing.statusCode).toBe(404);
  });

  it('is not ready once shutdown begins', async () => {
    const other = await buildApp(parseServerConfig({ ...quiet, WEFT_WEB_ROOT: dir }), { timers: false });
    other.weft.ready = false;
    expect((await other.inject('/readyz')).statusCode).toBe(503);
    await other.close();
  });
});

describe('app without a built SPA', () => {
  it('says how to build the dashboard', async () => {
    const app = await buildApp(parseServerConfig({ ...quiet, WEFT_WEB_ROOT: '/nonexistent/wsv' }), {
      timers: false,
    });
    const res = await app.inject({ url: '/', headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('pnpm --filter @weft/web build');
    expect(res.body).toContain('/nonexistent/wsv');
    await app.close();
  });
});

describe('app: eviction after a batch', () => {
  it('runs the eviction pass in tasks of its own: work queued after the batch runs before it', async () => {
    const { labBatches } = await import('./fixtures/labBatches.js');
    const { EP, N1 } = await import('./fixtures/labCluster.js');
    const app = await buildApp(
      parseServerConfig({ ...quiet, WEFT_WEB_ROOT: '/nonexistent/wsv', WEFT_MAX_SERIES: '1000' }),
    );
    try {
      const store = app.weft.store;
      const now = Date.now();
      const b = labBatches({ start: now - 1000, seconds: 1, nodes: [N1], connectsPerSec: 0 })[0]!;
      b.flows = Array.from({ length: 1500 }, (_, i) => ({
        ts: now - 500,
        src: EP.api1,
        dst: { ...EP.payments, ip: `198.51.${i >> 8}.${i & 255}`, node: '' },
        sport: 30000,
        dport: 443,
        proto: 'tcp' as const,
        dir: 'egress' as const,
        bytes: 60,
        packets: 1,
        tcpFlags: 2,
      }));
      store.ingest(b, N1);
      // The batch's own task left the store over its bound, and so did the next round of immediates.
      expect(store.edges.size).toBeGreaterThan(1000);
      const seenNext = await new Promise<number>((r) => setImmediate(() => r(store.edges.size)));
      expect(seenNext).toBeGreaterThan(1000);
      const deadline = Date.now() + 10_000;
      while (store.edges.size + store.dns.size > 1000 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(store.edges.size + store.dns.size).toBeLessThanOrEqual(1000);
      expect(store.stats().evictions).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});
