import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatusResponse } from '@weft/protocol';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { parseServerConfig } from '../config.js';
import { labBatches, nodeOfBatch, T0 } from '../fixtures/labBatches.js';
import { snapshotFiles } from './storeSnapshots.js';

/**
 * The server's start from a snapshot, through buildApp (real Fastify, real files): the history status
 * says which snapshot it loaded or skipped, and the API answers as before the stop.
 */
const dirs: string[] = [];
const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function server(dir: string, clock: { now: number }): Promise<FastifyInstance> {
  const app = await buildApp(
    parseServerConfig({ WEFT_LOG_LEVEL: 'silent', WEFT_WEB_ROOT: '/nonexistent/wss', WEFT_DATA_DIR: dir }),
    { now: () => clock.now, timers: false },
  );
  apps.push(app);
  return app;
}

const iso = (t: number) => new Date(t).toISOString();
const GRAPH = `/api/v1/graph?level=workload&from=${iso(T0)}&to=${iso(T0 + 90_000)}`;
const DROPS = `/api/v1/drops?from=${iso(T0)}&to=${iso(T0 + 90_000)}`;

describe('a start from a store snapshot', () => {
  it('loads the snapshot, says so in the status, and answers as the server that wrote it; a damaged one is skipped and named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-snapstart-'));
    dirs.push(dir);
    const clock = { now: T0 };
    const first = await server(dir, clock);
    labBatches({ seconds: 90, policyDropsPerSec: 3, nxdomainPerSec: 2 }).forEach((b, i) => {
      clock.now = Math.max(clock.now, b.end + 200);
      first.weft.store.ingest(b, nodeOfBatch(i));
    });
    await first.weft.history!.snapshots.take();
    const graph = (await first.inject(GRAPH)).json();
    const drops = (await first.inject(DROPS)).json();
    expect(graph.edges.length).toBeGreaterThan(3);
    await first.close();

    const second = await server(dir, clock);
    const [snapshot] = snapshotFiles(dir);
    const status = (await second.inject('/api/v1/status')).json() as StatusResponse;
    expect(status.history).toMatchObject({
      snapshotLoaded: snapshot!.path,
      snapshotsSkipped: 0,
      snapshots: 1,
      skippedFiles: 0,
    });
    expect(status.history!.snapshotBytes).toBeGreaterThan(0);
    expect((await second.inject(GRAPH)).json()).toEqual(graph);
    expect((await second.inject(DROPS)).json()).toEqual(drops);
    await second.close();

    const bytes = readFileSync(snapshot!.path);
    writeFileSync(snapshot!.path, bytes.subarray(0, bytes.length - 100));
    const third = await server(dir, clock);
    const damaged = (await third.inject('/api/v1/status')).json() as StatusResponse;
    expect(damaged.history?.snapshotLoaded).toBeUndefined();
    expect(damaged.history?.snapshotsSkipped).toBe(1);
    expect(damaged.history?.skipped).toEqual([
      { file: snapshot!.path, offset: expect.any(Number), reason: 'section cut short' },
    ]);
    // Its batches were never journaled (stored straight into the store): nothing else holds them.
    expect((await third.inject(GRAPH)).json().edges).toEqual([]);
  });
});
