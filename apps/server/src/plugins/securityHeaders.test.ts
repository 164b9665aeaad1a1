import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { parseServerConfig } from '../config.js';
import { CONTENT_SECURITY_POLICY } from './securityHeaders.js';

describe('security headers', () => {
  let dir: string;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wsv-csp-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Weft SPA</title>');
    writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    const env = { WEFT_LOG_LEVEL: 'silent' };
    app = await buildApp(parseServerConfig({ ...env, WEFT_WEB_ROOT: dir }), { timers: false });
    bare = await buildApp(parseServerConfig({ ...env, WEFT_WEB_ROOT: '/nonexistent/wsv' }), {
      timers: false,
    });
  });
  afterAll(async () => {
    await app.close();
    await bare.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are on every answer: the app, its files, API JSON, metrics, 404s and 400s', async () => {
    const html = { accept: 'text/html' };
    const answers = [
      await app.inject({ url: '/', headers: html }),
      await app.inject({ url: '/some/deep/link?view=flows', headers: html }),
      await app.inject('/app.js'),
      await app.inject('/api/v1/status'),
      await app.inject('/api/v1/graph?level=bogus'),
      await app.inject('/api/v1/nope'),
      await app.inject('/metrics'),
      await app.inject('/healthz'),
      await bare.inject({ url: '/', headers: html }),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 400, 404, 200, 200, 200]);
    for (const r of answers) {
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['x-frame-options']).toBe('DENY');
      const csp = String(r.headers['content-security-policy']);
      for (const directive of [
        "script-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
      ])
        expect(csp).toContain(directive);
      expect(csp).not.toContain('unsafe');
    }
  });

  it('the page shown before the app is built needs nothing the policy forbids', async () => {
    const r = await bare.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(r.body).not.toMatch(/ style=|<style|<script/);
  });

  it("allows the map library's one inline stylesheet by its hash, and nothing else inline", () => {
    const text = '.__________cytoscape_container { position: relative; }';
    const hash = createHash('sha256').update(text).digest('base64');
    const style = CONTENT_SECURITY_POLICY.split('; ').find((d) => d.startsWith('style-src '));
    expect(style).toBe(`style-src 'self' 'sha256-${hash}'`);
  });
});
