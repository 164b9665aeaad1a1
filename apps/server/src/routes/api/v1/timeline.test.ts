import { TimelineResponse } from '@weft/protocol';
import type { FastifyInstance } from 'fastify';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labBatches, nodeOfBatch, T0 } from '../../../fixtures/labBatches.js';
import { testApp } from '../../../fixtures/testApp.js';

const check = Compile(TimelineResponse);
const iso = (t: number) => new Date(t).toISOString();
let app: FastifyInstance;

beforeAll(async () => {
  // Three quiet minutes then three of policy drops at 20/s, the alert rules evaluated every 15 s
  // with a threshold those drops cross and no `for`.
  let clock: { now: number };
  ({ app, clock } = await testApp(null, {
    WEFT_ALERT_DROP_RATE: '5',
    WEFT_ALERT_FOR_S: '0',
    WEFT_ALERT_WINDOW_S: '30',
  }));
  const batches = [
    ...labBatches({ start: T0, seconds: 180 }),
    ...labBatches({ start: T0 + 180_000, seconds: 180, policyDropsPerSec: 20 }),
  ];
  batches.forEach((b, i) => {
    clock.now = Math.max(clock.now, b.end + 200);
    app.weft.store.ingest(b, nodeOfBatch(i));
    if (i % 30 === 29) app.weft.alerts.evaluate(clock.now);
  });
});
afterAll(() => app.close());

async function timeline(query: string) {
  const res = await app.inject(`/api/v1/timeline?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  expect(check.Errors(body)).toEqual([]);
  return body as TimelineResponse;
}

describe('/api/v1/timeline', () => {
  it('spans the last hour when live, with the drops and the alert they fired', async () => {
    const r = await timeline('level=workload');
    expect(r.end - r.start).toBe(3_600_000);
    expect(r.step).toBe(60);
    expect(r.t[r.t.length - 1]! + 60_000).toBeLessThanOrEqual(r.end);
    const kinds = r.incidents.map((i) => i.kind);
    expect(kinds).toEqual(['drops_started', 'alert_fired']);
    const fired = r.incidents[1]!;
    expect(fired).toMatchObject({ rule: 'HighPacketDropRate', severity: 'warning' });
    expect(fired.edge).toBe('wl:production/legacy-worker->wl:production/api');
    expect(fired.label).toMatch(/^HighPacketDropRate fired \(\d+(\.\d+)?\/s\)$/);
  });

  it('answers a range on the 1 s tier and honours the namespace filter', async () => {
    const q = `from=${iso(T0 + 60_000)}&to=${iso(T0 + 300_000)}`;
    const all = await timeline(q);
    expect(all.step).toBe(1);
    expect(all.t).toHaveLength(240);
    expect(all.incidents[0]).toMatchObject({ kind: 'drops_started', at: T0 + 181_000 });
    const mon = await timeline(`${q}&namespace=monitoring`);
    expect(mon.dropsPerSec.every((d) => d === 0)).toBe(true);
    expect(mon.incidents.filter((i) => i.kind.startsWith('drops'))).toEqual([]);
    const i = all.t.indexOf(T0 + 100_000);
    expect(mon.bytesPerSec[i]!).toBeGreaterThan(0);
    expect(mon.bytesPerSec[i]!).toBeLessThan(all.bytesPerSec[i]!);
  });

  it('centres an hour on `at`, and names bad parameters', async () => {
    const r = await timeline(`at=${iso(T0 + 200_000)}`);
    expect(r.end).toBe(T0 + 360_200);
    for (const [q, param] of [
      ['at=whenever', 'at'],
      ['namespace=Bad_NS', 'namespace'],
      ['step=5', 'step'],
      // A key with a slash is named as sent, not as the schema's JSON pointer escapes it (~1).
      ['..%2Fetc%2Fpasswd=1', '../etc/passwd: unknown parameter'],
    ]) {
      const res = await app.inject(`/api/v1/timeline?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().message).toContain(param);
    }
  });
});
