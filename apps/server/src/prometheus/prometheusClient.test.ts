import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient, PrometheusError } from './prometheusClient.js';

/** A real HTTP server on 127.0.0.1 answering as Prometheus does (answers recorded from Prometheus 2.x). */
let server: Server;
let base = '';
let dir = '';
const seen: { path: string; form: URLSearchParams; headers: IncomingMessage['headers'] }[] = [];

function answer(req: IncomingMessage, res: ServerResponse, body: string): unknown {
  const form = new URLSearchParams(body);
  seen.push({ path: req.url ?? '', form, headers: req.headers });
  const q = form.get('query') ?? '';
  const json = (status: number, v: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(v));
  };
  if (q === 'slow') return; // never answers
  if (q === 'huge')
    return json(200, {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: { x: 'y'.repeat(4096) }, value: [1, '1'] }] },
    });
  if (q === 'bad(')
    return json(400, {
      status: 'error',
      errorType: 'bad_data',
      error: 'invalid parameter "query": 1:5: parse error: unclosed left parenthesis',
    });
  if (q === 'down') {
    res.writeHead(503);
    res.end('Service Unavailable');
    return;
  }
  if (req.url?.endsWith('/api/v1/query_range'))
    return json(200, {
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: { job: 'weft-collector' },
            values: [
              [1765080000, '1'],
              [1765080015, '2'],
            ],
          },
        ],
      },
    });
  return json(200, {
    status: 'success',
    data: {
      resultType: 'vector',
      result: [{ metric: { source_namespace: 'shop' }, value: [1765080000.5, '42.5'] }],
    },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-promclient-'));
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => answer(req, res, body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/prefix`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

describe('PrometheusClient', () => {
  it('posts instant and range queries under the base path, with the token file and extra headers', async () => {
    const token = join(dir, 'token');
    await writeFile(token, 'first\n');
    const c = new PrometheusClient({
      url: base,
      headers: { 'X-Scope-OrgID': 'team-a' },
      bearerTokenFile: token,
    });
    const v = await c.query('sum(x)', 1765080000500);
    expect(v).toEqual([{ metric: { source_namespace: 'shop' }, value: [1765080000.5, '42.5'] }]);
    const last = seen.at(-1)!;
    expect(last.path).toBe('/prefix/api/v1/query');
    expect(last.form.get('time')).toBe('1765080000.500');
    expect(last.headers.authorization).toBe('Bearer first');
    expect(last.headers['x-scope-orgid']).toBe('team-a');
    // A rotated token is read on the next query.
    await writeFile(token, 'second');
    const m = await c.queryRange('up', 1765080000000, 1765080015000, 15);
    expect(m[0]!.values).toHaveLength(2);
    expect(seen.at(-1)!.path).toBe('/prefix/api/v1/query_range');
    expect(seen.at(-1)!.form.get('step')).toBe('15');
    expect(seen.at(-1)!.headers.authorization).toBe('Bearer second');
  });

  const failure = async (c: PrometheusClient, q: string) => {
    try {
      await c.query(q, 0);
    } catch (e) {
      expect(e).toBeInstanceOf(PrometheusError);
      return e as PrometheusError;
    }
    throw new Error('no error');
  };

  it('names each way a query fails', async () => {
    const c = new PrometheusClient({ url: base, timeoutMs: 300, maxBytes: 1024 });
    const bad = await failure(c, 'bad(');
    expect(bad.kind).toBe('query');
    expect(bad.message).toContain('parse error');
    expect((await failure(c, 'down')).kind).toBe('http');
    expect((await failure(c, 'huge')).kind).toBe('too_large');
    expect((await failure(c, 'slow')).kind).toBe('timeout');
    const nobody = new PrometheusClient({ url: 'http://127.0.0.1:1' });
    expect((await failure(nobody, 'up')).kind).toBe('network');
    const noToken = new PrometheusClient({ url: base, bearerTokenFile: join(dir, 'missing') });
    expect((await failure(noToken, 'up')).message).toContain('bearer token file');
  });
});
