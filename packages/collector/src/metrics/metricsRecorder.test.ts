import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { IntervalAggregator } from '../aggregator.js';
import type { MetricsLevel } from '../config.js';
import { clusterInventory, connect, dns, drop, flow, IP } from '../fixtures/clusterFixture.js';
import { IdentityTable } from '../identity/identityTable.js';
import { applyInventory } from '../identity/inventorySource.js';
import { createCollectorMetrics } from './collectorMetrics.js';
import { makeLabelPolicy } from './labelPolicy.js';
import { MetricsRecorder } from './metricsRecorder.js';

const run = promisify(execFile);

function setup(level: MetricsLevel = 'pod', include: string[] = [], exclude: string[] = []) {
  const table = new IdentityTable({ node: 'node-a' });
  applyInventory(table, clusterInventory(), 0);
  const metrics = createCollectorMetrics();
  const recorder = new MetricsRecorder({
    metrics,
    policy: makeLabelPolicy(level, include, exclude),
    liveness: table,
    ttlMs: 60_000,
  });
  const agg = new IntervalAggregator({ resolver: table }, 1000);
  return { table, metrics, recorder, agg };
}

function feed(s: ReturnType<typeof setup>, t = 1500) {
  const { agg } = s;
  agg.add(flow(IP.frontend, IP.api0, 'egress', 15_000, 10, t));
  agg.add(flow(IP.frontend, IP.api0, 'ingress', 15_000, 10, t));
  agg.add(flow(IP.api0, IP.db, 'egress', 2_000, 4, t, 5432));
  agg.add(flow(IP.world, IP.api0, 'ingress', 700, 1, t, 443));
  agg.add(drop(IP.frontend, IP.db, 'NETFILTER_DROP', 7, t));
  agg.add(dns(IP.frontend, 'api.production.svc.cluster.local', 'NOERROR', 800, t));
  agg.add(dns(IP.frontend, 'nope.example', 'NXDOMAIN', 1200, t, 'AAAA'));
  agg.add(dns(IP.frontend, 'slow.example', 'TIMEOUT', 5_000_000, t));
  agg.add(connect(IP.frontend, IP.apiService, true, t, 2000));
  agg.add(connect(IP.frontend, IP.apiService, false, t));
  agg.add({
    type: 'tcp_stats',
    ts: t,
    src: IP.frontend,
    dst: IP.api0,
    sport: 1,
    dport: 80,
    srtt_us: 300,
    retransmits: 2,
  });
  s.recorder.record(agg.flush(2000));
}

/** prom-client's JSON carries each histogram sample's own name, which its types leave out. */
const sampleName = (v: object) => String((v as { metricName?: string }).metricName ?? '');

async function values(s: ReturnType<typeof setup>, name: string) {
  const m = (await s.metrics.registry.getMetricsAsJSON()).find((x) => x.name === name);
  if (!m) throw new Error(`no metric ${name}`);
  return m;
}

