import { type GraphResponse, type LiveSummary, rateWindowEndingAt } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { labBatches, T0 } from '../fixtures/labBatches.js';
import { testApp } from '../fixtures/testApp.js';
import { filter, testStore } from '../fixtures/testStore.js';
import { queryGraph } from '../store/graphQuery.js';
import { liveSummary } from './liveSummary.js';

const extra = { alertsFiring: 0, alertsPending: 0, collectors: 2 };
const sum = (g: GraphResponse, k: 'bytesPerSec' | 'dropsPerSec') => g.edges.reduce((a, e) => a + e[k], 0);

describe('liveSummary', () => {
  it("is the rate over the window it is given: the map's edges summed", () => {
    const { store, feed } = testStore();
    feed(labBatches({ seconds: 120, policyDropsPerSec: 3 }));
    // Traffic jumps 5x in the last 10 s: the summary follows at once (a longer window would lag).
    feed(
      labBatches({ start: T0 + 120_000, seconds: 11, policyDropsPerSec: 15 }).map((b) => ({
        ...b,
        flows: b.flows.map((f) => ({ ...f, bytes: f.bytes * 5 })),
      })),
    );
    const win = rateWindowEndingAt(T0 + 131_000, 10_000);
    const s = liveSummary(store, win, extra);
    const g = queryGraph(store, filter({ level: 'namespace' }), win, { maxNodes: 150, simulated: false });
    expect(s.bytesPerSec).toBeCloseTo(sum(g, 'bytesPerSec'), 1);
    expect(s.dropsPerSec).toBe(15);
    expect(sum(g, 'dropsPerSec')).toBe(15);
    const before = liveSummary(store, rateWindowEndingAt(T0 + 120_000, 10_000), extra);
    expect(s.bytesPerSec / before.bytesPerSec).toBeCloseTo(5, 1);
    expect(before.dropsPerSec).toBe(3);
  });

  it('reads a window older than the 1 s tier from its minutes', () => {
    const { store, feed } = testStore({ fineRetentionS: 60 });
    feed(labBatches({ seconds: 240, policyDropsPerSec: 3 }));
    const old = liveSummary(store, rateWindowEndingAt(T0 + 95_000, 10_000), extra);
    expect(old.dropsPerSec).toBe(3);
  });
});

describe('the live hub of the app', () => {
  it('sends the Now panel over the same seconds as the live map, which are the REST graph', async () => {
    const { app } = await testApp({ seconds: 60, policyDropsPerSec: 3 });
    const sent: { type: string; graph?: GraphResponse; summary?: LiveSummary }[] = [];
    const client = app.weft.live.add({
      bufferedAmount: 0,
      readyState: 1,
      send: (data: string) => sent.push(JSON.parse(data)),
      // Reads at once, as the browser does: the pong goes straight back.
      ping: (data: string) => client.pong(data),
      close: () => {},
      terminate: () => {},
    });
    client.message('{"type":"subscribe","filter":"level=namespace"}');
    app.weft.live.tick();
    const update = sent.findLast((m) => m.type === 'update' && m.graph)!;
    const graph = update.graph!;
    const rest: GraphResponse = (await app.inject('/api/v1/graph?level=namespace')).json();
    expect(graph).toEqual(rest);
    expect([graph.mode, graph.end - graph.start]).toEqual(['live', app.weft.config.rateWindowS * 1000]);
    expect(update.summary!.bytesPerSec).toBeCloseTo(sum(graph, 'bytesPerSec'), 1);
    expect(update.summary!.dropsPerSec).toBe(3);
    client.close();
    await app.close();
  });
});
