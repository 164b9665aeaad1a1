import type {
  DnsResponse,
  DropsResponse,
  FlowsResponse,
  GraphResponse,
  TimeseriesResponse,
} from '@weft/protocol';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labBatches, T0 } from '../../../fixtures/labBatches.js';
import { N1, N2 } from '../../../fixtures/labCluster.js';
import { testApp } from '../../../fixtures/testApp.js';

/**
 * Every read route answers the three time selections over the same window: live (none given) = the
 * rate window ending at the newest second every collector has delivered; at=T = the rate window ending
 * at T (whole minutes where the 1 s tier no longer reaches); from/to = the range. Each answer's
 * start/end name the window it used.
 */
const SECONDS = 300;
/** The newest batches end here (both collectors), and the clock is 200 ms later. */
const E = T0 + SECONDS * 1000;
const W = 10_000;
const FE_API = 'wl:production/frontend->wl:production/api';
const iso = (t: number) => new Date(t).toISOString();

let app: FastifyInstance;
let clock: { now: number };

// biome-ignore lint/suspicious/noExplicitAny: JSON answers read in assertions
async function get<T = any>(url: string): Promise<T> {
  const res = await app.inject(url);
  expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
  return res.json() as T;
}

const feRate = (g: GraphResponse) => g.edges.find((e) => e.id === FE_API)?.bytesPerSec;

beforeAll(async () => {
  ({ app, clock } = await testApp(
    { seconds: SECONDS, policyDropsPerSec: 3, nxdomainPerSec: 2 },
    // Two minutes of 1 s buckets: moments before E - 120 s come from the 1 min tier.
    { WEFT_FINE_RETENTION_S: '120', WEFT_RATE_WINDOW_S: '10' },
  ));
  expect(clock.now).toBe(E + 200);
});
afterAll(() => app.close());

describe('live (no range)', () => {
  it('answers graph, drops, dns and flows over the rate window ending at the newest delivered second', async () => {
    const live = { start: E - W, end: E };
    const g = await get<GraphResponse>('/api/v1/graph?level=workload');
    expect([g.mode, g.start, g.end]).toEqual(['live', live.start, live.end]);
    // The same seconds asked as a range: the same answer.
    const same = await get<GraphResponse>(
      `/api/v1/graph?level=workload&from=${iso(live.start)}&to=${iso(live.end)}`,
    );
    expect(same.edges).toEqual(g.edges);
    expect(feRate(g)).toBeGreaterThan(0);

    const drops = await get<DropsResponse>('/api/v1/drops');
    expect([drops.start, drops.end, drops.packets]).toEqual([live.start, live.end, 3 * 10]);
    const dns = await get<DnsResponse>('/api/v1/dns');
    expect([dns.start, dns.end, dns.rcodes.NXDOMAIN]).toEqual([live.start, live.end, 2 * 10]);

    const flows = await get<FlowsResponse>('/api/v1/flows?limit=5000');
    expect([flows.start, flows.end]).toEqual([live.start, live.end]);
    expect(flows.total).toBeGreaterThan(0);
    expect(flows.flows.every((f) => f.ts >= live.start && f.ts < live.end)).toBe(true);
    const ranged = await get<FlowsResponse>(
      `/api/v1/flows?limit=5000&from=${iso(live.start)}&to=${iso(live.end)}`,
    );
    expect(ranged.total).toBe(flows.total);

    const mermaid = await app.inject('/api/v1/export/mermaid');
    expect(mermaid.body).toContain('frontend');
  });

  it('waits for the collector that has not yet delivered the second just ended', async () => {
    const before = await get<GraphResponse>('/api/v1/graph?level=workload');
    // 1.5 s later, nothing new: live still ends at E (the second after it is not complete).
    clock.now = E + 1_500;
    const waiting = await get<GraphResponse>('/api/v1/graph?level=workload');
    expect([waiting.start, waiting.end]).toEqual([E - W, E]);
    expect(waiting.edges).toEqual(before.edges);
    const [b1, b2] = labBatches({ start: E, seconds: 1, policyDropsPerSec: 3, nxdomainPerSec: 2 });
    app.weft.store.ingest(b1!, N1);
    app.weft.collectors.batch(N1, b1!.end, 0, clock.now);
    expect((await get<GraphResponse>('/api/v1/graph?level=workload')).end).toBe(E);
    // Its series: a step of 1 s ending no later than E, the last point as high as the ones before.
    const ts = await get<TimeseriesResponse>('/api/v1/timeseries?metric=bytes&step=1&from=now-1m');
    const points = ts.series[0]!.points;
    const [lastT, lastV] = points.at(-1)!;
    expect(lastT + 1_000).toBe(E);
    expect(ts.end).toBe(E);
    expect(lastV).toBeGreaterThan(0);
    expect(lastV).toBe(points.at(-2)![1]);

    app.weft.store.ingest(b2!, N2);
    app.weft.collectors.batch(N2, b2!.end, 0, clock.now);
    const moved = await get<GraphResponse>('/api/v1/graph?level=workload');
    expect([moved.start, moved.end]).toEqual([E + 1_000 - W, E + 1_000]);
    expect(feRate(moved)).toBe(feRate(before));
    clock.now = E + 200;
  });
});

