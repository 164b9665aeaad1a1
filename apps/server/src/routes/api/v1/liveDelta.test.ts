import {
  applyGraphDelta,
  canonicalGraph,
  type GraphResponse,
  type LiveDelta,
  LiveServerMessage,
  type LiveUpdate,
} from '@weft/protocol';
import { Compile } from 'typebox/compile';
import { afterAll, describe, expect, it } from 'vitest';
import { labBatches, nodeOfBatch } from '../../../fixtures/labBatches.js';
import { testApp } from '../../../fixtures/testApp.js';
import { connect } from '../../../fixtures/wsClient.js';

const check = Compile(LiveServerMessage);
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of closers) await c();
});

/**
 * The live route over a real WebSocket on loopback, the app on a hand-moved clock with rounds run by
 * hand: whole graph on subscribe, then deltas that leave the client holding the server's graph.
 */
describe('live deltas over the WebSocket', () => {
  it('a delta after new traffic makes the client graph the one the REST API answers', async () => {
    const { app, clock } = await testApp({ seconds: 5 });
    closers.push(() => app.close());
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const c = await connect(`ws://127.0.0.1:${port}/api/v1/live`);
    const query = 'level=workload&namespace=production';
    c.send({ type: 'subscribe', filter: query, sub: 1 });
    const first = (await c.next()) as LiveUpdate;
    expect(check.Errors(first)).toEqual([]);
    expect(first).toMatchObject({ type: 'update', sub: 1 });
    let held = { seq: first.seq, graph: canonicalGraph(first.graph) };
    // The pong to the ping after it: the client has read the update (the rounds below move the clock
    // past the time a client may take to read one).
    const receipt = async () => {
      while (app.weft.live.awaitingReceipt > 0) await new Promise((r) => setTimeout(r, 5));
    };
    await receipt();
    const restGraph = async () =>
      canonicalGraph((await app.inject({ url: `/api/v1/graph?${query}` })).json() as GraphResponse);
    expect(held.graph).toEqual(await restGraph());

    // New traffic: policy drops and refused connects that were not there.
    const more = labBatches({ start: clock.now, seconds: 2, policyDropsPerSec: 4, refusedPerSec: 3 });
    more.forEach((b, i) => {
      clock.now = Math.max(clock.now, b.end + 200);
      app.weft.store.ingest(b, nodeOfBatch(i));
      app.weft.collectors.batch(nodeOfBatch(i), b.end, b.lost, clock.now);
    });
    app.weft.live.tick();
    const d = (await c.next()) as LiveDelta;
    expect(check.Errors(d)).toEqual([]);
    expect(d).toMatchObject({ type: 'delta', sub: 1, base: held.seq });
    expect(d.edges.put.length + d.edges.patch.length).toBeGreaterThan(0);
    held = { seq: d.seq, graph: applyGraphDelta(held.graph, d) };
    const rest = await restGraph();
    expect(rest.edges.some((e) => e.dropsPerSec > 0)).toBe(true);
    expect(held.graph).toEqual(rest);
    // Smaller than the graph it stands for.
    expect(JSON.stringify(d).length).toBeLessThan(JSON.stringify(rest).length);

    // A round with nothing new but time: still a delta on the one before, still the server's graph.
    await receipt();
    clock.now += 1_000;
    app.weft.live.tick();
    const d2 = (await c.next()) as LiveDelta;
    expect(d2).toMatchObject({ type: 'delta', base: d.seq });
    expect(applyGraphDelta(held.graph, d2)).toEqual(await restGraph());

    // Asked for again, the graph comes whole.
    c.send({ type: 'resync' });
    expect(await c.next()).toMatchObject({ type: 'update', sub: 1 });
    c.ws.close();
    await c.closed;
  });
});
