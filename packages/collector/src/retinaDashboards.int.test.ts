import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { faultAdd, type LabHandle, labDown, labUp, policyApply } from '@weft/lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCollectorConfig } from './config.js';
import { IngestTestServer } from './fixtures/ingestTestServer.js';
import { type RunningPrometheus, startPrometheus } from './fixtures/prometheusRunner.js';
import { type RunningCollector, startCollector } from './main.js';
import { type DashboardQuery, RETINA_DASHBOARD_QUERIES } from './retinaDashboardQueries.js';

/**
 * The AKS add-on's own Grafana dashboards (Microsoft Retina's Linux ones) against the real lab: one
 * collector per lab node with the real probe, the Debian Prometheus scraping both with the `cluster`
 * label a managed Prometheus adds, and every panel query of the table run as Grafana would send it.
 */
const run = promisify(execFile);
const PREFIX = 'wrd';
const CLUSTER = 'weft-lab';

/** The dashboards' variables as Grafana fills them with "All" selected and the lab's namespace picked. */
const VARIABLES: Record<string, string> = {
  __rate_interval: '1m',
  cluster: CLUSTER,
  Nodes: '(.*)',
  namespace: 'production',
  pod: '.*',
};

function fill(expr: string): string {
  // Only the dashboards' own variable names: label_replace's "$1" stays as it is.
  return expr.replace(
    /\$(__rate_interval|cluster|Nodes|namespace|pod)\b/g,
    (_, name: string) => VARIABLES[name]!,
  );
}

/**
 * Trouble the dashboards have panels for, beyond the default scenario's own (legacy-worker refused at
 * api's ingress, NXDOMAIN lookups, prometheus scraping a port redis does not open):
 * drops on the way out (prometheus may only reach :9090 and DNS, so its scrape of redis:9121 is
 * dropped by its own egress policy), and connections refused inside the dashboards' namespace
 * (db stops listening on 5432: api's SYNs get RSTs, not SYN-ACKs).
 */
const PROMETHEUS_EGRESS = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: prometheus-scrapes-only
  namespace: monitoring
spec:
  podSelector: { matchLabels: { app.kubernetes.io/name: prometheus } }
  policyTypes: [Egress]
  egress:
  - to: [{ namespaceSelector: {} }]
    ports: [{ port: 9090 }, { port: 53, protocol: UDP }, { port: 53, protocol: TCP }]
`;

let lab: LabHandle;
let prom: RunningPrometheus;
/** The collectors stream somewhere of the test's own, never to whatever listens on the default port. */
let server: IngestTestServer;
/** The node's own connection to a pod (as the kubelet's probes have): what the host's socket table shows. */
let nodeToPod: Socket | undefined;
const collectors: RunningCollector[] = [];
const logs: string[] = [];

beforeAll(async () => {
  await labDown({ prefix: PREFIX });
  lab = await labUp({ prefix: PREFIX, scenario: 'default' });
  server = new IngestTestServer('wrd-token');
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
        'wrd-token',
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
  prom = await startPrometheus(
    collectors.map((c) => new URL(c.metricsUrl).host),
    { cluster: CLUSTER },
  );
  await policyApply({ prefix: PREFIX }, PROMETHEUS_EGRESS);
  await faultAdd({ prefix: PREFIX }, { kind: 'refused', target: 'production/db', port: 5432 });
  const frontend = lab.plan.pods.find((p) => p.workload === 'frontend');
  if (!frontend) throw new Error('no lab pod of frontend');
  nodeToPod = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ host: frontend.ipv4, port: 80 }, () => resolve(s));
    s.once('error', reject);
  });
}, 600_000);

afterAll(async () => {
  nodeToPod?.destroy();
  for (const c of collectors) await c.stop().catch(() => {});
  await prom?.stop().catch(() => {});
  await server?.stop().catch(() => {});
  await labDown({ prefix: PREFIX });
  if (logs.length > 0) console.log(logs.slice(-30).join('\n'));
}, 120_000);

type Outcome = { q: DashboardQuery; series: number } | { q: DashboardQuery; error: string };

async function runAll(): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const q of RETINA_DASHBOARD_QUERIES) {
    try {
      out.push({ q, series: (await prom.query(fill(q.expr))).length });
    } catch (e) {
      out.push({ q, error: (e as Error).message });
    }
  }
  return out;
}

const answered = (o: Outcome) => 'series' in o && o.series > 0;

describe("the AKS add-on's dashboards against the lab", () => {
  it('answers at least 90% of their panel queries, none invalid, the rest for a fault the lab lacks', async () => {
    // The lab's traffic and its trouble (policy drops, NXDOMAIN, a refused port) run on their own;
    // wait until every query that should answer does, or the deadline.
    let outcomes = await runAll();
    const deadline = Date.now() + 180_000;
    while (outcomes.some((o) => !answered(o) && !o.q.emptyBecause) && Date.now() < deadline) {
      await sleep(3000);
      outcomes = await runAll();
    }
    const invalid = outcomes.filter((o) => 'error' in o);
    expect(invalid.map((o) => `${o.q.dashboard} / ${o.q.panel}: ${'error' in o ? o.error : ''}`)).toEqual([]);
    const empty = outcomes.filter((o) => !answered(o));
    console.log(
      `${outcomes.length - empty.length} of ${outcomes.length} panel queries return data; empty:\n${empty
        .map((o) => `  ${o.q.dashboard} / ${o.q.panel}: ${o.q.emptyBecause ?? 'NO REASON'}`)
        .join('\n')}`,
    );
    const partial = outcomes.filter((o) => answered(o) && o.q.partial);
    console.log(
      `answering without a grouping they ask for:\n${partial.map((o) => `  ${o.q.dashboard} / ${o.q.panel}: ${o.q.partial}`).join('\n')}`,
    );
    // Every empty panel is one the lab cannot feed, and says why.
    expect(empty.filter((o) => !o.q.emptyBecause).map((o) => `${o.q.dashboard} / ${o.q.panel}`)).toEqual([]);
    expect((outcomes.length - empty.length) / outcomes.length).toBeGreaterThanOrEqual(0.9);
  }, 400_000);

  it("passes promtool check metrics with nothing beyond notes on the seed's and Retina's own names", async () => {
    // The seed's counters end in _count/_bytes, Retina's in _count/_counters, its latency in _ms.
    const named =
      /^networkobservability_[a-z_]+ (counter metrics should have "_total" suffix|non-histogram and non-summary metrics should not have "_count" suffix|metric names should not contain abbreviated units)$/;
    const dir = await mkdtemp(join(tmpdir(), 'wrd-promtool-'));
    try {
      for (const c of collectors) {
        const file = join(dir, 'metrics.txt');
        await writeFile(file, await (await fetch(c.metricsUrl)).text());
        const out = await run('sh', ['-c', `promtool check metrics < ${file} 2>&1; true`]);
        const findings = out.stdout.split('\n').filter((l) => l.trim() !== '');
        expect(findings.filter((l) => !named.test(l))).toEqual([]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
