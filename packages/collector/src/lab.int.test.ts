import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { faultAdd, faultClear, type LabHandle, labDown, labUp } from '@weft/lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCollectorConfig } from './config.js';
import { IngestTestServer } from './fixtures/ingestTestServer.js';
import { type PromSample, type RunningPrometheus, startPrometheus } from './fixtures/prometheusRunner.js';
import { type RunningCollector, startCollector } from './main.js';

/**
 * The seed article's queries against the real thing: the lab (network namespaces, real traffic), one
 * collector per lab node with the real probe, and the Debian Prometheus scraping both every second.
 * On top of the lab's own traffic, the test sends exact amounts from pods that otherwise stay quiet
 * (db-0, redis) and holds the metrics to them.
 */
const run = promisify(execFile);
const PREFIX = 'wco';
const TRAFFIC = fileURLToPath(new URL('./fixtures/podTraffic.mjs', import.meta.url));

let lab: LabHandle;
let prom: RunningPrometheus;
let server: IngestTestServer;
const collectors: RunningCollector[] = [];
const logs: string[] = [];

function pod(workload: string, node?: string) {
  const p = lab.plan.pods.find((x) => x.workload === workload && (!node || x.node === node));
  if (!p) throw new Error(`no lab pod of ${workload}`);
  return p;
}

async function inPod(netns: string, ...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run('ip', ['netns', 'exec', netns, process.execPath, TRAFFIC, ...args], {
    timeout: 120_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

async function total(expr: string): Promise<number> {
  const r = await prom.query(`sum(${expr})`);
  return r.length === 0 ? 0 : Number(r[0]!.value[1]);
}

/** Wait until Prometheus has scraped a value that stopped moving (the probe drains every second). */
async function settled(expr: string, want?: number): Promise<number> {
  let last = Number.NaN;
  let same = 0;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const v = await total(expr);
    same = v === last ? same + 1 : 0;
    last = v;
    if ((want === undefined || v >= want) && same >= 3) return v;
    if (Date.now() > deadline) return v;
    await sleep(1000);
  }
}

const sent: Record<string, Record<string, unknown>> = {};

/** Add up two reports of podTraffic.mjs (numbers, and the byRcode table). */
function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (typeof v === 'number') out[k] = (Number(out[k]) || 0) + v;
    else if (v && typeof v === 'object') {
      const table: Record<string, number> = { ...((out[k] as Record<string, number>) ?? {}) };
      for (const [kk, vv] of Object.entries(v as Record<string, number>)) table[kk] = (table[kk] ?? 0) + vv;
      out[k] = table;
    }
  }
  return out;
}

