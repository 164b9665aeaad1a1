import {
  AlertsResponse,
  DiagnoseResponse,
  DnsResponse,
  DropsResponse,
  FlowsResponse,
  GraphResponse,
  StatusResponse,
  TimeseriesResponse,
} from '@weft/protocol';
import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EP } from '../../../fixtures/labCluster.js';
import { testApp } from '../../../fixtures/testApp.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp({ seconds: 120, policyDropsPerSec: 3, nxdomainPerSec: 2, refusedPerSec: 1 }));
});
afterAll(() => app.close());

async function get(url: string, schema?: TSchema) {
  const res = await app.inject(url);
  if (schema && res.statusCode === 200) expect(Compile(schema).Errors(res.json())).toEqual([]);
  return res;
}

async function bad(url: string, param: string) {
  const res = await app.inject(url);
  expect(res.statusCode, url).toBe(400);
  const body = res.json();
  expect(body.error).toBe('Bad Request');
  expect(body.message).toContain(param);
  return body;
}

describe('/api/v1/status', () => {
  it('lists the connected collectors', async () => {
    const res = await get('/api/v1/status', StatusResponse);
    const body = res.json();
    expect(body.collectors.map((c: { node: string }) => c.node)).toEqual(['lab-node-1', 'lab-node-2']);
    expect(body.collectors[0]).toMatchObject({
      connected: true,
      batches: 120,
      hooks: ['tc:wsvh1'],
      lagMs: 200,
    });
  });
});

describe('/api/v1/graph', () => {
  it('answers each level', async () => {
    for (const level of ['node', 'namespace', 'workload', 'pod']) {
      const res = await get(`/api/v1/graph?level=${level}&from=now-15m`, GraphResponse);
      expect(res.statusCode).toBe(200);
      expect(res.json().level).toBe(level);
      expect(res.json().edges.length).toBeGreaterThan(0);
    }
    const ns = (await get('/api/v1/graph')).json();
    expect(
      ns.edges
        .find((e: { id: string }) => e.id === 'ns:production->ns:production')
        .ports.map((p: { port: number }) => p.port),
    ).toEqual([80, 5432, 6379]);
  });

  it('rejects bad parameters naming them', async () => {
    await bad('/api/v1/graph?level=galaxy', 'level');
    await bad('/api/v1/graph?port=0', 'port');
    await bad('/api/v1/graph?namespace=Bad_NS', 'namespace');
    await bad('/api/v1/graph?from=yesterday', 'from');
    await bad('/api/v1/graph?from=now-5m&to=now-1h', 'from');
    await bad('/api/v1/graph?protocol=sctp', 'protocol');
    await bad('/api/v1/graph?verdict=maybe', 'verdict');
    await bad('/api/v1/graph?focus=<script>', 'focus');
    await bad('/api/v1/graph?pod=noslash', 'pod');
    await bad('/api/v1/graph?bogus=1', 'bogus');
    const body = await bad('/api/v1/graph?level=x&port=99999', 'level');
    expect(body.issues.map((i: { param: string }) => i.param)).toEqual(['level', 'port']);
  });
});

describe('/api/v1/flows', () => {
  it('returns newest first, capped by limit', async () => {
    const res = await get('/api/v1/flows?limit=25&namespace=production', FlowsResponse);
    const body = res.json();
    expect(body.flows).toHaveLength(25);
    expect(body.total).toBeGreaterThan(25);
    const dropped = (await get('/api/v1/flows?verdict=dropped&reason=policy_drop')).json();
    expect(dropped.flows[0]).toMatchObject({ verdict: 'dropped', reason: 'policy_drop', node: 'lab-node-1' });
  });

  it('rejects a bad limit', async () => {
    await bad('/api/v1/flows?limit=0', 'limit');
    await bad('/api/v1/flows?limit=5001', 'limit');
    await bad('/api/v1/flows?limit=ten', 'limit');
  });
});

describe('/api/v1/timeseries', () => {
  it('answers every metric', async () => {
    for (const metric of [
      'bytes',
      'packets',
      'drops',
      'dns_requests',
      'dns_errors',
      'dns_latency',
      'tcp_connects',
      'tcp_failures',
      'tcp_latency',
      'rtt',
    ]) {
      const res = await get(`/api/v1/timeseries?metric=${metric}&from=now-5m`, TimeseriesResponse);
      expect(res.statusCode, metric).toBe(200);
    }
  });

  it('groups drops by reason at 1 s steps', async () => {
    const body = (
      await get('/api/v1/timeseries?metric=drops&groupBy=reason&step=1&from=now-1m', TimeseriesResponse)
    ).json();
    expect(body.step).toBe(1);
    expect(body.series.map((s: { key: string }) => s.key)).toEqual(['policy_drop']);
    const values = body.series[0].points.map((p: [number, number]) => p[1]);
    expect(values.filter((v: number) => v === 3).length).toBeGreaterThan(50);
  });

  it('gives latency quantiles and DNS errors by rcode', async () => {
    const lat = (
      await get(
        '/api/v1/timeseries?metric=tcp_latency&groupBy=quantile&step=60&from=now-2m',
        TimeseriesResponse,
      )
    ).json();
    expect(lat.unit).toBe('ms');
    expect(lat.series.map((s: { key: string }) => s.key)).toEqual(['p50', 'p95', 'p99']);
    const p95 = lat.series[1].points.find((p: [number, number | null]) => p[1] !== null)[1];
    expect(p95).toBeGreaterThan(2.7);
    expect(p95).toBeLessThan(3.3);
    const rc = (await get('/api/v1/timeseries?metric=dns_errors&groupBy=rcode&step=60&from=now-2m')).json();
    expect(rc.series.map((s: { key: string }) => s.key)).toEqual(['NXDOMAIN']);
  });

  it('rejects bad parameters', async () => {
    await bad('/api/v1/timeseries', 'metric');
    await bad('/api/v1/timeseries?metric=volume', 'metric');
    await bad('/api/v1/timeseries?metric=bytes&groupBy=rcode', 'groupBy');
    await bad('/api/v1/timeseries?metric=bytes&groupBy=colour', 'groupBy');
    await bad('/api/v1/timeseries?metric=bytes&step=0', 'step');
    await bad('/api/v1/timeseries?metric=bytes&step=60&from=2020-01-01T00:00:00Z', 'step');
    await bad('/api/v1/timeseries?metric=bytes&level=x', 'level');
  });
});

