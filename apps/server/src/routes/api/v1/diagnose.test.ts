import { DiagnoseResponse } from '@weft/protocol';
import type { FastifyInstance } from 'fastify';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T0 } from '../../../fixtures/labBatches.js';
import { EP } from '../../../fixtures/labCluster.js';
import { testApp } from '../../../fixtures/testApp.js';

let app: FastifyInstance;
let now: number;
const legacy = `production/${EP.legacy.name}`;
const api = `production/${EP.api1.name}`;

beforeAll(async () => {
  const t = await testApp({ seconds: 120, policyDropsPerSec: 3 });
  app = t.app;
  now = t.clock.now;
});
afterAll(() => app.close());

async function ok(query: string) {
  const res = await app.inject(`/api/v1/diagnose?${query}`);
  expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
  const body = res.json();
  expect(Compile(DiagnoseResponse).Errors(body)).toEqual([]);
  return body as DiagnoseResponse;
}

async function bad(query: string, param: string) {
  const res = await app.inject(`/api/v1/diagnose?${query}`);
  expect(res.statusCode, query).toBe(400);
  const body = res.json();
  expect(
    body.issues.map((i: { param: string }) => i.param),
    query,
  ).toContain(param);
  expect(body.message).toContain(`${param}:`);
}

describe('/api/v1/diagnose and time', () => {
  it('answers live by default, over the rate window, and says so', async () => {
    const r = await ok(`src=${legacy}&dst=${api}`);
    expect(r).toMatchObject({ mode: 'live', verdict: 'blocked', end: T0 + 120_000, start: T0 + 110_000 });
    expect(r.summary).toMatch(
      /^failing since 10:00:01 UTC \(1 min 59 s\): blocked by network policy \(30 packets dropped\), over the last 10 s$/,
    );
    expect(r.history).toEqual([
      { state: 'no_traffic', start: now - 3_600_000, end: T0 + 1000 },
      { state: 'failing', start: T0 + 1000, end: now },
    ]);
  });

  it('follows at and from/to', async () => {
    const at = await ok(`src=${legacy}&dst=${api}&at=2026-11-27T10:01:00Z`);
    expect(at).toMatchObject({ mode: 'at', start: T0 + 50_000, end: T0 + 60_000, verdict: 'blocked' });
    expect(at.summary).toMatch(/, over the 10 s up to 10:01:00 UTC$/);
    const range = await ok(`src=${legacy}&dst=${api}&from=now-15m`);
    expect(range).toMatchObject({ mode: 'range', start: now - 900_000, end: now });
    expect(range.summary).toBe('blocked by network policy (360 packets dropped), over the last 15 min');
  });

  it('keeps old links working: from/to as subjects, since as a duration', async () => {
    const old = await ok(`from=${legacy}&to=${api}&since=15m`);
    expect(old).toMatchObject({ from: legacy, to: api, mode: 'range', start: now - 900_000, end: now });
    const mixed = await ok(`from=${legacy}&to=${api}&at=now-30s`);
    expect(mixed).toMatchObject({ from: legacy, mode: 'at', end: T0 + 90_000 });
    const plain = await ok(`from=${legacy}&to=${api}`);
    expect(plain.mode).toBe('live');
  });

  it('names the parameter of a bad or conflicting value', async () => {
    await bad(`src=${legacy}&dst=${api}&from=yesterday`, 'from');
    await bad(`src=${legacy}&dst=${api}&to=<x>`, 'to');
    await bad(`from=${legacy}&src=${legacy}&dst=${api}`, 'from');
    await bad(`src=${legacy}&dst=${api}&since=15m&from=now-1h`, 'since');
    await bad(`src=${legacy}&dst=${api}&since=forever`, 'since');
    await bad(`src=${legacy}&dst=${api}&at=soon`, 'at');
    await bad(`src=${legacy}&dst=${api}&live=1`, 'live');
    await bad(`src=nope&dst=${api}`, 'src');
    await bad(`dst=${api}`, 'src');
    await bad(`to=${api}`, 'from');
    await bad(`src=${legacy}`, 'dst');
  });
});
