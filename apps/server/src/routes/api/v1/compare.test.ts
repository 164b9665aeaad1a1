import { GraphResponse } from '@weft/protocol';
import type { FastifyInstance } from 'fastify';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerConfig } from '../../../config.js';
import { labBatches, nodeOfBatch, T0 } from '../../../fixtures/labBatches.js';
import { N1 } from '../../../fixtures/labCluster.js';
import { testApp } from '../../../fixtures/testApp.js';
import { connect } from '../../../fixtures/wsClient.js';
import { type RunningServer, startServer } from '../../../server.js';

/** `compare` on /api/v1/graph and on the live WebSocket (graphCompare.ts marks the edges). */
const LEGACY = 'wl:production/legacy-worker->wl:production/api';
const FRONTEND = 'wl:production/frontend->wl:production/api';
const iso = (t: number) => new Date(t).toISOString();
const check = Compile(GraphResponse);

let app: FastifyInstance;

beforeAll(async () => {
  // Two quiet minutes, a minute of policy drops legacy-worker -> api, then a quiet minute again (a
  // batch's records carry its end time: the minute of drops is (T0 + 121 s .. T0 + 180 s)).
  let clock: { now: number };
  ({ app, clock } = await testApp({ seconds: 120 }));
  const more = (start: number, policyDropsPerSec: number) =>
    labBatches({ start, seconds: 60, policyDropsPerSec }).forEach((b, i) => {
      clock.now = Math.max(clock.now, b.end + 200);
      app.weft.store.ingest(b, nodeOfBatch(i));
    });
  more(T0 + 120_000, 3);
  more(T0 + 180_000, 0);
});
afterAll(() => app.close());

async function graph(query: string) {
  const res = await app.inject(`/api/v1/graph?level=workload&${query}`);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  expect(check.Errors(body)).toEqual([]);
  return body as GraphResponse;
}

describe('/api/v1/graph?compare=', () => {
  it('marks the edge a fault made as new with drops, against the minute before', async () => {
    const g = await graph(`from=${iso(T0 + 120_000)}&to=${iso(T0 + 180_000)}&compare=previous`);
    expect(g.baseline).toEqual({ start: T0 + 60_000, end: T0 + 120_000 });
    const legacy = g.edges.find((e) => e.id === LEGACY)!;
    expect(legacy.changes).toEqual(['new', 'drops_rose']);
    expect(legacy.baseline).toBeUndefined();
    const frontend = g.edges.find((e) => e.id === FRONTEND)!;
    expect(frontend.changes).toBeUndefined();
    expect(frontend.baseline!.bytesPerSec).toBeCloseTo(frontend.bytesPerSec, 0);
  });

  it('keeps an edge gone quiet as vanished, with zero rates and its baseline figures', async () => {
    const g = await graph(
      `from=${iso(T0 + 181_000)}&to=${iso(T0 + 241_000)}&compare=${iso(T0 + 121_000)}..${iso(T0 + 181_000)}`,
    );
    expect(g.baseline).toEqual({ start: T0 + 121_000, end: T0 + 181_000 });
    const legacy = g.edges.find((e) => e.id === LEGACY)!;
    expect(legacy).toMatchObject({ changes: ['vanished'], bytesPerSec: 0, dropsPerSec: 0 });
    expect(legacy.baseline!.dropsPerSec).toBeCloseTo(3, 1);
    expect(g.nodes.some((n) => n.id === 'wl:production/legacy-worker')).toBe(true);
  });

  it('compares the live window with the one before it', async () => {
    const g = await graph('compare=previous');
    expect(g.mode).toBe('live');
    expect(g.baseline!.end).toBe(g.start);
    expect(g.baseline!.end - g.baseline!.start).toBe(g.end - g.start);
  });

  it('answers without marks when compare is absent, and names a bad compare', async () => {
    const g = await graph(`from=${iso(T0 + 120_000)}&to=${iso(T0 + 180_000)}`);
    expect(g.baseline).toBeUndefined();
    expect(g.edges.every((e) => e.changes === undefined && e.baseline === undefined)).toBe(true);
    for (const bad of ['yesterday', 'now-1h', 'now-1h..now-2h']) {
      const res = await app.inject(`/api/v1/graph?compare=${encodeURIComponent(bad)}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().message).toContain('compare');
    }
  });
});

describe('live WebSocket with compare', () => {
  let server: RunningServer;
  afterAll(() => server?.close());

  it('sends compared graphs to a subscription with compare', async () => {
    server = await startServer(
      parseServerConfig({
        WEFT_HOST: '127.0.0.1',
        WEFT_PORT: '0',
        WEFT_LOG_LEVEL: 'silent',
        WEFT_LIVE_INTERVAL_MS: '200',
        WEFT_WEB_ROOT: '/nonexistent/wsv',
      }),
    );
    // Drops in the last 30 s only, quiet traffic for 90 s before: the edge they make is new against the
    // minute before the selected one until the update comes 30 s late (a machine slower than that fails).
    const now = Math.floor(Date.now() / 1000) * 1000;
    for (const [start, seconds, drops] of [
      [now - 120_000, 90, 0],
      [now - 30_000, 30, 3],
    ] as const)
      for (const b of labBatches({ start, seconds, nodes: [N1], policyDropsPerSec: drops }))
        server.app.weft.store.ingest(b, N1);
    const c = await connect(`${server.url.replace('http', 'ws')}/api/v1/live`);
    c.send({ type: 'subscribe', filter: 'level=workload&from=now-1m&compare=previous' });
    const m = (await c.next()) as { type: string; graph: GraphResponse };
    expect(m.type).toBe('update');
    expect(check.Errors(m.graph)).toEqual([]);
    expect(m.graph.baseline!.end).toBe(m.graph.start);
    expect(m.graph.edges.find((e) => e.id === LEGACY)?.changes).toContain('new');
    c.ws.close();
    await c.closed;
  });
});
