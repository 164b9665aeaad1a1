import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseCollectorConfig, type RunningCollector, startCollector } from '@weft/collector';
import { createSimulatedSource, defaultTopology, simulatedInventory } from '@weft/lab';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseServerConfig, type ServerConfig } from './config.js';
import { makeTestCertificates, type TestCertificates } from './fixtures/testCertificates.js';
import { type RunningServer, startServer } from './server.js';

const TOKEN = 'tls-test-token-0123456789abcdef';
let certs: TestCertificates;
let inventoryDir = '';
let inventoryFile = '';
const topology = defaultTopology();

beforeAll(() => {
  certs = makeTestCertificates();
  inventoryDir = mkdtempSync(join(tmpdir(), 'weft-tls-inv-'));
  inventoryFile = join(inventoryDir, 'inventory.json');
  writeFileSync(inventoryFile, JSON.stringify(simulatedInventory(topology, 'clean')));
});
afterAll(() => {
  certs.remove();
  rmSync(inventoryDir, { recursive: true, force: true });
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tlsServer(): Promise<RunningServer> {
  const server = await startServer(
    parseServerConfig({
      WEFT_HOST: '127.0.0.1',
      WEFT_PORT: '0',
      WEFT_LOG_LEVEL: 'silent',
      WEFT_WEB_ROOT: '/nonexistent/wsv',
      WEFT_INGEST_TOKEN: TOKEN,
      WEFT_TLS_CERT_FILE: certs.certFile,
      WEFT_TLS_KEY_FILE: certs.keyFile,
    }),
  );
  cleanups.push(() => server.close());
  return server;
}

/** A real collector fed by the simulated lab's records for one node, its log kept. */
async function collector(server: RunningServer, env: Record<string, string>) {
  const node = simulatedInventory(topology, 'clean').nodes[0]!.name;
  const url = `${server.url.replace(/^https/, 'wss')}/api/v1/ingest`;
  const parsed = parseCollectorConfig(
    [
      '--node',
      node,
      '--server',
      url,
      '--inventory',
      inventoryFile,
      '--metrics-port',
      '0',
      '--interval-ms',
      '200',
    ],
    { WEFT_INGEST_TOKEN: TOKEN, ...env },
  );
  if (parsed.kind !== 'config') throw new Error(JSON.stringify(parsed));
  const source = createSimulatedSource({ topology, scenario: 'clean', node, intervalMs: 200 });
  const logs: string[] = [];
  const c: RunningCollector = await startCollector(parsed.config, { source, log: (m) => logs.push(m) });
  cleanups.push(() => c.stop());
  return { logs };
}

interface Status {
  collectors: { node: string; connected: boolean; batches: number }[];
}
const status = async (server: RunningServer) =>
  (await server.app.inject({ url: '/api/v1/status' })).json() as Status;

/** Polls `cond` (bounded by attempts, not by a time budget the machine might miss). */
async function eventually(cond: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (await cond()) return;
    await sleep(20);
  }
  throw new Error(`never saw ${what}`);
}

const quiet = () => parseServerConfig({ WEFT_PORT: '0', WEFT_LOG_LEVEL: 'silent' });

describe('startServer with a certificate', () => {
  it('serves HTTPS, and a collector trusting the CA streams batches over wss:// with its token', async () => {
    const server = await tlsServer();
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await collector(server, { WEFT_SERVER_CA_FILE: certs.caFile });
    await eventually(
      async () => (await status(server)).collectors.some((c) => c.connected && c.batches > 0),
      'a batch stored from the wss:// collector',
    );
  });

  it('is refused by a collector that does not trust its CA, with a message naming the setting', async () => {
    const server = await tlsServer();
    const { logs } = await collector(server, { WEFT_SERVER_CA_FILE: certs.otherCaFile });
    await eventually(async () => logs.some((l) => l.includes('TLS:')), 'the TLS refusal in the log');
    expect(logs.find((l) => l.includes('TLS:'))).toMatch(
      /TLS: the server's certificate is not signed by a CA this collector trusts \(\w+\): set WEFT_SERVER_CA_FILE/,
    );
    expect((await status(server)).collectors).toEqual([]);
  });

  it('says which file it cannot read, or which pair is not a certificate and its key', async () => {
    const cfg = (cert: string, key: string): ServerConfig => ({
      ...quiet(),
      tlsCertFile: cert,
      tlsKeyFile: key,
    });
    await expect(startServer(cfg('/nonexistent/tls.crt', certs.keyFile))).rejects.toThrow(
      /WEFT_TLS_CERT_FILE=\/nonexistent\/tls.crt: cannot read it \(ENOENT/,
    );
    await expect(startServer(cfg(certs.certFile, '/nonexistent/tls.key'))).rejects.toThrow(
      /WEFT_TLS_KEY_FILE=\/nonexistent\/tls.key: cannot read it/,
    );
    // The CA's certificate with the server's key: a pair that does not belong together.
    await expect(startServer(cfg(certs.caFile, certs.keyFile))).rejects.toThrow(
      /are not a PEM certificate and its key/,
    );
  });
});

describe('startServer exposure', () => {
  it('refuses a configuration built by hand that listens beyond loopback without a token', async () => {
    const open: ServerConfig = { ...quiet(), host: '0.0.0.0' };
    await expect(startServer(open)).rejects.toBeInstanceOf(ConfigError);
    await expect(startServer(open)).rejects.toThrow(/WEFT_INGEST_TOKEN is not set/);
  });
});
