import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { ConfigError, parseServerConfig } from '../config.js';
import { hostAllowed, hostnameOf, parseAllowedHosts } from './allowedHost.js';

describe('hostAllowed', () => {
  const none = new Set<string>();

  it('takes what only the operator side resolves: IPs, localhost, single labels, cluster names', () => {
    for (const host of [
      '127.0.0.1:8080',
      '127.0.0.1',
      '[::1]:8080',
      '10.244.1.7:8080',
      'localhost:8080',
      'LOCALHOST',
      'app.localhost:8080',
      'weft',
      'weft:80',
      'weft.weft.svc',
      'weft.weft.svc.cluster.local:80',
      'weft.weft.svc.cluster.local.',
    ])
      expect(hostAllowed(host, none), host).toBe(true);
  });

  it('refuses a public name unless listed, and malformed headers', () => {
    for (const host of [
      'evil.example.com',
      'evil.example.com:8080',
      'svc.evil.com',
      'localhost.evil.com',
      '127.0.0.1.nip.io:8080',
      '',
      ':8080',
      '[::1',
      '[::1]x',
      'a:b:c',
    ])
      expect(hostAllowed(host, none), host).toBe(false);
    const listed = new Set(parseAllowedHosts('weft.example.com, *.corp.example').hosts);
    expect(hostAllowed('weft.example.com:443', listed)).toBe(true);
    expect(hostAllowed('a.b.corp.example', listed)).toBe(true);
    expect(hostAllowed('corp.example', listed)).toBe(false);
    expect(hostAllowed('evilcorp.example', listed)).toBe(false);
  });

  it('reads host names out of Host headers', () => {
    expect(hostnameOf('Weft.Example.com:8443')).toBe('weft.example.com');
    expect(hostnameOf('[fd00::1]:80')).toBe('fd00::1');
    expect(hostnameOf('x:99999999')).toBeNull();
  });

  it('names a bad WEFT_ALLOWED_HOSTS entry at start', () => {
    expect(parseAllowedHosts(' a.example.com ,,*.b.example ').hosts).toEqual([
      'a.example.com',
      '*.b.example',
    ]);
    for (const bad of ['https://a.example.com', 'a.example.com:80', '*', 'a_b.example', 'a..b'])
      expect(parseAllowedHosts(bad).problems, bad).toHaveLength(1);
    expect(() => parseServerConfig({ WEFT_ALLOWED_HOSTS: 'ok.example,http://x' })).toThrow(ConfigError);
    expect(() => parseServerConfig({ WEFT_ALLOWED_HOSTS: 'ok.example,http://x' })).toThrow(
      /WEFT_ALLOWED_HOSTS/,
    );
  });
});

describe('the Host check on the app', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(
      parseServerConfig({
        WEFT_LOG_LEVEL: 'silent',
        WEFT_WEB_ROOT: '/nonexistent/wsv',
        WEFT_ALLOWED_HOSTS: 'weft.example.com',
        WEFT_ALLOWED_ORIGINS: 'https://dash.example.org',
      }),
      { timers: false },
    );
  });
  afterAll(() => app.close());

  it('answers 421 to a rebound name on the API, the dashboard and the live upgrade, and counts it', async () => {
    const before = app.weft.metrics.hostRefused;
    for (const url of ['/api/v1/status', '/', '/api/v1/graph?level=pod', '/metrics', '/api/v1/live']) {
      const r = await app.inject({
        url,
        headers: { host: 'rebound.attacker.test:8080', accept: 'text/html' },
      });
      expect(r.statusCode, url).toBe(421);
      expect(r.json().message).toContain('WEFT_ALLOWED_HOSTS');
    }
    expect(app.weft.metrics.hostRefused).toBe(before + 5);
    expect((await app.inject('/metrics')).body).toMatch(/^weft_server_http_host_refused_total 5$/m);
  });

  it('answers the port-forward, cluster names and the listed hosts; ingest is left to its token', async () => {
    for (const host of [
      '127.0.0.1:8080',
      'localhost:8080',
      'weft.weft.svc:80',
      'weft.example.com',
      'dash.example.org',
    ])
      expect((await app.inject({ url: '/api/v1/status', headers: { host } })).statusCode, host).toBe(200);
    const ingest = await app.inject({ url: '/api/v1/ingest', headers: { host: 'collectors.attacker.test' } });
    expect(ingest.statusCode).not.toBe(421);
  });
});