beforeAll(async () => {
  await labDown({ prefix: PREFIX });
  lab = await labUp({ prefix: PREFIX, scenario: 'default' });
  server = new IngestTestServer('wco-token');
  const url = await server.start();
  for (const node of lab.nodes) {
    const parsed = parseCollectorConfig(
      [
        '--node',
        node.name,
        '--inventory',
        lab.inventoryPath,
        '--iface-prefix',
        node.ifacePrefix,
        '--server',
        url,
        '--token',
        'wco-token',
        '--metrics-host',
        '127.0.0.1',
        '--metrics-port',
        '0',
      ],
      {},
    );
    if (parsed.kind !== 'config') throw new Error(JSON.stringify(parsed));
    collectors.push(await startCollector(parsed.config, { log: (m) => logs.push(`${node.name}: ${m}`) }));
  }
  prom = await startPrometheus(collectors.map((c) => new URL(c.metricsUrl).host));
  // Let the lab's own traffic (and its trouble: policy drops, NXDOMAIN lookups, a closed port) show up.
  await sleep(15_000);

  const db = pod('db');
  const redis = pod('redis');
  const coredns = pod('coredns');
  // Forward bytes: 200 datagrams of 1000 bytes, db-0 -> redis (nobody else talks that way).
  sent.bytes = await inPod(db.netns, 'udp', redis.ipv4, '9999', '200', '1000');
  sent.bytesSeen = {
    value: await settled(
      `networkobservability_forward_bytes{direction="egress",source_pod="db-0",destination_pod="${redis.name}"}`,
      200 * 1028,
    ),
  };
  // NXDOMAIN: names that do not exist, asked of the lab DNS.
  // Each burst is preceded by a few of the same, scraped before it: Prometheus' rate() cannot see
  // the increase before a series' first sample, so the series must exist before the burst lands.
  const dnsPrime = await inPod(db.netns, 'dns', coredns.ipv4, 'prime-{i}.production.svc.cluster.local', '10');
  await sleep(3000);
  const dnsBurst = await inPod(db.netns, 'dns', coredns.ipv4, 'nope-{i}.production.svc.cluster.local', '600');
  sent.dns = merge(dnsPrime, dnsBurst);
  // Refused connections: redis does not listen on 9121.
  const connPrime = await inPod(db.netns, 'connect', redis.ipv4, '9121', '10');
  await sleep(3000);
  sent.connect = merge(connPrime, await inPod(db.netns, 'connect', redis.ipv4, '9121', '18000'));
  // Slow connects: every first SYN from redis to db-0:5432 is dropped, so each connect takes a retransmit (~1 s).
  const rule = `table inet ${PREFIX}_spike { chain input { type filter hook input priority -10; policy accept; ip saddr ${redis.ipv4} tcp dport 5432 tcp flags & (syn | ack) == syn numgen inc mod 2 == 0 drop; }; }`;
  await run('sh', ['-c', `echo '${rule}' | ip netns exec ${db.netns} nft -f -`]);
  sent.slow = await inPod(redis.netns, 'connect', db.ipv4, '5432', '3', '50');
  await run('ip', ['netns', 'exec', db.netns, 'nft', 'delete', 'table', 'inet', `${PREFIX}_spike`]);
  // Policy drops: a network policy at redis refusing db-0, then 40,000 packets.
  await faultAdd(
    { prefix: PREFIX },
    { kind: 'policy-drop', from: 'production/db-0', to: `production/${redis.name}` },
  );
  const dropPrime = await inPod(db.netns, 'udp', redis.ipv4, '9998', '10', '64');
  await sleep(3000);
  sent.drops = merge(dropPrime, await inPod(db.netns, 'udp', redis.ipv4, '9998', '40000', '64'));
  await faultClear({ prefix: PREFIX });
  await sleep(4000);
}, 600_000);

afterAll(async () => {
  for (const c of collectors) await c.stop().catch(() => {});
  await prom?.stop().catch(() => {});
  await server?.stop().catch(() => {});
  await labDown({ prefix: PREFIX });
  if (logs.length > 0) console.log(logs.slice(-30).join('\n'));
}, 120_000);

/** Every series carries only these labels, and pod traffic all of them (Prometheus leaves out empty ones: world). */
function labels(rs: PromSample[], ...names: string[]): void {
  expect(rs.length).toBeGreaterThan(0);
  for (const r of rs) for (const k of Object.keys(r.metric)) expect(names).toContain(k);
  expect(rs.some((r) => names.every((n) => r.metric[n] !== undefined))).toBe(true);
}