describe('collector metrics', () => {
  it('exposes every metric of the design table with exactly its type and labels', async () => {
    const s = setup();
    feed(s);
    const pair = ['source_namespace', 'source_pod', 'destination_namespace', 'destination_pod'];
    const expected: [string, string, string[]][] = [
      ['networkobservability_forward_bytes', 'counter', ['direction', ...pair]],
      ['networkobservability_forward_count', 'counter', ['direction', ...pair]],
      ['networkobservability_drop_count', 'counter', ['reason', 'direction', ...pair]],
      ['networkobservability_drop_bytes', 'counter', ['reason', 'direction', ...pair]],
      ['networkobservability_dns_request_count', 'counter', ['namespace', 'pod', 'query_type']],
      [
        'networkobservability_dns_response_count',
        'counter',
        ['namespace', 'pod', 'query_type', 'response_code', 'return_code'],
      ],
      ['networkobservability_dns_response_latency', 'histogram', ['namespace', 'pod']],
      ['networkobservability_tcp_connection_total', 'counter', [...pair, 'destination_service']],
      ['networkobservability_tcp_connection_failed_total', 'counter', [...pair, 'destination_service']],
      ['networkobservability_tcp_connection_latency', 'histogram', pair],
      ['networkobservability_tcp_rtt', 'histogram', pair],
      ['networkobservability_tcp_retransmit_count', 'counter', pair],
      [
        'hubble_flows_processed_total',
        'counter',
        [
          'source_namespace',
          'destination_namespace',
          'protocol',
          'verdict',
          'source',
          'destination',
          'type',
          'subtype',
        ],
      ],
    ];
    const text = await s.metrics.registry.metrics();
    for (const [name, type, labels] of expected) {
      const m = await values(s, name);
      expect(m.type, name).toBe(type);
      const v = m.values.find((x) => !sampleName(x).endsWith('_sum') && !sampleName(x).endsWith('_count'));
      expect(
        Object.keys(v?.labels ?? {})
          .filter((l) => l !== 'le')
          .sort(),
        name,
      ).toEqual([...labels].sort());
      expect(text).toContain(`# TYPE ${name} ${type}`);
    }
    // The seed's counters keep their names: nothing appended.
    expect(text).not.toContain('networkobservability_forward_bytes_total');
    expect(text).not.toContain('networkobservability_drop_count_total');
  });

  it('counts what the records say', async () => {
    const s = setup();
    feed(s);
    const fwd = await values(s, 'networkobservability_forward_bytes');
    const egress = fwd.values.find(
      (v) => v.labels.direction === 'egress' && v.labels.source_pod === 'frontend-abc123',
    );
    expect(egress?.value).toBe(15_000);
    expect(egress?.labels).toMatchObject({
      source_namespace: 'production',
      destination_namespace: 'production',
      destination_pod: 'api-7f9c-0',
    });
    const world = fwd.values.find((v) => v.labels.source_namespace === '');
    expect(world?.labels).toMatchObject({
      source_pod: '',
      direction: 'ingress',
      destination_pod: 'api-7f9c-0',
    });
    const drops = await values(s, 'networkobservability_drop_count');
    expect(drops.values).toEqual([
      expect.objectContaining({
        value: 7,
        labels: expect.objectContaining({
          reason: 'policy_drop',
          direction: 'egress',
          destination_pod: 'db-0',
        }),
      }),
    ]);
    const req = await values(s, 'networkobservability_dns_request_count');
    expect(req.values.reduce((a, v) => a + v.value, 0)).toBe(3);
    const resp = await values(s, 'networkobservability_dns_response_count');
    expect(resp.values.map((v) => [v.labels.query_type, v.labels.response_code, v.value]).sort()).toEqual([
      ['A', 'NOERROR', 1],
      ['AAAA', 'NXDOMAIN', 1],
    ]);
    const conn = await values(s, 'networkobservability_tcp_connection_total');
    expect(conn.values[0]).toMatchObject({
      value: 2,
      labels: { destination_service: 'api-service', source_pod: 'frontend-abc123' },
    });
    const failed = await values(s, 'networkobservability_tcp_connection_failed_total');
    expect(failed.values[0]?.value).toBe(1);
    const lat = await values(s, 'networkobservability_tcp_connection_latency');
    expect(lat.values.find((v) => sampleName(v).endsWith('_sum'))?.value).toBeCloseTo(0.002);
    const retr = await values(s, 'networkobservability_tcp_retransmit_count');
    expect(retr.values[0]?.value).toBe(2);
    const hubble = await values(s, 'hubble_flows_processed_total');
    const byVerdict = (v: string) =>
      hubble.values.filter((x) => x.labels.verdict === v).reduce((a, x) => a + x.value, 0);
    // Once per packet: egress observations, plus ingress from the unobserved world (the local pair's ingress is not counted again).
    expect(byVerdict('FORWARDED')).toBe(10 + 4 + 1);
    expect(byVerdict('DROPPED')).toBe(7);
    expect(hubble.values.find((x) => x.labels.verdict === 'DROPPED')?.labels.protocol).toBe('TCP');
  });

  it('counts the DNS responses the probe did not take as answers', async () => {
    const s = setup();
    const stats = (m: number) =>
      s.agg.add({ type: 'stats', ts: 1, flow_overflow: 0, ring_lost: 0, links: 1, dns_mismatch: m });
    stats(3);
    s.recorder.record(s.agg.flush(2000));
    stats(7);
    s.recorder.record(s.agg.flush(3000));
    const m = await values(s, 'weft_collector_dns_answers_mismatched_total');
    expect(m.values[0]?.value).toBe(7);
  });

  it('adds every interval to the same series', async () => {
    const s = setup();
    feed(s, 1500);
    const series = s.recorder.seriesCount;
    feed(s, 2500);
    feed(s, 3500);
    expect(s.recorder.seriesCount).toBe(series);
    const fwd = await values(s, 'networkobservability_forward_bytes');
    const egress = fwd.values.filter(
      (v) => v.labels.direction === 'egress' && v.labels.source_pod === 'frontend-abc123',
    );
    expect(egress.map((v) => v.value)).toEqual([3 * 15_000]);
    const hubble = await values(s, 'hubble_flows_processed_total');
    const forwarded = hubble.values.filter((x) => x.labels.verdict === 'FORWARDED');
    expect(forwarded.reduce((a, x) => a + x.value, 0)).toBe(3 * (10 + 4 + 1));
  });

  it('counts a pod that comes back after its series expired into new series, still tracked for expiry', async () => {
    const s = setup();
    feed(s, 1500);
    const before = s.recorder.seriesCount;
    const inv = clusterInventory();
    const gone = { ...inv, pods: inv.pods.filter((p) => p.name !== 'frontend-abc123') };
    applyInventory(s.table, gone, 3000);
    expect(s.recorder.sweep(70_000)).toBeGreaterThan(0);
    expect(await s.metrics.registry.metrics()).not.toContain('frontend-abc123');
    // Back under the same name and address, then traffic again: the series are exported anew from zero.
    applyInventory(s.table, inv, 71_000);
    feed(s, 72_000);
    expect(s.recorder.seriesCount).toBe(before);
    const fwd = await values(s, 'networkobservability_forward_bytes');
    const egress = fwd.values.find(
      (v) => v.labels.direction === 'egress' && v.labels.source_pod === 'frontend-abc123',
    );
    expect(egress?.value).toBe(15_000);
    // And they expire again once the pod is gone for good.
    applyInventory(s.table, gone, 73_000);
    expect(s.recorder.sweep(200_000)).toBeGreaterThan(0);
    expect(await s.metrics.registry.metrics()).not.toContain('frontend-abc123');
  });

  it('fills identity labels by level', async () => {
    for (const [level, pods] of [
      ['pod', ['api-7f9c-0', 'frontend-abc123']],
      ['workload', ['api', 'frontend']],
      ['namespace', ['']],
    ] as const) {
      const s = setup(level);
      feed(s);
      const fwd = await values(s, 'networkobservability_forward_bytes');
      const inProd = fwd.values.filter(
        (x) => x.labels.direction === 'egress' && x.labels.source_namespace === 'production',
      );
      expect([...new Set(inProd.map((x) => x.labels.source_pod))].sort(), level).toEqual(pods);
      // Whatever the level, the bytes add up the same.
      expect(
        inProd.reduce((a, x) => a + x.value, 0),
        level,
      ).toBe(17_000);
      const dnsReq = await values(s, 'networkobservability_dns_request_count');
      expect(dnsReq.values[0]?.labels.pod, level).toBe(level === 'namespace' ? '' : pods[pods.length - 1]);
    }
  });

  it('keeps only series touching included, non-excluded namespaces', async () => {
    const only = setup('pod', ['kube-system']);
    feed(only);
    expect((await values(only, 'networkobservability_forward_bytes')).values).toHaveLength(0);
    const prod = setup('pod', ['production']);
    feed(prod);
    expect((await values(prod, 'networkobservability_forward_bytes')).values).toHaveLength(4);
    const ex = setup('pod', [], ['production']);
    ex.agg.add(flow(IP.coredns, IP.world, 'egress', 100, 1, 1500, 53));
    feed(ex);
    const fwd = (await values(ex, 'networkobservability_forward_bytes')).values;
    expect(fwd.map((v) => v.labels.source_namespace)).toEqual(['kube-system']);
    expect((await values(ex, 'networkobservability_dns_request_count')).values).toHaveLength(0);
  });

  it('removes the series of deleted pods after the TTL, and keeps live ones', async () => {
    const s = setup();
    feed(s, 1500);
    const before = s.recorder.seriesCount;
    expect(before).toBeGreaterThan(5);
    // Within the TTL nothing goes, even for a deleted pod.
    const inv = clusterInventory();
    inv.pods = inv.pods.filter((p) => p.name !== 'frontend-abc123');
    applyInventory(s.table, inv, 3000);
    expect(s.recorder.sweep(30_000)).toBe(0);
    expect(s.recorder.sweep(70_000)).toBeGreaterThan(0);
    const text = await s.metrics.registry.metrics();
    expect(text).not.toContain('frontend-abc123');
    // The api -> db series belongs to live pods: kept.
    expect(text).toContain('destination_pod="db-0"');
  });

  it('bounds the number of series and counts what it refused', async () => {
    const table = new IdentityTable({ node: 'node-a' });
    const metrics = createCollectorMetrics();
    const recorder = new MetricsRecorder({
      metrics,
      policy: makeLabelPolicy('pod'),
      liveness: table,
      ttlMs: 1000,
      maxSeries: 3,
    });
    const agg = new IntervalAggregator({ resolver: table }, 0);
    for (let i = 0; i < 10; i++) {
      table.upsertPod(
        {
          uid: `u${i}`,
          namespace: 'ns',
          name: `p${i}`,
          ips: [`10.244.9.${i}`],
          node: 'node-a',
          workloadKind: 'Pod',
          workload: `p${i}`,
          labels: {},
        },
        0,
      );
      agg.add(flow(`10.244.9.${i}`, IP.world, 'egress', 1, 1, 10));
    }
    recorder.record(agg.flush(100));
    expect(recorder.seriesCount).toBe(3);
    const dropped = (await metrics.registry.getMetricsAsJSON()).find(
      (m) => m.name === 'weft_collector_series_dropped_total',
    );
    expect(dropped?.values[0]?.value).toBeGreaterThan(0);
  });

  it('keeps hostile label values out of the exposition format', async () => {
    const s = setup();
    s.agg.add({ ...dns(IP.frontend, 'a"\n}b', 'NO"ERR\nOR', 10, 1500), qtype: 'A"}\n' });
    s.recorder.record(s.agg.flush(2000));
    const text = await s.metrics.registry.metrics();
    expect(text).toContain('query_type="A___"');
    expect(text).toContain('response_code="NO_ERR_OR"');
  });

  it('passes promtool check metrics with only the seed counter-name notes, hostile names included', async () => {
    const s = setup();
    feed(s);
    // An inventory can name anything: quotes, backslashes, newlines and braces stay inside the label value.
    const evil = 'evil"pod\\x\n{a="b"} # HELP';
    s.table.upsertPod(
      {
        uid: 'evil',
        namespace: 'production',
        name: evil,
        ips: ['10.244.1.66'],
        node: 'node-a',
        workloadKind: 'Pod',
        workload: evil,
        labels: {},
      },
      0,
    );
    s.agg.add(flow('10.244.1.66', IP.world, 'egress', 10, 1, 2500));
    s.recorder.record(s.agg.flush(3000));
    expect(await s.metrics.registry.metrics()).toContain('source_pod="evil\\"pod\\\\x\\n{a=\\"b\\"} # HELP"');
    const dir = await mkdtemp(join(tmpdir(), 'wco-promtool-'));
    try {
      const file = join(dir, 'metrics.txt');
      await writeFile(file, await s.metrics.registry.metrics());
      const out = await run('sh', ['-c', `promtool check metrics < ${file} 2>&1; true`]);
      const lines = out.stdout.split('\n').filter((l) => l.trim() !== '');
      const seedCounters = [
        'networkobservability_forward_bytes',
        'networkobservability_forward_count',
        'networkobservability_drop_count',
        'networkobservability_drop_bytes',
        'networkobservability_dns_request_count',
        'networkobservability_dns_response_count',
        'networkobservability_tcp_retransmit_count',
        // Retina's own names, as its dashboards query them.
        'networkobservability_adv_forward_count',
        'networkobservability_adv_drop_count',
        'networkobservability_tcp_flag_counters',
      ];
      for (const l of lines) {
        const about = seedCounters.find((n) => l.startsWith(`${n} `));
        // The seed's names end in _count or _bytes, not _total: promtool notes both, nothing else.
        expect(l, `unexpected promtool finding: ${l}`).toMatch(
          /counter metrics should have "_total" suffix|non-histogram and non-summary metrics should not have "_count" suffix/,
        );
        expect(about, l).toBeDefined();
      }
      for (const n of seedCounters) expect(lines.some((l) => l.startsWith(`${n} `))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the AKS add-on's families (Hubble's and Retina's names, labels and values)", () => {
  /** The lab's kind of trouble on top of the usual traffic: a handshake, a refused connect. */
  function feedTcp(s: ReturnType<typeof setup>, t = 1500) {
    s.agg.add({ ...flow(IP.frontend, IP.api0, 'egress', 60, 1, t), tcp_flags: 0x02 });
    s.agg.add({
      ...flow(IP.api0, IP.frontend, 'egress', 60, 1, t),
      sport: 80,
      dport: 45000,
      tcp_flags: 0x12,
    });
    s.agg.add({
      ...flow(IP.db, IP.frontend, 'egress', 60, 1, t),
      sport: 5432,
      dport: 45001,
      tcp_flags: 0x14,
    });
    feed(s, t);
  }

  it('names flows as Hubble does: namespace/workload, type and subtype, flags by name', async () => {
    const s = setup('pod');
    feedTcp(s);
    const processed = (await values(s, 'hubble_flows_processed_total')).values;
    expect(processed).toContainEqual(
      expect.objectContaining({
        labels: expect.objectContaining({
          source: 'production/frontend',
          destination: 'production/api',
          verdict: 'FORWARDED',
          type: 'Trace',
          subtype: 'to-stack',
        }),
      }),
    );
    const dropped = processed.find((v) => v.labels.verdict === 'DROPPED');
    expect(dropped?.labels).toMatchObject({
      type: 'Drop',
      source: 'production/frontend',
      destination: 'production/db',
    });
    expect(dropped?.value).toBe(7);
    // From outside the cluster Hubble leaves the name empty (Prometheus then leaves the label out).
    expect(processed.some((v) => v.labels.subtype === 'to-endpoint' && v.labels.source === '')).toBe(true);

    const flags = (await values(s, 'hubble_tcp_flags_total')).values.map((v) => [
      v.labels.flag,
      v.labels.source,
      v.labels.destination,
    ]);
    expect(flags).toContainEqual(['SYN', 'production/frontend', 'production/api']);
    expect(flags).toContainEqual(['SYN-ACK', 'production/api', 'production/frontend']);
    expect(flags).toContainEqual(['RST', 'production/db', 'production/frontend']);
    // SYN-ACK is one flag in Hubble's words, not a SYN too.
    expect(flags.filter(([f]) => f === 'SYN')).toHaveLength(1);
    const retina = Object.fromEntries(
      (await values(s, 'networkobservability_tcp_flag_counters')).values.map((v) => [v.labels.flag, v.value]),
    );
    expect(retina).toMatchObject({
      syn: 1,
      synack: 1,
      rst: 1,
      ack: expect.any(Number),
      psh: expect.any(Number),
    });
  });

  it("counts pod-level traffic and drops as Retina's advanced metrics do, pods by name and IP", async () => {
    const s = setup('pod');
    feed(s);
    const fwd = (await values(s, 'networkobservability_adv_forward_count')).values;
    expect(fwd).toContainEqual(
      expect.objectContaining({
        value: 10,
        labels: expect.objectContaining({
          source_podname: 'frontend-abc123',
          source_ip: IP.frontend,
          source_namespace: 'production',
          source_workload_kind: 'Deployment',
          source_workload_name: 'frontend',
          destination_podname: 'api-7f9c-0',
          destination_ip: IP.api0,
        }),
      }),
    );
    // Whatever is not a pod is `unknown`, which the dashboards filter on; a world address is not kept.
    const fromWorld = fwd.find(
      (v) => v.labels.destination_podname === 'api-7f9c-0' && v.labels.source_podname === 'unknown',
    );
    expect(fromWorld?.labels.source_ip).toBe('');
    const drops = (await values(s, 'networkobservability_adv_drop_count')).values;
    expect(drops).toEqual([
      expect.objectContaining({
        value: 7,
        labels: expect.objectContaining({
          reason: 'policy_drop',
          source_podname: 'frontend-abc123',
          destination_podname: 'db-0',
        }),
      }),
    ]);
  });

  it("answers DNS in Hubble's and Retina's words, on the seed's series", async () => {
    const s = setup('pod');
    feed(s);
    const seed = (await values(s, 'networkobservability_dns_response_count')).values;
    // One series per response code, carrying both spellings: no series added for Retina's.
    expect(seed.map((v) => [v.labels.response_code, v.labels.return_code]).sort()).toEqual([
      ['NOERROR', 'NoError'],
      ['NXDOMAIN', 'NXDomain'],
    ]);
    const queries = (await values(s, 'hubble_dns_queries_total')).values;
    expect(
      queries.map((v) => [v.labels.query, v.labels.qtypes, v.labels.source, v.labels.destination]).sort(),
    ).toEqual([
      ['api.production.svc.cluster.local', 'A', 'production/frontend', 'kube-system/coredns'],
      ['nope.example', 'AAAA', 'production/frontend', 'kube-system/coredns'],
      ['slow.example', 'A', 'production/frontend', 'kube-system/coredns'],
    ]);
    const responses = (await values(s, 'hubble_dns_responses_total')).values;
    expect(
      responses.map((v) => [v.labels.rcode, v.labels.ips_returned, v.labels.destination]).sort(),
    ).toEqual([
      ['No Error', '1', 'production/frontend'],
      ['Non-Existent Domain', '0', 'production/frontend'],
    ]);
  });

  it('obeys the metrics level: no pod names at namespace level, workloads at workload level', async () => {
    const ns = setup('namespace');
    feedTcp(ns);
    expect((await values(ns, 'networkobservability_adv_forward_count')).values).toHaveLength(0);
    expect((await values(ns, 'networkobservability_adv_drop_count')).values).toHaveLength(0);
    const names = [
      ...(await values(ns, 'hubble_flows_processed_total')).values.flatMap((v) => [
        v.labels.source,
        v.labels.destination,
      ]),
      ...(await values(ns, 'hubble_tcp_flags_total')).values.flatMap((v) => [
        v.labels.source,
        v.labels.destination,
      ]),
      ...(await values(ns, 'hubble_dns_queries_total')).values.flatMap((v) => [
        v.labels.source,
        v.labels.destination,
      ]),
    ];
    expect(new Set(names)).toEqual(new Set(['production', 'kube-system', '']));
    const wl = setup('workload');
    feed(wl);
    const pods = (await values(wl, 'networkobservability_adv_forward_count')).values.map(
      (v) => v.labels.source_podname,
    );
    expect(new Set(pods)).toEqual(new Set(['frontend', 'api', 'unknown']));
    // One series per workload: no pod IPs at workload level.
    expect(
      (await values(wl, 'networkobservability_adv_forward_count')).values.every(
        (v) => v.labels.source_ip === '',
      ),
    ).toBe(true);
  });

  it('obeys the namespace include and exclude lists', async () => {
    const ex = setup('pod', [], ['production']);
    feedTcp(ex);
    for (const name of [
      'hubble_tcp_flags_total',
      'hubble_dns_queries_total',
      'hubble_dns_responses_total',
      'networkobservability_adv_forward_count',
      'networkobservability_adv_drop_count',
      'networkobservability_tcp_flag_counters',
    ])
      expect((await values(ex, name)).values, name).toHaveLength(0);
  });

  it("can be turned off, leaving the seed's exposition label for label", async () => {
    const table = new IdentityTable({ node: 'node-a' });
    applyInventory(table, clusterInventory(), 0);
    const metrics = createCollectorMetrics({ compat: false });
    const recorder = new MetricsRecorder({
      metrics,
      policy: makeLabelPolicy('pod', [], []),
      liveness: table,
      ttlMs: 60_000,
    });
    const s = { table, metrics, recorder, agg: new IntervalAggregator({ resolver: table }, 1000) };
    feedTcp(s);
    const text = await metrics.registry.metrics();
    for (const name of [
      'hubble_tcp_flags_total',
      'hubble_dns_queries_total',
      'networkobservability_adv_forward_count',
      'networkobservability_tcp_flag_counters',
      'networkobservability_tcp_state',
      'networkobservability_interface_stats',
    ])
      expect(text).not.toContain(name);
    const processed = (await values(s, 'hubble_flows_processed_total')).values;
    expect(Object.keys(processed[0]?.labels ?? {}).sort()).toEqual([
      'destination_namespace',
      'protocol',
      'source_namespace',
      'verdict',
    ]);
    const dnsResp = (await values(s, 'networkobservability_dns_response_count')).values;
    expect(dnsResp.every((v) => v.labels.return_code === undefined)).toBe(true);
    expect((await values(s, 'networkobservability_forward_bytes')).values.length).toBeGreaterThan(0);
  });
});
