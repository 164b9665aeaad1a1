import { FlowsResponse } from '@weft/protocol';
import type { FastifyInstance } from 'fastify';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labBatches, nodeOfBatch, T0 } from '../../../fixtures/labBatches.js';
import { testApp } from '../../../fixtures/testApp.js';

let app: FastifyInstance;
let clock: { now: number };
const SECONDS = 60;
const check = Compile(FlowsResponse);

beforeAll(async () => {
  ({ app, clock } = await testApp({ seconds: SECONDS, policyDropsPerSec: 3 }));
});
afterAll(() => app.close());

async function flows(query: string): Promise<FlowsResponse> {
  const res = await app.inject(`/api/v1/flows?${query}`);
  expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
  const body = res.json();
  expect(check.Errors(body)).toEqual([]);
  return body;
}

/** Every page from `query` on, following `next`. */
async function allPages(query: string, from?: string): Promise<{ seqs: number[]; totals: number[] }> {
  const seqs: number[] = [];
  const totals: number[] = [];
  let next = from;
  do {
    const page = await flows(`${query}${next ? `&cursor=${encodeURIComponent(next)}` : ''}`);
    seqs.push(...page.flows.map((r) => r.seq!));
    totals.push(page.total);
    next = page.next;
  } while (next);
  return { seqs, totals };
}

const RANGE = `from=${new Date(T0).toISOString()}`;

describe('/api/v1/flows search', () => {
  it('counts every match the ring holds, and its pages give each one once', async () => {
    const ring = app.weft.store.flows;
    const all = await flows(`${RANGE}&limit=5000`);
    expect(all.total).toBe(ring.size);
    const drops = await flows(`${RANGE}&verdict=dropped&reason=policy_drop&limit=5000`);
    // Each second's drops are one record (3 packets), on the node that dropped them.
    expect(drops.total).toBe(SECONDS);
    expect(drops.flows.reduce((n, r) => n + r.packets, 0)).toBe(SECONDS * 3);
    for (const sort of ['time', 'bytes', 'packets']) {
      const q = `${RANGE}&namespace=production&protocol=tcp&sort=${sort}&limit=50`;
      const { seqs, totals } = await allPages(q);
      const total = totals[0]!;
      expect(totals.every((t) => t === total)).toBe(true);
      expect(seqs).toHaveLength(total);
      expect(new Set(seqs).size).toBe(total);
      expect(total).toBeGreaterThan(150);
    }
  });

  it("finds every policy drop of a window: its packets are the drops view's", async () => {
    for (const window of [
      RANGE,
      `from=${new Date(T0 + 20_000).toISOString()}&to=${new Date(T0 + 50_000).toISOString()}`,
    ]) {
      const rows = await flows(`${window}&reason=policy_drop&limit=5000`);
      expect(rows.next).toBeUndefined();
      const drops = (await app.inject(`/api/v1/drops?${window}`)).json();
      const policy = drops.byReason.find((r: { reason: string }) => r.reason === 'policy_drop');
      expect(rows.flows.reduce((n, r) => n + r.packets, 0)).toBe(policy.packets);
      expect(rows.total).toBeGreaterThan(0);
    }
  });

  it('keeps a cursor good while rows arrive: the pages after it are the ones it was taken among', async () => {
    const q = `${RANGE}&namespace=production&limit=40`;
    const before = await allPages(q);
    const first = await flows(q);
    // Five seconds more arrive after the first page was read.
    const more = labBatches({ start: T0 + SECONDS * 1000, seconds: 5, policyDropsPerSec: 3 });
    more.forEach((b, i) => {
      clock.now = Math.max(clock.now, b.end + 200);
      app.weft.store.ingest(b, nodeOfBatch(i));
    });
    const rest = await allPages(q, first.next);
    expect([...first.flows.map((r) => r.seq!), ...rest.seqs]).toEqual(before.seqs);
    expect(rest.totals[0]).toBeGreaterThan(before.totals[0]!);
    // And following from the head the first page saw gives just what arrived.
    const since = await flows(`${RANGE}&namespace=production&after=${first.head}&limit=5000`);
    expect(since.total).toBe(rest.totals[0]! - before.totals[0]!);
    expect(since.flows.every((r) => r.seq! > first.head!)).toBe(true);
  });

  it('refuses each bad parameter by name, the filter and its own alike', async () => {
    for (const [query, param] of [
      ['limit=0', 'limit'],
      ['limit=5001', 'limit'],
      ['sort=size', 'sort'],
      ['cursor=zzz', 'cursor'],
      ['ip=10.0.0.0/40', 'ip'],
      ['dir=sideways', 'dir'],
      ['flags=syn,bogus', 'flags'],
      ['service=api', 'service'],
      ['after=-3', 'after'],
      ['port=0&sort=size', 'port'],
      ['nope=1', 'nope'],
    ]) {
      const res = await app.inject(`/api/v1/flows?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().message, query).toContain(`${param}:`);
    }
    const both = (await app.inject('/api/v1/flows?port=0&sort=size')).json().message;
    expect(both).toContain('port:');
    expect(both).toContain('sort:');
  });
});
