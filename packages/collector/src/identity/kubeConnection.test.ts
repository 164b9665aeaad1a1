import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../fixtures/cleanups.js';
import { FakeKubeApi } from '../fixtures/fakeKubeApi.js';
import type { ClusterConfig } from './clusterConfig.js';
import { KubeApiError, KubeConnection } from './kubeConnection.js';
import type { KubeList } from './kubeObjects.js';

const PODS = '/api/v1/pods';
let dir = '';
/** PEM files made with openssl: a CA, a server certificate for 127.0.0.1 and a client certificate it signed. */
const pem = (name: string) => readFileSync(join(dir, name), 'utf8');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'weft-kubeconn-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '1',
    '-subj',
    '/CN=weft-test-ca',
  );
  for (const [name, cn, ext] of [
    ['server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'],
    ['client', 'weft-collector', 'extendedKeyUsage=clientAuth\n'],
  ] as const) {
    writeFileSync(join(dir, `${name}.ext`), ext);
    ssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    ssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    );
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanups = cleanupsAfterEach();

async function tlsApi(): Promise<FakeKubeApi> {
  const api = new FakeKubeApi({
    tls: { cert: pem('server.crt'), key: pem('server.key'), clientCa: pem('ca.crt') },
  });
  await api.start();
  cleanups.push(() => api.stop());
  api.put(PODS, { metadata: { name: 'web-0', namespace: 'shop', uid: 'u1' } });
  return api;
}

const listPods = (c: KubeConnection) => c.getJson<KubeList>(PODS, AbortSignal.timeout(30_000));

describe('KubeConnection over TLS', () => {
  it('trusts the cluster CA and authenticates with a bearer token', async () => {
    const api = await tlsApi();
    const c = new KubeConnection({ server: api.url, ca: pem('ca.crt'), token: 'wco-token', source: 'test' });
    expect((await listPods(c)).items?.[0]?.metadata?.name).toBe('web-0');
    expect(api.requests.at(-1)?.user).toBe('wco-token');
  });

  it('times the TCP handshake of each connection it opens', async () => {
    const api = await tlsApi();
    const times: number[] = [];
    const c = new KubeConnection(
      { server: api.url, ca: pem('ca.crt'), token: 'wco-token', source: 'test' },
      { onHandshake: (ms) => times.push(ms) },
    );
    await listPods(c);
    await listPods(c);
    // One connection per request (no pool), so one handshake each.
    expect(times).toHaveLength(2);
    for (const t of times) expect(t).toBeGreaterThanOrEqual(0);
  });

  it('authenticates with a client certificate', async () => {
    const api = await tlsApi();
    const config: ClusterConfig = {
      server: api.url,
      ca: pem('ca.crt'),
      clientCertificate: pem('client.crt'),
      clientKey: pem('client.key'),
      source: 'test',
    };
    expect((await listPods(new KubeConnection(config))).items).toHaveLength(1);
    expect(api.requests.at(-1)?.user).toBe('cert:weft-collector');
  });

  it('refuses a server its CA did not sign, unless told to skip verification', async () => {
    const api = await tlsApi();
    const unverified = new KubeConnection({ server: api.url, token: 'wco-token', source: 'test' });
    await expect(listPods(unverified)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
    const skipping = new KubeConnection({
      server: api.url,
      insecureSkipTlsVerify: true,
      token: 'wco-token',
      source: 'test',
    });
    expect((await listPods(skipping)).items).toHaveLength(1);
  });

  it('says what the server refused, with its Status message', async () => {
    const api = await tlsApi();
    const c = new KubeConnection({ server: api.url, ca: pem('ca.crt'), token: 'stolen', source: 'test' });
    const err = await listPods(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).code).toBe(401);
    expect((err as Error).message).toBe('GET /api/v1/pods: 401 Unauthorized');
  });
});

describe('KubeConnection token file', () => {
  it('reads a rotated token again once its copy is old, and at once after a 401', async () => {
    const api = new FakeKubeApi();
    await api.start();
    cleanups.push(() => api.stop());
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'wco-token\n');
    let now = 1_000_000;
    const c = new KubeConnection(
      { server: api.url, tokenFile, source: 'test' },
      { tokenMaxAgeMs: 60_000, now: () => now },
    );
    await listPods(c);
    expect(api.requests.at(-1)?.user).toBe('wco-token');

    // The kubelet rotates the token; the server accepts both for a while.
    writeFileSync(tokenFile, 'rotated-1\n');
    api.tokens.add('rotated-1');
    await listPods(c);
    expect(api.requests.at(-1)?.user).toBe('wco-token');
    now += 60_000;
    await listPods(c);
    expect(api.requests.at(-1)?.user).toBe('rotated-1');

    // Rotated, and the old one already refused: the 401 makes the next request read the file.
    writeFileSync(tokenFile, 'rotated-2\n');
    api.tokens.clear();
    api.tokens.add('rotated-2');
    await expect(listPods(c)).rejects.toThrow(/401/);
    await listPods(c);
    expect(api.requests.at(-1)?.user).toBe('rotated-2');
  });

  it('names the token file it cannot read', async () => {
    const c = new KubeConnection({
      server: 'https://127.0.0.1:1',
      tokenFile: join(dir, 'nope'),
      source: 'in-cluster',
    });
    await expect(listPods(c)).rejects.toThrow(`cannot read the token file ${join(dir, 'nope')} (in-cluster)`);
  });
});