describe('timeseries', () => {
  it('ends every chart on a whole step at or before the newest delivered second', async () => {
    for (const [query, step] of [
      ['', 60],
      ['&step=1&from=now-90s', 1],
      ['&step=5&from=now-90s', 5],
      ['&step=60&from=now-30m', 60],
    ] as const) {
      const ts = await get<TimeseriesResponse>(`/api/v1/timeseries?metric=bytes${query}`);
      const points = ts.series[0]!.points;
      const [lastT, lastV] = points.at(-1)!;
      expect(ts.step, query).toBe(step);
      expect(lastT + step * 1000, query).toBeLessThanOrEqual(E);
      expect(ts.end, query).toBe(lastT + step * 1000);
      expect(ts.start, query).toBe(points[0]![0]);
      // Steady traffic: the last point is no lower than the one before it (no dip at "now").
      expect(lastV, query).toBeGreaterThan(0);
      expect(lastV, query).toBe(points.at(-2)![1]);
    }
  });
});

describe('at=T', () => {
  it('answers the rate window ending at T', async () => {
    const t = E - 30_500;
    const win = { start: E - 31_000 - W, end: E - 31_000 };
    const g = await get<GraphResponse>(`/api/v1/graph?level=workload&at=${iso(t)}`);
    expect([g.mode, g.start, g.end]).toEqual(['at', win.start, win.end]);
    expect(feRate(g)).toBe(feRate(await get<GraphResponse>('/api/v1/graph?level=workload')));
    const drops = await get<DropsResponse>(`/api/v1/drops?at=${iso(t)}`);
    expect([drops.start, drops.end, drops.packets]).toEqual([win.start, win.end, 30]);
    const dns = await get<DnsResponse>(`/api/v1/dns?at=${iso(t)}`);
    expect([dns.start, dns.end, dns.rcodes.NXDOMAIN]).toEqual([win.start, win.end, 20]);
    const flows = await get<FlowsResponse>(`/api/v1/flows?at=${iso(t)}`);
    expect([flows.start, flows.end]).toEqual([win.start, win.end]);
  });

  it('answers a moment older than the 1 s tier from the minute(s) holding it, and says which', async () => {
    const liveRate = feRate(await get<GraphResponse>('/api/v1/graph?level=workload'));
    const cases = [
      // Inside one minute: [T0 + 95 s, T0 + 105 s) -> the minute from T0 + 60 s.
      [T0 + 105_000, T0 + 60_000, T0 + 120_000],
      // Across a minute boundary: [T0 + 115 s, T0 + 125 s) -> two minutes.
      [T0 + 125_000, T0 + 60_000, T0 + 180_000],
    ] as const;
    for (const [t, start, end] of cases) {
      expect(t - W).toBeLessThan(app.weft.store.fineFrom());
      const g = await get<GraphResponse>(`/api/v1/graph?level=workload&at=${iso(t)}`);
      expect([g.mode, g.start, g.end]).toEqual(['at', start, end]);
      // Steady traffic: the same rate as now (a minute's counts over its 60 s, not over 10 s, nor zero).
      expect(feRate(g)).toBe(liveRate);
      const drops = await get<DropsResponse>(`/api/v1/drops?at=${iso(t)}`);
      expect([drops.start, drops.end, drops.packets]).toEqual([start, end, (3 * (end - start)) / 1000]);
      const dns = await get<DnsResponse>(`/api/v1/dns?at=${iso(t)}`);
      expect([dns.start, dns.end, dns.rcodes.NXDOMAIN]).toEqual([start, end, (2 * (end - start)) / 1000]);
    }
  });
});

describe('from/to', () => {
  it('answers the range', async () => {
    const [from, to] = [E - 90_000, E - 30_000];
    const q = `from=${iso(from)}&to=${iso(to)}`;
    const g = await get<GraphResponse>(`/api/v1/graph?level=workload&${q}`);
    expect([g.mode, g.start, g.end]).toEqual(['range', from, to]);
    expect(feRate(g)).toBe(feRate(await get<GraphResponse>('/api/v1/graph?level=workload')));
    const drops = await get<DropsResponse>(`/api/v1/drops?${q}`);
    expect([drops.start, drops.end, drops.packets]).toEqual([from, to, 3 * 60]);
    const dns = await get<DnsResponse>(`/api/v1/dns?${q}`);
    expect([dns.start, dns.end, dns.rcodes.NXDOMAIN]).toEqual([from, to, 2 * 60]);
    const flows = await get<FlowsResponse>(`/api/v1/flows?${q}`);
    expect([flows.start, flows.end]).toEqual([from, to]);
  });
});
