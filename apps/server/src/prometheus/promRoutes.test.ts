import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../fixtures/testApp.js';
import { RECORDED_GRAPH } from './fixtures/recordedGraph.js';
import { graphQueries } from './promQueries.js';

/**
 * The route hooks with the real app (buildApp) and a real HTTP server on 127.0.0.1 answering as
 * Prometheus did (recorded answers keyed by the exact PromQL the server sends).
 */
let prom: Server;
let promUrl = '';
const answers = new Map<string, unknown>(
  Object.entries(graphQueries(120)).map(([k, q]) => [q, RECORDED_GRAPH[k as keyof typeof RECORDED_GRAPH]]),
);

beforeAll(async () => {
  prom = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const q = new URLSearchParams(body).get('query') ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      const matrix = req.url?.endsWith('/query_range');
      const result = matrix ? [{ metric: {}, values: [[1765080060, '7']] }] : (answers.get(q) ?? []);
      res.end(
        JSON.stringify({ status: 'success', data: { resultType: matrix ? 'matrix' : 'vector', result } }),
      );
    });
  });
  await new Promise<void>((r) => prom.listen(0, '127.0.0.1', () => r()));
  promUrl = `http://127.0.0.1:${(prom.address() as { port: number }).port}`;
});

afterAll(async () => {
  prom.closeAllConnections();
  await new Promise((r) => prom.close(r));
});

const range = 'from=2025-12-07T03:58:00Z&to=2025-12-07T04:00:00Z';

describe('graph, drops, DNS and timeseries routes with WEFT_PROMETHEUS_URL', () => {
  it('serve an old window from Prometheus (auto) and say so; store answers say store', async () => {
    const { app } = await testApp({ seconds: 30 }, { WEFT_PROMETHEUS_URL: promUrl });
    const g = (await app.inject(`/api/v1/graph?level=workload&${range}`)).json();
    expect(g.source).toBe('prometheus');
    expect(g.edges.map((e: { id: string }) => e.id)).toContain('wl:shop/frontend->wl:shop/api');
    const live = (await app.inject('/api/v1/graph')).json();
    expect(live.source).toBe('store');
    expect((await app.inject(`/api/v1/graph?${range}&source=store`)).json().source).toBe('store');
    for (const path of ['drops', 'dns', 'timeseries?metric=bytes&step=60'])
      expect(
        (await app.inject(`/api/v1/${path}${path.includes('?') ? '&' : '?'}${range}`)).json(),
        path,
      ).toMatchObject({
        source: 'prometheus',
      });
    await app.close();
    // A server that holds nothing yet still answers live from its store (the stream fills it).
    const { app: empty } = await testApp(null, { WEFT_PROMETHEUS_URL: promUrl });
    expect((await empty.inject('/api/v1/graph')).json().source).toBe('store');
    expect((await empty.inject(`/api/v1/graph?${range}`)).json().source).toBe('prometheus');
    await empty.close();
  });

  it('a Prometheus that does not answer is a 502 naming it; none configured is a 400 naming source', async () => {
    const { app } = await testApp({ seconds: 5 }, { WEFT_PROMETHEUS_URL: 'http://127.0.0.1:1' });
    const down = await app.inject(`/api/v1/graph?${range}`);
    expect(down.statusCode).toBe(502);
    expect(down.json()).toMatchObject({ error: 'Bad Gateway' });
    expect(down.json().message).toMatch(/^prometheus network: 127\.0\.0\.1:1/);
    await app.close();
    const { app: plain } = await testApp({ seconds: 5 });
    const none = await plain.inject(`/api/v1/drops?${range}&source=prometheus`);
    expect(none.statusCode).toBe(400);
    expect(none.json().issues[0].param).toBe('source');
    expect((await plain.inject(`/api/v1/drops?${range}`)).json().source).toBe('store');
    await plain.close();
  });
});