describe('/api/v1/dns and /api/v1/drops', () => {
  it('answers DNS per client', async () => {
    const body = (await get('/api/v1/dns?namespace=production&from=now-15m', DnsResponse)).json();
    expect(body.rcodes.NXDOMAIN).toBe(240);
    expect(body.clients[0].pod).toBe(EP.legacy.name);
    await bad('/api/v1/dns?pod=a/b/c', 'pod');
  });

  it('answers drops by reason', async () => {
    const body = (await get('/api/v1/drops?from=now-15m', DropsResponse)).json();
    expect(body.byReason).toEqual([{ reason: 'policy_drop', packets: 360, bytes: 21600 }]);
    await bad('/api/v1/drops?reason=Policy-Drop', 'reason');
  });
});

describe('/api/v1/alerts', () => {
  it('reports the seed rules', async () => {
    app.weft.alerts.evaluate();
    const body = (await get('/api/v1/alerts', AlertsResponse)).json();
    expect(body.rules.map((r: { name: string }) => r.name)).toEqual([
      'HighPacketDropRate',
      'HighDNSFailureRate',
      'HighTCPConnectionFailures',
    ]);
    // 2 NXDOMAIN of 6 lookups a second: over the 5% threshold, pending for its `for`.
    expect(body.rules[1]).toMatchObject({ state: 'pending', threshold: 0.05, for: 300 });
    expect(body.rules[1].value).toBeCloseTo(2 / 6, 3);
    await bad('/api/v1/alerts?view=nope', 'view');
  });
});

describe('/api/v1/diagnose', () => {
  it('runs the four steps in order', async () => {
    const res = await get(
      `/api/v1/diagnose?src=production/${EP.legacy.name}&dst=production/${EP.api1.name}`,
      DiagnoseResponse,
    );
    const body = res.json();
    expect(body.steps.map((s: { id: string }) => s.id)).toEqual(['policy_drops', 'dns', 'tcp', 'latency']);
    expect(body.verdict).toBe('blocked');
    expect(body.summary).toMatch(/^failing since [^:]+:[^:]+:[^:]+: blocked by network policy/);
  });

  it('rejects bad subjects and windows', async () => {
    await bad('/api/v1/diagnose?dst=production/api', 'src');
    await bad('/api/v1/diagnose?src=production/frontend', 'dst');
    await bad('/api/v1/diagnose?src=<x>&dst=production/api', 'src');
    await bad('/api/v1/diagnose?src=production/frontend&dst=10.0.0.1:99999', 'dst');
    await bad('/api/v1/diagnose?src=production/frontend&dst=production/nope', 'dst');
    await bad('/api/v1/diagnose?src=production/frontend&dst=production/api&since=forever', 'since');
    await bad('/api/v1/diagnose?src=production/frontend&dst=production/api&since=400d', 'since');
    await bad('/api/v1/diagnose?src=production/frontend&dst=production/api&extra=1', 'extra');
  });
});

describe('/api/v1/export', () => {
  it('serves the map, rules and dashboard', async () => {
    const mm = await app.inject('/api/v1/export/mermaid');
    expect(mm.statusCode).toBe(200);
    expect(mm.body.startsWith('graph LR\n')).toBe(true);
    expect(mm.body).toContain('80/TCP');
    const rules = await app.inject('/api/v1/export/prometheus-rules');
    expect(rules.body).toContain('kind: PrometheusRule');
    const groups = await app.inject('/api/v1/export/prometheus-rules?format=groups');
    expect(groups.body.startsWith('groups:')).toBe(true);
    const dash = await app.inject('/api/v1/export/grafana');
    expect(dash.json().panels[0].type).toBe('nodeGraph');
  });

  it('rejects bad parameters', async () => {
    await bad('/api/v1/export/prometheus-rules?format=xml', 'format');
    await bad('/api/v1/export/prometheus-rules?namespace=Bad_NS', 'namespace');
    await bad('/api/v1/export/mermaid?level=x', 'level');
    await bad('/api/v1/export/grafana?x=1', 'x');
  });
});

describe('/metrics', () => {
  it('reports the server’s own health', async () => {
    const res = await app.inject('/metrics');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/^weft_server_collectors_connected 2$/m);
    expect(res.body).toMatch(/^weft_server_ingest_lag_seconds\{node="lab-node-1"\} 0.2$/m);
    expect(res.body).toMatch(/^weft_server_store_evictions_total 0$/m);
    expect(res.body).toMatch(/^weft_server_memory_bytes\{type="rss"\} \d+$/m);
  });
});
