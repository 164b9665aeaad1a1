import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphResponse } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { seedRules } from '../alerts/seedRules.js';
import { DEFAULT_CONFIG } from '../config.js';
import { grafanaDashboard } from './grafanaDashboard.js';
import { formatRate, mermaidMap, mermaidText } from './mermaid.js';
import { prometheusRuleYaml, ruleGroupsYaml } from './prometheusRules.js';

/** DESIGN.md "Prometheus metrics": what the collector exports. */
const COLLECTOR_METRICS = new Set([
  'networkobservability_forward_bytes',
  'networkobservability_forward_count',
  'networkobservability_drop_count',
  'networkobservability_drop_bytes',
  'networkobservability_dns_request_count',
  'networkobservability_dns_response_count',
  'networkobservability_dns_response_latency',
  'networkobservability_tcp_connection_total',
  'networkobservability_tcp_connection_failed_total',
  'networkobservability_tcp_connection_latency',
  'networkobservability_tcp_rtt',
  'networkobservability_tcp_retransmit_count',
  'hubble_flows_processed_total',
]);
const HISTOGRAMS = [
  'networkobservability_dns_response_latency',
  'networkobservability_tcp_connection_latency',
  'networkobservability_tcp_rtt',
];
const PROMQL_WORDS = new Set([
  'sum',
  'rate',
  'by',
  'le',
  'histogram_quantile',
  'topk',
  'without',
  'irate',
  'increase',
]);

function metricNames(expr: string): string[] {
  const noLabels = expr.replace(/\{[^}]*\}/g, '').replace(/\[[^\]]*\]/g, '');
  const inBy = /by\s*\(([^)]*)\)/g;
  const labels = new Set<string>();
  for (const m of noLabels.matchAll(inBy)) for (const l of m[1]!.split(',')) labels.add(l.trim());
  return [...noLabels.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .map((m) => m[0])
    .filter((w) => !PROMQL_WORDS.has(w) && !labels.has(w));
}

function baseName(metric: string): string {
  for (const h of HISTOGRAMS)
    if (metric === `${h}_bucket` || metric === `${h}_sum` || metric === `${h}_count`) return h;
  return metric;
}

describe('Grafana export', () => {
  it('has the seed panels and queries only metrics the collector exports', () => {
    const dash = JSON.parse(JSON.stringify(grafanaDashboard())) as {
      panels: { title: string; type: string; targets: { expr: string }[] }[];
    };
    expect(dash.panels.slice(0, 3).map((p) => [p.title, p.type])).toEqual([
      ['Inter-Namespace Traffic Flow', 'nodeGraph'],
      ['Packet Drops by Reason', 'timeseries'],
      ['DNS Latency (95th percentile)', 'timeseries'],
    ]);
    expect(dash.panels[0]!.targets[0]!.expr).toBe(
      'sum(rate(networkobservability_forward_bytes[5m])) by (source_namespace, destination_namespace) > 0',
    );
    const used = new Set<string>();
    for (const p of dash.panels)
      for (const t of p.targets)
        for (const m of metricNames(t.expr)) {
          expect(COLLECTOR_METRICS.has(baseName(m)), `${m} in ${p.title}`).toBe(true);
          used.add(baseName(m));
        }
    expect(used.size).toBeGreaterThanOrEqual(5);
  });
});

describe('Prometheus rules export', () => {
  const rules = seedRules(DEFAULT_CONFIG);

  it('passes promtool check rules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsv-rules-'));
    try {
      const file = join(dir, 'rules.yaml');
      writeFileSync(file, ruleGroupsYaml(rules));
      const out = execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      expect(out).toMatch(/SUCCESS: 3 rules found/);
      // Thresholds from the configuration flow into the rules.
      writeFileSync(file, ruleGroupsYaml(seedRules({ ...DEFAULT_CONFIG, alertDropRate: 7, alertForS: 90 })));
      expect(execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8' })).toMatch(/SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is the seed network-alerts.yaml as a PrometheusRule whose spec is the rule groups', () => {
    const crd = prometheusRuleYaml(rules);
    expect(crd).toContain('apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\n');
    const spec = crd.split('\nspec:\n')[1]!;
    const groups = spec
      .split('\n')
      .map((l) => l.replace(/^ {2}/, ''))
      .join('\n');
    expect(groups).toBe(ruleGroupsYaml(rules));
    expect(crd).toContain('expr: sum(rate(networkobservability_drop_count[5m])) > 100');
    expect(crd).toContain('expr: sum(rate(networkobservability_tcp_connection_failed_total[5m])) > 50');
    expect(crd).toContain('sum(rate(networkobservability_dns_response_count{response_code!="NOERROR"}[5m]))');
    expect(crd).toContain('for: 5m');
    expect(crd).toContain('severity: critical');
    for (const r of rules) for (const m of metricNames(r.expr)) expect(COLLECTOR_METRICS.has(m)).toBe(true);
  });
});

