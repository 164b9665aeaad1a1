import { describe, expect, it } from 'vitest';
import { labBatches } from '../../../fixtures/labBatches.js';
import { EP, N1 } from '../../../fixtures/labCluster.js';
import { testApp } from '../../../fixtures/testApp.js';

/** Every name an object inherits: as a key of a plain object each one reads something that isn't a count. */
const INHERITED = Object.getOwnPropertyNames(Object.prototype);

const GROUPINGS = [
  'metric=drops&groupBy=reason',
  'metric=drops&groupBy=direction',
  'metric=drops&groupBy=namespace',
  'metric=drops&groupBy=pod',
  'metric=bytes&groupBy=namespace',
  'metric=bytes&groupBy=source_namespace',
  'metric=bytes&groupBy=destination_namespace',
  'metric=bytes&groupBy=pod',
  'metric=packets&groupBy=none',
  'metric=dns_requests&groupBy=rcode',
  'metric=dns_errors&groupBy=rcode',
  'metric=dns_requests&groupBy=namespace',
  'metric=dns_errors&groupBy=pod',
  'metric=dns_latency&groupBy=quantile',
  'metric=rtt&groupBy=pod',
  'metric=tcp_latency&groupBy=none',
];

const URLS = [
  ...['node', 'namespace', 'workload', 'pod'].map((l) => `/api/v1/graph?level=${l}`),
  '/api/v1/drops',
  '/api/v1/dns',
  '/api/v1/flows',
  '/api/v1/diagnose?src=production/frontend&dst=production/api',
  '/api/v1/diagnose?src=ns:production&dst=production',
  ...GROUPINGS.flatMap((g) => [`/api/v1/timeseries?${g}&step=1&from=now-1m`, `/api/v1/timeseries?${g}`]),
  '/api/v1/timeline',
  '/api/v1/timeline?level=pod&from=now-1m',
  '/api/v1/graph?level=pod&compare=previous',
];

/** True when `v` holds no number that isn't finite (JSON has none, but NaN serialises as null or 500s). */
function finiteEverywhere(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(finiteEverywhere);
  if (v !== null && typeof v === 'object') return Object.values(v).every(finiteEverywhere);
  return true;
}

/** The names diagnose accepts as namespace/pod (Kubernetes names: lowercase), once the store has seen them. */
const POISONED_SUBJECTS = INHERITED.filter((n) => /^[a-z][a-z0-9-]*$/.test(n)).flatMap((n) => [
  `/api/v1/diagnose?src=${n}/${n}&dst=production/api`,
  `/api/v1/diagnose?src=production/api&dst=${n}/${n}`,
  `/api/v1/diagnose?src=ns:${n}&dst=${n}`,
]);

async function answers(app: Awaited<ReturnType<typeof testApp>>['app'], extra: string[] = []) {
  for (const url of [...URLS, ...extra]) {
    const res = await app.inject(url);
    expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
    expect(finiteEverywhere(res.json()), url).toBe(true);
  }
}

describe('values that poisoned answers', () => {
  it('every inherited Object.prototype name as reason, rcode, qname, namespace and pod is a plain name', async () => {
    const { app, clock } = await testApp(null);
    for (const name of INHERITED) {
      const pod = { ...EP.legacy, namespace: name, name, workload: name };
      const [batch] = labBatches({ seconds: 1, nodes: [N1], policyDropsPerSec: 2, nxdomainPerSec: 1 });
      batch!.flows = batch!.flows.map((f) => ({ ...f, src: pod }));
      batch!.drops = batch!.drops.map((d) => ({ ...d, src: pod, reason: name }));
      batch!.dns = batch!.dns.map((q) => ({ ...q, client: pod, qname: name, rcode: name }));
      clock.now = batch!.end + 100;
      app.weft.store.ingest(batch!, N1);
    }
    // Live answers the seconds every collector has delivered: the one stamped at the batch's end is
    // among them once the next second began.
    clock.now += 1_000;
    await answers(app, POISONED_SUBJECTS);
    const edges = (await app.inject('/api/v1/graph?level=pod')).json().edges as {
      dropReasons: Record<string, number>;
    }[];
    const reasons = new Map<string, number>();
    for (const e of edges)
      for (const [r, v] of Object.entries(e.dropReasons)) reasons.set(r, (reasons.get(r) ?? 0) + v);
    // Each name came through as a reason with a rate, not as the function or object it names.
    for (const name of INHERITED) expect(reasons.get(name), name).toBeGreaterThan(0);
    const dns = (await app.inject('/api/v1/dns')).json();
    for (const name of INHERITED) expect(Object.hasOwn(dns.rcodes, name), name).toBe(true);
    await app.close();
  });

  it('counts of 1e308 or Infinity saturate instead of making totals Infinity or NaN', async () => {
    const { app, clock } = await testApp(null);
    for (const huge of [1e308, Number.POSITIVE_INFINITY, Number.NaN, -1e308]) {
      const [batch] = labBatches({ seconds: 1, nodes: [N1], policyDropsPerSec: 2, nxdomainPerSec: 1 });
      batch!.flows = batch!.flows.map((f) => ({ ...f, bytes: huge, packets: huge }));
      batch!.drops = batch!.drops.map((d) => ({ ...d, bytes: huge, packets: huge }));
      batch!.dns = batch!.dns.map((q) => ({ ...q, latencyUs: huge }));
      batch!.tcp = batch!.tcp.map((c) => ({ ...c, latencyUs: huge }));
      batch!.tcpStats = batch!.tcpStats.map((t) => ({ ...t, srttUs: huge, retransmits: huge }));
      clock.now = batch!.end + 100;
      app.weft.store.ingest(batch!, N1);
      app.weft.store.ingest(batch!, N1);
    }
    // Live answers the seconds every collector has delivered: the one stamped at the batch's end is
    // among them once the next second began.
    clock.now += 1_000;
    await answers(app);
    const g = (await app.inject('/api/v1/graph?level=namespace')).json();
    expect(g.edges.some((e: { bytesPerSec: number }) => e.bytesPerSec > 1e12)).toBe(true);
    await app.close();
  });
});
