import { LiveServerMessage } from '@weft/protocol';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerConfig } from '../../../config.js';
import { labBatches } from '../../../fixtures/labBatches.js';
import { N1 } from '../../../fixtures/labCluster.js';
import { connect } from '../../../fixtures/wsClient.js';
import { type RunningServer, startServer } from '../../../server.js';

let server: RunningServer;
const check = Compile(LiveServerMessage);

beforeAll(async () => {
  server = await startServer(
    parseServerConfig({
      WEFT_PORT: '0',
      WEFT_LOG_LEVEL: 'silent',
      WEFT_LIVE_INTERVAL_MS: '200',
      WEFT_WEB_ROOT: '/nonexistent/wsv',
    }),
  );
  for (const b of labBatches({ start: Date.now() - 5000, seconds: 5, nodes: [N1], policyDropsPerSec: 2 }))
    server.app.weft.store.ingest(b, N1);
});
afterAll(() => server.close());

describe('live WebSocket', () => {
  it('sends numbered updates for the subscribed filter', async () => {
    const c = await connect(`${server.url.replace('http', 'ws')}/api/v1/live`);
    c.send({ type: 'subscribe', filter: 'level=workload&namespace=production' });
    const seqs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const m = (await c.next()) as {
        type: string;
        seq: number;
        graph: { level: string; edges: { id: string }[] };
      };
      expect(check.Errors(m)).toEqual([]);
      expect(m.type).toBe('update');
      expect(m.graph.level).toBe('workload');
      expect(m.graph.edges.some((e) => e.id === 'wl:production/legacy-worker->wl:production/api')).toBe(true);
      seqs.push(m.seq);
    }
    expect(seqs[1]!).toBeGreaterThan(seqs[0]!);
    expect(seqs[2]!).toBeGreaterThan(seqs[1]!);
    c.ws.close();
    await c.closed;
  });

  it('reports ignored filter parameters and keeps the rest', async () => {
    const c = await connect(`${server.url.replace('http', 'ws')}/api/v1/live`);
    c.send({ type: 'subscribe', filter: 'level=pod&port=99999&bogus=1' });
    const err = (await c.next()) as { type: string; issues: { param: string }[] };
    expect(err.type).toBe('error');
    expect(err.issues.map((i) => i.param).sort()).toEqual(['bogus', 'port']);
    const upd = (await c.next()) as { type: string; graph: { level: string } };
    expect(upd).toMatchObject({ type: 'update', graph: { level: 'pod' } });
    c.send('garbage');
    expect(await c.next()).toMatchObject({ type: 'error' });
    c.ws.close();
    await c.closed;
  });
});
