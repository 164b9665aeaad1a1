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
      /^failing since 10:00:01 UTC \(1 min 59 s\): blocked by network policy: 30 packets dropped \(3\/s\), over the last 10 s$/,
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
    expect(range.summary).toBe('blocked by network policy: 360 packets dropped (3/s), over the last 15 min');
  });

  it('reads from/to as times only, and since as the shorthand for from', async () => {
    const old = await ok(`src=${legacy}&dst=${api}&since=15m`);
    expect(old).toMatchObject({ src: legacy, dst: api, mode: 'range', start: now - 900_000, end: now });
    const res = await app.inject(`/api/v1/diagnose?from=${legacy}&to=${api}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('from: is a time');
    expect(res.json().message).toContain('give the source as src=');
    expect(res.json().message).toContain('give the destination as dst=');
  });

  it('reads every subject form, and names what it did not find with near matches', async () => {
    const byIp = await ok(`src=${legacy}&dst=${EP.api1.ip}`);
    expect(byIp).toMatchObject({ verdict: 'blocked', dstKind: 'ip' });
    expect((await ok(`src=${legacy}&dst=${EP.api1.ip}:80`)).verdict).toBe('blocked');
    expect((await ok(`src=pod:${legacy}&dst=wl:production/api`)).verdict).toBe('blocked');
    const ns = await ok('src=ns:production&dst=production');
    expect(ns).toMatchObject({ srcKind: 'namespace', dstKind: 'namespace', verdict: 'blocked' });
    expect(ns.pairs[0]).toMatchObject({ src: legacy, dst: api, verdict: 'blocked' });
    expect(ns.summary).toContain(`1 failing pod pair, worst ${legacy} -> ${api}`);
    expect((await ok(`src=${legacy}&dst=node:lab-node-1`)).dstKind).toBe('node');
    expect((await ok(`src=${legacy}&dst=api.production.svc.cluster.local`)).dstKind).toBe('dns_name');

    const res = await app.inject(`/api/v1/diagnose?src=production/legacy-workr&dst=${api}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(
      'src: no pod, workload or service "production/legacy-workr" seen; did you mean production/legacy-worker',
    );
    const ip = await app.inject(`/api/v1/diagnose?src=${legacy}&dst=10.244.1.99`);
    expect(ip.json().message).toContain('dst: no endpoint at "10.244.1.99" seen; did you mean 10.244.1.');
    const nsMiss = await app.inject(`/api/v1/diagnose?src=ns:prodution&dst=${api}`);
    expect(nsMiss.json().message).toContain('src: no namespace "prodution" seen; did you mean production?');
  });

  it('links each problem to the dashboard with the pair and the time selected', async () => {
    const r = await ok(`src=${legacy}&dst=${api}&from=now-15m`);
    expect(r.problems.map((p) => p.kind)).toEqual(['blocked']);
    expect(r.next).toEqual(r.problems[0]!.next);
    const drops = new URL(r.next[0]!.href, 'http://x');
    expect(Object.fromEntries(drops.searchParams)).toEqual({
      view: 'drops',
      focus: `pod:${legacy}->pod:${api}`,
      reason: 'policy_drop',
      from: 'now-15m',
    });
    expect(r.next[1]!.label).toBe('Open the flows of this pair');
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
    await bad(`to=${api}`, 'to');
    await bad(`src=${legacy}`, 'dst');
  });
});