describe('the seed article against the lab', () => {
  it('Key PromQL Queries: every one returns series with the expected labels', async () => {
    const ns = await prom.query(
      'sum(rate(hubble_flows_processed_total[5m])) by (source_namespace, destination_namespace)',
    );
    labels(ns, 'source_namespace', 'destination_namespace');
    expect(
      ns.some(
        (r) => r.metric.source_namespace === 'production' && r.metric.destination_namespace === 'production',
      ),
    ).toBe(true);
    expect(
      ns.some(
        (r) => r.metric.source_namespace === 'monitoring' && r.metric.destination_namespace === 'production',
      ),
    ).toBe(true);

    const drops = await prom.query('sum(rate(networkobservability_drop_count[5m])) by (reason, direction)');
    labels(drops, 'reason', 'direction');
    expect(drops.some((r) => r.metric.reason === 'policy_drop')).toBe(true);

    const dnsP95 = await prom.query(
      'histogram_quantile(0.95, sum(rate(networkobservability_dns_response_latency_bucket[5m])) by (le, pod))',
    );
    labels(dnsP95, 'pod');
    expect(dnsP95.some((r) => r.metric.pod === pod('frontend').name && Number(r.value[1]) > 0)).toBe(true);

    const top = await prom.query(
      'topk(10, sum(rate(networkobservability_forward_bytes[5m])) by (source_pod, source_namespace))',
    );
    labels(top, 'source_pod', 'source_namespace');
    expect(top.length).toBeLessThanOrEqual(10);

    const failed = await prom.query(
      'sum(rate(networkobservability_tcp_connection_failed_total[5m])) by (source_pod, destination_pod)',
    );
    labels(failed, 'source_pod', 'destination_pod');
    // The lab's trouble: prometheus scrapes a redis port nobody listens on.
    expect(
      failed.some(
        (r) => r.metric.source_pod === 'prometheus-0' && r.metric.destination_pod === pod('redis').name,
      ),
    ).toBe(true);

    const policy = await prom.query(
      'sum(rate(networkobservability_drop_count{reason="policy_drop"}[5m])) by (source_pod, destination_pod, direction)',
    );
    labels(policy, 'source_pod', 'destination_pod', 'direction');
    expect(
      policy.some(
        (r) =>
          r.metric.source_pod === pod('legacy-worker').name && r.metric.destination_pod?.startsWith('api-'),
      ),
    ).toBe(true);
    // Each api pod drops legacy-worker's packets in its own namespace (the lab's policy is an ingress
    // rule on api): counted on the way in, by api's node, the remote one too (in a cluster the
    // sender's node never sees that drop).
    const legacyToApi = policy.filter(
      (r) =>
        r.metric.source_pod === pod('legacy-worker').name && r.metric.destination_pod?.startsWith('api-'),
    );
    const remoteApi = lab.plan.pods.find(
      (p) => p.workload === 'api' && p.node !== pod('legacy-worker').node,
    )!;
    expect(legacyToApi.map((r) => r.metric.destination_pod)).toContain(remoteApi.name);
    expect(new Set(legacyToApi.map((r) => r.metric.direction))).toEqual(new Set(['ingress']));
  });

  it('the Grafana panels: traffic map, drops by reason, DNS p95', async () => {
    const map = await prom.query(
      'sum(rate(networkobservability_forward_bytes[5m])) by (source_namespace, destination_namespace) > 0',
    );
    labels(map, 'source_namespace', 'destination_namespace');
    const pairs = map.map((r) => `${r.metric.source_namespace}->${r.metric.destination_namespace}`);
    for (const p of ['production->production', 'monitoring->production', 'production->kube-system'])
      expect(pairs).toContain(p);
    labels(await prom.query('sum(rate(networkobservability_drop_count[5m])) by (reason)'), 'reason');
    const p95 = await prom.query(
      'histogram_quantile(0.95, sum(rate(networkobservability_dns_response_latency_bucket[5m])) by (le))',
    );
    expect(p95).toHaveLength(1);
    expect(Number(p95[0]!.value[1])).toBeGreaterThan(0);
  });

  it('the four debugging steps, with the lab pod names', async () => {
    const legacy = pod('legacy-worker').name;
    const fe = pod('frontend', 'lab-node-1').name;
    const step2 = await prom.query(
      `networkobservability_drop_count{source_pod="${legacy}", reason="policy_drop"}`,
    );
    expect(step2.length).toBeGreaterThan(0);
    for (const r of step2)
      expect(r.metric).toMatchObject({
        source_namespace: 'production',
        destination_namespace: 'production',
        reason: 'policy_drop',
      });
    const step3 = await prom.query(
      `networkobservability_dns_response_count{pod="${fe}", response_code!="NOERROR"}`,
    );
    expect(step3.map((r) => r.metric.response_code)).toContain('NXDOMAIN');
    const step4 = await prom.query(
      `networkobservability_tcp_connection_total{source_pod="${fe}", destination_service="api"}`,
    );
    expect(step4.length).toBeGreaterThan(0);
    expect(step4.every((r) => r.metric.destination_pod?.startsWith('api-'))).toBe(true);
  });

  it('the latency-spike query finds the slow connects', async () => {
    const r = await prom.query(`histogram_quantile(0.99,
  sum(rate(networkobservability_tcp_connection_latency_bucket{
    source_namespace="production",
    destination_namespace="production"
  }[5m])) by (le, source_pod, destination_pod)
) > 0.1`);
    labels(r, 'source_pod', 'destination_pod');
    expect(
      r.some((x) => x.metric.source_pod === pod('redis').name && x.metric.destination_pod === 'db-0'),
    ).toBe(true);
    expect(sent.slow).toMatchObject({ ok: 3 });
  });

  it('the three alert expressions fire', async () => {
    expect(await prom.query('sum(rate(networkobservability_drop_count[5m])) > 100')).toHaveLength(1);
    expect(
      await prom.query(`sum(rate(networkobservability_dns_response_count{response_code!="NOERROR"}[5m]))
/
sum(rate(networkobservability_dns_response_count[5m]))
> 0.05`),
    ).toHaveLength(1);
    expect(
      await prom.query('sum(rate(networkobservability_tcp_connection_failed_total[5m])) > 50'),
    ).toHaveLength(1);
  });

  it('names IPv6 traffic too (the lab api talks to redis over IPv6)', async () => {
    const v6 = await total(
      `networkobservability_forward_bytes{direction="egress",source_pod=~"api-.*",destination_pod="${pod('redis').name}"}`,
    );
    expect(v6).toBeGreaterThan(0);
  });

  it('values agree with what was sent', async () => {
    const redis = pod('redis').name;
    // 200 datagrams of 1000 bytes + UDP/IP/Ethernet headers.
    const wire = 200 * (1000 + 8 + 20 + 14);
    expect(Math.abs(Number(sent.bytesSeen!.value) - wire) / wire).toBeLessThan(0.05);
    expect(sent.drops).toMatchObject({ sent: 40_010 });
    expect(
      await settled(
        `networkobservability_drop_count{reason="policy_drop",source_pod="db-0",destination_pod="${redis}"}`,
        40_010,
      ),
    ).toBe(40_010);
    const dns = sent.dns as { sent: number; byRcode: Record<string, number> };
    expect(dns.byRcode.NXDOMAIN).toBeGreaterThan(0);
    expect(
      await settled(
        'networkobservability_dns_response_count{pod="db-0",response_code="NXDOMAIN"}',
        dns.byRcode.NXDOMAIN,
      ),
    ).toBe(dns.byRcode.NXDOMAIN);
    expect(await settled('networkobservability_dns_request_count{pod="db-0"}', dns.sent)).toBe(dns.sent);
    const conn = sent.connect as { attempts: number; failed: number };
    expect(conn.failed).toBe(conn.attempts);
    expect(
      await settled('networkobservability_tcp_connection_failed_total{source_pod="db-0"}', conn.attempts),
    ).toBe(conn.attempts);
    expect(
      await settled(
        `networkobservability_tcp_connection_total{source_pod="db-0",destination_service="redis"}`,
        conn.attempts,
      ),
    ).toBe(conn.attempts);
  });

  it('streams the same traffic to the server, named', () => {
    const boots = [...server.stored.keys()];
    expect(boots).toHaveLength(2);
    const flows = boots.flatMap((b) => server.batches(b).flatMap((x) => x.flows));
    expect(
      flows.some((f) => f.src.name === 'db-0' && f.dst.name === pod('redis').name && f.dir === 'egress'),
    ).toBe(true);
    // A collector whose probe attached after the hello wait says hello again with its hooks: the
    // newest hello of each stream names them.
    const newest = new Map(server.hellos.map((h) => [h.boot, h]));
    expect(newest.size).toBe(2);
    for (const h of newest.values()) expect([h.hooks.length > 0, h.simulated]).toEqual([true, false]);
  });
});