describe('Mermaid export', () => {
  const node = (id: string, label: string, namespace: string, kind = 'workload') =>
    ({ id, kind, label, namespace, bytesPerSec: 0, dropsPerSec: 0 }) as GraphResponse['nodes'][number];
  const edge = (
    source: string,
    target: string,
    port: number,
    proto: string,
    bytesPerSec: number,
    dnsQueries = 0,
  ) =>
    ({
      id: `${source}->${target}`,
      source,
      target,
      ports: [{ port, proto, bytesPerSec }],
      bytesPerSec,
      packetsPerSec: 0,
      dropsPerSec: 0,
      dropReasons: {},
      tcpConnects: 0,
      tcpFailures: 0,
      connectLatencyP50Ms: null,
      connectLatencyP95Ms: null,
      rttMs: null,
      retransmits: 0,
      dnsQueries,
      dnsErrors: 0,
    }) as GraphResponse['edges'][number];

  it('draws the seed-style map', () => {
    const g: GraphResponse = {
      level: 'workload',
      mode: 'range',
      start: 0,
      end: 1,
      folded: 0,
      simulated: false,
      nodes: [
        node('wl:production/frontend', 'frontend', 'production'),
        node('wl:production/api', 'api', 'production'),
        node('wl:kube-system/coredns', 'coredns', 'kube-system'),
        node('world', 'world', '', 'world'),
      ],
      edges: [
        edge('wl:production/frontend', 'wl:production/api', 80, 'tcp', 15_000_000),
        edge('wl:production/api', 'world', 443, 'tcp', 1_000_000),
        edge('wl:production/api', 'wl:kube-system/coredns', 53, 'udp', 0, 12),
      ],
    };
    const text = mermaidMap(g);
    expect(text).toBe(
      [
        'graph LR',
        '    n1["External"]',
        '    subgraph s1["kube-system"]',
        '        n2["coredns"]',
        '    end',
        '    subgraph s2["production"]',
        '        n3["frontend"]',
        '        n4["api"]',
        '    end',
        '    n3 -->|"80/TCP 15MB/s"| n4',
        '    n4 -->|"443/TCP 1MB/s"| n1',
        '    n2 -.->|"53/UDP"| n4',
        '',
      ].join('\n'),
    );
  });

  it('escapes hostile names so they cannot break out of a label', () => {
    const hostile = 'evil"] --> X[pwn]; click X "javascript:alert(1)"\n%%{init}%%<script>|`';
    const g: GraphResponse = {
      level: 'workload',
      mode: 'range',
      start: 0,
      end: 1,
      folded: 0,
      simulated: false,
      nodes: [node('wl:ns/a', hostile, 'production'), node('wl:ns/b', 'b', hostile)],
      edges: [edge('wl:ns/a', 'wl:ns/b', 80, 'tcp"]|x', 1)],
    };
    const text = mermaidMap(g);
    const labels = [...text.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    for (const l of labels) expect(l).toMatch(/^[A-Za-z0-9 ._:/@+=,#;-]*$/);
    expect(text).not.toContain('<script>');
    expect(text).not.toContain('\n%%');
    expect(text.split('\n').filter((l) => l.includes('-->')).length).toBe(1);
    expect(mermaidText('a"b')).toBe('a#34;b');
  });

  it('formats rates like the seed', () => {
    expect(formatRate(15_000_000)).toBe('15MB/s');
    expect(formatRate(500_000)).toBe('500KB/s');
    expect(formatRate(2_500)).toBe('2.5KB/s');
    expect(formatRate(12)).toBe('12B/s');
  });
});
