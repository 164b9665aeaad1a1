import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCollectorConfig } from './config.js';
import { clusterInventory, connect, dns, drop, flow, IP } from './fixtures/clusterFixture.js';
import { FakeKubeApi } from './fixtures/fakeKubeApi.js';
import { IngestTestServer } from './fixtures/ingestTestServer.js';
import { RecordQueue } from './fixtures/recordQueue.js';
import { until } from './fixtures/until.js';
import { startCollector } from './main.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The cluster fixture's inventory in a temporary file and an ingest server taking token `tok`. */
async function inventoryAndServer(): Promise<{ inv: string; server: IngestTestServer; url: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'wco-main-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const inv = join(dir, 'inventory.json');
  await writeFile(inv, JSON.stringify(clusterInventory()));
  const server = new IngestTestServer('tok');
  const url = await server.start();
  cleanups.push(() => server.stop());
  return { inv, server, url };
}

describe('startCollector', () => {
  it('names records from the inventory, serves the seed metrics and streams them to the server', async () => {
    const { inv, server, url } = await inventoryAndServer();
    const parsed = parseCollectorConfig(
      [
        '--node',
        'node-a',
        '--inventory',
        inv,
        '--server',
        url,
        '--metrics-host',
        '127.0.0.1',
        '--metrics-port',
        '0',
        '--interval-ms',
        '200',
        '--simulated',
      ],
      { WEFT_INGEST_TOKEN: 'tok' },
    );
    if (parsed.kind !== 'config') throw new Error(JSON.stringify(parsed));
    const source = new RecordQueue();
    const logs: string[] = [];
    const c = await startCollector(parsed.config, { source, log: (m) => logs.push(m) });
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await c.stop();
    });
    const now = Date.now();
    source.push(
      { type: 'hello', ts: now, version: 1, hooks: ['tc:wco0'], kernel: 'sim' },
      flow(IP.frontend, IP.api0, 'egress', 15_000, 10, now),
      drop(IP.frontend, IP.db, 'NETFILTER_DROP', 4, now),
      dns(IP.frontend, 'missing.example', 'NXDOMAIN', 1500, now),
      connect(IP.frontend, IP.apiService, false, now),
    );
    await until(() => server.batches(c.boot).some((b) => b.flows.length > 0), 'a batch with the flow');
    expect(server.hellos[0]).toMatchObject({
      node: 'node-a',
      hooks: ['tc:wco0'],
      simulated: true,
      boot: c.boot,
    });
    const all = server.batches(c.boot);
    const flows = all.flatMap((b) => b.flows);
    expect(flows[0]).toMatchObject({
      bytes: 15_000,
      src: { name: 'frontend-abc123' },
      dst: { name: 'api-7f9c-0' },
    });
    expect(all.flatMap((b) => b.drops)[0]).toMatchObject({ reason: 'policy_drop', dir: 'egress' });
    expect(all.flatMap((b) => b.dns)[0]).toMatchObject({
      rcode: 'NXDOMAIN',
      client: { name: 'frontend-abc123' },
    });
    expect(all.flatMap((b) => b.tcp)[0]).toMatchObject({ outcome: 'fail', dst: { service: 'api-service' } });
    // Sequence numbers are contiguous from 0: one batch per interval, empty ones included.
    expect(all.map((b) => b.seq)).toEqual(all.map((_, i) => i));

    const text = await (await fetch(c.metricsUrl)).text();
    expect(text).toContain(
      'networkobservability_forward_bytes{direction="egress",source_namespace="production",source_pod="frontend-abc123",destination_namespace="production",destination_pod="api-7f9c-0"} 15000',
    );
    expect(text).toMatch(
      /networkobservability_drop_count\{reason="policy_drop",direction="egress",[^}]*destination_pod="db-0"\} 4/,
    );
    expect(text).toMatch(
      /networkobservability_dns_response_count\{namespace="production",pod="frontend-abc123",query_type="A",response_code="NXDOMAIN",[^}]*return_code="NXDomain"[^}]*\} 1/,
    );
    expect(text).toMatch(
      /networkobservability_tcp_connection_failed_total\{[^}]*destination_service="api-service"\} 1/,
    );
    expect(text).toContain(`weft_collector_server_connected{server="${url}"} 1`);
    // An inventory file is no API server: no handshake latency, not a histogram of nothing.
    expect(text).not.toContain('networkobservability_node_apiserver_handshake_latency_ms');
    expect(text).toContain('weft_collector_identity_pods 6');
    expect((await fetch(c.metricsUrl.replace('/metrics', '/healthz'))).status).toBe(200);
    expect((await fetch(c.metricsUrl.replace('/metrics', '/nope'))).status).toBe(404);

    // Records pushed just before stop still reach the server.
    source.push(flow(IP.frontend, IP.api0, 'egress', 777, 1, Date.now()));
    await c.stop();
    stopped = true;
    expect(
      server
        .batches(c.boot)
        .flatMap((b) => b.flows)
        .some((f) => f.bytes === 777),
    ).toBe(true);
    await expect(fetch(c.metricsUrl)).rejects.toThrow();
  });

  it("closes the batch on the probe's end-of-interval stats record, not on a timer of its own", async () => {
    const { inv, server, url } = await inventoryAndServer();
    // A minute's interval: only the stats record can close a batch within this test.
    const parsed = parseCollectorConfig(
      ['--node', 'node-a', '--inventory', inv, '--server', url, '--metrics-host', '127.0.0.1'],
      { WEFT_INGEST_TOKEN: 'tok', WEFT_INTERVAL_MS: '60000', WEFT_METRICS_PORT: '0' },
    );
    if (parsed.kind !== 'config') throw new Error(JSON.stringify(parsed));
    const source = new RecordQueue();
    const c = await startCollector(parsed.config, { source, log: () => {} });
    cleanups.push(() => c.stop());
    const now = Date.now();
    source.push(
      { type: 'hello', ts: now, version: 1, hooks: ['tc:wco0'], kernel: 'test' },
      flow(IP.frontend, IP.api0, 'egress', 4_321, 3, now),
    );
    await sleep(300);
    expect(server.batches(c.boot).flatMap((b) => b.flows)).toEqual([]);
    source.push({ type: 'stats', ts: Date.now(), flow_overflow: 0, ring_lost: 0, links: 1 });
    await until(() => server.batches(c.boot).some((b) => b.flows.length > 0), 'the batch closed by stats');
    expect(server.batches(c.boot).flatMap((b) => b.flows)).toMatchObject([{ bytes: 4_321, packets: 3 }]);
  });

  it("exports the probe stream's bad records and the DNS responses the probe did not match", async () => {
    const { inv, server, url } = await inventoryAndServer();
    const parsed = parseCollectorConfig(
      ['--node', 'node-a', '--inventory', inv, '--server', url, '--metrics-host', '127.0.0.1'],
      { WEFT_INGEST_TOKEN: 'tok', WEFT_INTERVAL_MS: '60000', WEFT_METRICS_PORT: '0' },
    );
    if (parsed.kind !== 'config') throw new Error(JSON.stringify(parsed));
    const source = Object.assign(new RecordQueue(), { badRecords: 2 });
    const c = await startCollector(parsed.config, { source, log: () => {} });
    cleanups.push(() => c.stop());
    source.push({ type: 'stats', ts: Date.now(), flow_overflow: 0, ring_lost: 0, links: 1, dns_mismatch: 4 });
    await until(() => server.batches(c.boot).length > 0, 'the batch closed by stats');
    const text = await (await fetch(c.metricsUrl)).text();
    expect(text).toContain('weft_collector_records_lost_total{cause="probe_bad_record"} 2');
    expect(text).toContain('weft_collector_dns_answers_mismatched_total 4');
  });

  it('streams to every server of WEFT_SERVER_URL, each with its own metrics, one away holding back none', async () => {
    const { inv, server: a, url: urlA } = await inventoryAndServer();
    const b = new IngestTestServer('tok');
    const urlB = await b.start();
    cleanups.push(() => b.stop());
    await b.stop();
    const parsed = parseCollectorConfig(
      ['--node', 'node-a', '--inventory', inv, '--metrics-port', '0', '--interval-ms', '200'],
      { WEFT_INGEST_TOKEN: 'tok', WEFT_SERVER_URL: `${urlA},${urlB}` },
    );
    if (parsed.kind !== 'config') throw new Error(JSON.stringify(parsed));
    const source = new RecordQueue();
    const c = await startCollector(parsed.config, { source, log: () => {} });
    cleanups.push(() => c.stop());
    const [bootA, bootB] = c.boots as [string, string];
    expect(c.boot).toBe(bootA);
    const now = Date.now();
    source.push(
      { type: 'hello', ts: now, version: 1, hooks: ['tc:wco0'], kernel: 'sim' },
      flow(IP.frontend, IP.api0, 'egress', 15_000, 10, now),
    );
    const hasFlow = (s: IngestTestServer, boot: string) =>
      s.batches(boot).some((x) => x.flows.some((f) => f.bytes === 15_000));
    await until(() => hasFlow(a, bootA), 'server A to get the flow while B is away');
    const metric = async (name: string, server: string) => {
      const text = await (await fetch(c.metricsUrl)).text();
      const m = new RegExp(`^${name}\\{server="${server}"\\} (\\d+)$`, 'm').exec(text);
      return m ? Number(m[1]) : undefined;
    };
    await until(
      async () => (await metric('weft_collector_spool_batches', urlB)) !== undefined,
      'per-server metrics',
    );
    expect(await metric('weft_collector_server_connected', urlA)).toBe(1);
    expect(await metric('weft_collector_server_connected', urlB)).toBe(0);
    expect(await metric('weft_collector_spool_batches', urlB)).toBeGreaterThan(0);

    await b.start(b.port);
    await until(() => hasFlow(b, bootB), 'server B, back, to get the flow from its spool');
    await until(
      async () => (await metric('weft_collector_server_connected', urlB)) === 1,
      'B connected in the metrics',
    );
    // Both streams numbered from 0, contiguous: B missed nothing.
    for (const [s, boot] of [
      [a, bootA],
      [b, bootB],
    ] as const) {
      const seqs = s.batches(boot).map((x) => x.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i));
    }
    expect(await metric('weft_collector_spool_given_up_records_total', urlB)).toBe(0);
  });

  it('refuses to start on a bad inventory file, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wco-main-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const inv = join(dir, 'bad.json');
    await writeFile(inv, '{"version":2}');
    const parsed = parseCollectorConfig(['--node', 'n', '--inventory', inv, '--metrics-port', '0'], {});
    if (parsed.kind !== 'config') throw new Error('config');
    await expect(startCollector(parsed.config, { source: new RecordQueue() })).rejects.toThrow(
      /bad\.json: not a Weft inventory/,
    );
  });

  it('refuses to start on a CA file it cannot read, naming the variable, before starting anything', async () => {
    const parsed = parseCollectorConfig(
      ['--node', 'n', '--inventory', '/nonexistent/inv.json', '--server', 'wss://127.0.0.1:9/api/v1/ingest'],
      { WEFT_SERVER_CA_FILE: '/nonexistent/wco/ca.crt' },
    );
    if (parsed.kind !== 'config') throw new Error('config');
    // The inventory is missing too: the CA is read first, so its message is the one given.
    await expect(startCollector(parsed.config, { source: new RecordQueue() })).rejects.toThrow(
      /WEFT_SERVER_CA_FILE=\/nonexistent\/wco\/ca\.crt: cannot read it \(ENOENT/,
    );
  });

  it('names pods from the Kubernetes API in kubernetes mode', async () => {
    const api = new FakeKubeApi();
    await api.start();
    cleanups.push(() => api.stop());
    api.put('/api/v1/pods', {
      metadata: { name: 'web-0', namespace: 'shop', uid: 'uid-web-0' },
      spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'registry.invalid/c:1' }] },
      status: { phase: 'Running', podIP: '10.244.1.10', podIPs: [{ ip: '10.244.1.10' }] },
    });
    const parsed = parseCollectorConfig(
      [
        '--node',
        'node-a',
        '--identity',
        'kubernetes',
        '--server',
        'ws://127.0.0.1:9/api/v1/ingest',
        '--metrics-host',
        '127.0.0.1',
        '--metrics-port',
        '0',
        '--interval-ms',
        '200',
      ],
      {},
    );
    if (parsed.kind !== 'config') throw new Error(JSON.stringify(parsed));
    const source = new RecordQueue();
    const c = await startCollector(parsed.config, { source, kubeConfig: api.kubeConfig(), log: () => {} });
    cleanups.push(() => c.stop());
    source.push(flow('10.244.1.10', IP.world, 'egress', 321, 1, Date.now()));
    await until(
      async () => (await (await fetch(c.metricsUrl)).text()).includes('source_pod="web-0"'),
      'web-0 in /metrics',
    );
    expect(
      api.requests.some((r) => r.path === '/api/v1/pods' && r.fieldSelector === 'spec.nodeName=node-a'),
    ).toBe(true);
    // Retina's API server latency, from the collector's own connections to the API.
    const text = await (await fetch(c.metricsUrl)).text();
    const handshakes = text.match(/^networkobservability_node_apiserver_handshake_latency_ms_count (\d+)$/m);
    expect(Number(handshakes?.[1])).toBeGreaterThan(0);
  });
});
