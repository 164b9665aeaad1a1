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
