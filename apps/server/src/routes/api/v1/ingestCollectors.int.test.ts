import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCollectorConfig, type RunningCollector, startCollector } from '@weft/collector';
import {
  createSimulatedSource,
  defaultTopology,
  parseFaultArgs,
  type SimulatedSource,
  simulatedInventory,
} from '@weft/lab';
import type { CollectorStatus } from '@weft/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerConfig } from '../../../config.js';
import { type RunningServer, startServer } from '../../../server.js';

/**
 * Real collectors (the simulated lab's records through the collector's aggregator, spool and ingest
 * client) streaming to a real server: nothing the ingest checks refuse is something a collector sends,
 * with every fault the lab can make on, and after the server drops their connections.
 */
const TOKEN = 'wsv-collectors-token-0123456789';
let server: RunningServer;
let dir: string;
const sources: SimulatedSource[] = [];
const collectors: RunningCollector[] = [];
const logs: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const status = async (): Promise<CollectorStatus[]> =>
  ((await (await fetch(`${server.url}/api/v1/status`)).json()) as { collectors: CollectorStatus[] })
    .collectors;
const counter = async (name: string) =>
  Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(await (await fetch(`${server.url}/metrics`)).text())?.[1]);
/** Polls until every collector is connected with more than `batches` batches stored. */
async function streamed(batches: number): Promise<CollectorStatus[]> {
  let s: CollectorStatus[] = [];
  for (let i = 0; i < 150; i++) {
    s = await status();
    if (s.length === collectors.length && s.every((c) => c.connected && c.batches > batches)) break;
    await sleep(200);
  }
  return s;
}

beforeAll(async () => {
  server = await startServer(
    parseServerConfig({
      WEFT_HOST: '127.0.0.1',
      WEFT_PORT: '0',
      WEFT_INGEST_TOKEN: TOKEN,
      WEFT_LOG_LEVEL: 'silent',
      WEFT_WEB_ROOT: '/nonexistent/wsv',
    }),
  );
  const topology = defaultTopology();
  const inventory = simulatedInventory(topology, 'default');
  dir = mkdtempSync(join(tmpdir(), 'wsv-ingest-'));
  const inventoryPath = join(dir, 'inventory.json');
  writeFileSync(inventoryPath, JSON.stringify(inventory));
  const faults = [
    ['policy-drop', '--from', 'production/frontend', '--to=production/api'],
    ['refused', 'target=production/db', 'port=5432'],
    ['dns-slow', '--delay-ms', '800'],
    ['dns-nxdomain'],
    ['bandwidth-spike', '--from', 'production/api', '--to', 'db.production'],
  ].map((a) => parseFaultArgs(a));
  for (const node of inventory.nodes) {
    const source = createSimulatedSource({ topology, scenario: 'default', node: node.name, faults });
    sources.push(source);
    const parsed = parseCollectorConfig(
      [
        '--node',
        node.name,
        '--server',
        `${server.url.replace('http', 'ws')}/api/v1/ingest`,
        '--token',
        TOKEN,
        '--metrics-host',
        '127.0.0.1',
        '--metrics-port',
        '0',
        '--identity',
        'inventory',
        '--inventory',
        inventoryPath,
        '--simulated',
      ],
      {},
    );
    if (parsed.kind !== 'config') throw new Error(parsed.kind === 'error' ? parsed.message : 'help');
    collectors.push(
      await startCollector(parsed.config, { source, log: (m) => logs.push(`${node.name}: ${m}`) }),
    );
  }
});

afterAll(async () => {
  for (const c of collectors) await c.stop();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('real collectors on the ingest path', () => {
  it('stream every kind of record without a reject, and come back after their connections drop', async () => {
    const first = await streamed(3);
    expect(first.map((c) => [c.node, c.connected, c.rejected])).toEqual(first.map((c) => [c.node, true, 0]));
    // The server drops every ingest connection: the collectors reconnect with the same boot and resend.
    for (const ws of server.app.websocketServer.clients) ws.terminate();
    const before = Math.max(...first.map((c) => c.batches));
    const after = await streamed(before + 3);
    expect(after.map((c) => [c.node, c.connected, c.rejected, c.boot])).toEqual(
      first.map((c) => [c.node, true, 0, c.boot]),
    );
    expect(await counter('weft_server_ingest_rejected_messages_total')).toBe(0);
    expect(await counter('weft_server_ingest_refused_hellos_total')).toBe(0);
    expect(await counter('weft_server_ingest_handler_errors_total')).toBe(0);
    expect(logs.filter((l) => /rejected|refused|gave up/.test(l))).toEqual([]);
  });
});
