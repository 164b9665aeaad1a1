import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
// The server's own rules (what /api/v1/alerts evaluates and /api/v1/export/prometheus-rules serves).
import { seedRules } from '../apps/server/src/alerts/seedRules.js';
import { DEFAULT_CONFIG } from '../apps/server/src/config.js';
import { ruleGroupsYaml } from '../apps/server/src/export/prometheusRules.js';
// The collector's own registry: the metric names and labels it really exports.
import { createCollectorMetrics } from '../packages/collector/src/metrics/collectorMetrics.js';
import { renderKustomization } from './checks/kustomize.js';
import { type MetricShape, promqlProblems } from './checks/promqlNames.js';
import { promtool } from './checks/promtool.js';
import {
  SEED_ALERTS_YAML,
  SEED_DASHBOARD_JSON,
  SEED_DEBUG_QUERIES,
  SEED_PROMQL_BLOCKS,
} from './checks/seed.js';
import { findObject, podTemplate } from './checks/workloads.js';

const here = dirname(fileURLToPath(import.meta.url));
const k8sDir = join(here, 'kubernetes');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}
interface Target {
  expr: string;
  legendFormat?: string;
  refId?: string;
  datasource?: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string }[] };
}

let monitoring: ReturnType<typeof renderKustomization> | undefined;
const rendered = () => {
  monitoring ??= renderKustomization(join(k8sDir, 'monitoring'));
  return monitoring;
};
const groups = () =>
  (findObject(rendered(), 'PrometheusRule', 'weft-network-alerts').spec as { groups: RuleGroup[] }).groups;
const rulesFile = () => stringify({ groups: groups() });

const dashboardText = readFileSync(join(k8sDir, 'monitoring', 'grafana-dashboard.json'), 'utf8');
const dashboard = JSON.parse(dashboardText) as Dashboard;
const queryPanels = dashboard.panels.filter((p) => p.type !== 'row');

/** What the collector really registers: names, types, label names. */
const collectorMetrics = createCollectorMetrics()
  .registry.getMetricsAsArray()
  .map((m) => m as unknown as MetricShape);

/** Grafana's own variable syntax, not a JavaScript template. */
const DATASOURCE_VAR = ['$', '{datasource}'].join('');

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Grafana's template variables, given values promtool can parse. */
function resolveVariables(expr: string): string {
  return expr.replaceAll('$namespace', '.*');
}

describe('PrometheusRule weft-network-alerts', () => {
  it("is the seed article's rule group, expressions and all, verbatim", () => {
    const seed = parse(SEED_ALERTS_YAML) as { spec: { groups: RuleGroup[] } };
    expect(groups()).toEqual(seed.spec.groups);
    const exprs = groups()[0]!.rules.map((r) => r.expr);
    expect(exprs[0]).toBe('sum(rate(networkobservability_drop_count[5m])) > 100');
    expect(exprs[1]).toBe(
      'sum(rate(networkobservability_dns_response_count{response_code!="NOERROR"}[5m]))\n/\nsum(rate(networkobservability_dns_response_count[5m]))\n> 0.05\n',
    );
    expect(exprs[2]).toBe('sum(rate(networkobservability_tcp_connection_failed_total[5m])) > 50');
  });

  it('reads only series and labels the collector exports', () => {
    for (const r of groups()[0]!.rules) expect(promqlProblems(r.expr, collectorMetrics), r.alert).toEqual([]);
  });

  it('is what the server evaluates and exports with its default thresholds', () => {
    const served = parse(ruleGroupsYaml(seedRules(DEFAULT_CONFIG))) as { groups: RuleGroup[] };
    expect(served.groups).toEqual(groups());
  });

  it('passes promtool check rules', () => {
    const r = promtool(['check', 'rules', 'weft.rules.yaml'], { 'weft.rules.yaml': rulesFile() });
    expect(r.output).toContain('SUCCESS: 3 rules found');
    expect(r.code).toBe(0);
  });

  it('fires each alert on the traffic it describes, and stays quiet below the thresholds (promtool test rules)', () => {
    const tests = {
      rule_files: ['weft.rules.yaml'],
      evaluation_interval: '30s',
      tests: [
        {
          name: 'above the thresholds',
          interval: '1m',
          input_series: [
            // 200 drops/s (100 is the threshold), on two nodes.
            {
              series: 'networkobservability_drop_count{reason="policy_drop",direction="ingress",node="a"}',
              values: '0+6000x20',
            },
            {
              series: 'networkobservability_drop_count{reason="no_socket",direction="egress",node="b"}',
              values: '0+6000x20',
            },
            // 10% of DNS answers fail (5% is the threshold).
            {
              series: 'networkobservability_dns_response_count{pod="web-1",response_code="NOERROR"}',
              values: '0+540x20',
            },
            {
              series: 'networkobservability_dns_response_count{pod="web-1",response_code="NXDOMAIN"}',
              values: '0+60x20',
            },
            // 60 failed connects/s (50 is the threshold).
            {
              series: 'networkobservability_tcp_connection_failed_total{source_pod="web-1"}',
              values: '0+3600x20',
            },
          ],
          alert_rule_test: [
            { eval_time: '3m', alertname: 'HighPacketDropRate', exp_alerts: [] },
            {
              eval_time: '10m',
              alertname: 'HighPacketDropRate',
              exp_alerts: [
                {
                  exp_labels: { severity: 'warning' },
                  exp_annotations: {
                    summary: 'High packet drop rate detected',
                    description: 'Cluster is dropping more than 100 packets per second',
                  },
                },
              ],
            },
            {
              eval_time: '10m',
              alertname: 'HighDNSFailureRate',
              exp_alerts: [
                {
                  exp_labels: { severity: 'critical' },
                  exp_annotations: { summary: 'DNS failure rate exceeds 5%' },
                },
              ],
            },
            {
              eval_time: '10m',
              alertname: 'HighTCPConnectionFailures',
              exp_alerts: [
                {
                  exp_labels: { severity: 'warning' },
                  exp_annotations: { summary: 'High rate of failed TCP connections' },
                },
              ],
            },
          ],
        },
        {
          name: 'below the thresholds',
          interval: '1m',
          input_series: [
            {
              series: 'networkobservability_drop_count{reason="policy_drop",direction="ingress"}',
              values: '0+5400x20',
            },
            {
              series: 'networkobservability_dns_response_count{pod="web-1",response_code="NOERROR"}',
              values: '0+580x20',
            },
            {
              series: 'networkobservability_dns_response_count{pod="web-1",response_code="SERVFAIL"}',
              values: '0+20x20',
            },
            {
              series: 'networkobservability_tcp_connection_failed_total{source_pod="web-1"}',
              values: '0+2400x20',
            },
          ],
          alert_rule_test: ['HighPacketDropRate', 'HighDNSFailureRate', 'HighTCPConnectionFailures'].map(
            (alertname) => ({ eval_time: '15m', alertname, exp_alerts: [] }),
          ),
        },
      ],
    };
    const r = promtool(['test', 'rules', 'weft.test.yaml'], {
      'weft.rules.yaml': rulesFile(),
      'weft.test.yaml': stringify(tests),
    });
    expect(r.output).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('a broken expectation makes promtool test rules fail (the check above can fail)', () => {
    const tests = {
      rule_files: ['weft.rules.yaml'],
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'networkobservability_drop_count{reason="policy_drop"}', values: '0+60x20' },
          ],
          alert_rule_test: [
            {
              eval_time: '10m',
              alertname: 'HighPacketDropRate',
              exp_alerts: [{ exp_labels: { severity: 'warning' } }],
            },
          ],
        },
      ],
    };
    const r = promtool(['test', 'rules', 'weft.test.yaml'], {
      'weft.rules.yaml': rulesFile(),
      'weft.test.yaml': stringify(tests),
    });
    expect(r.code).not.toBe(0);
  });
});

describe('PodMonitors', () => {
  interface PodMonitorSpec {
    selector: { matchLabels: Record<string, string> };
    podMetricsEndpoints: { port: string; path: string; honorLabels?: boolean }[];
  }
  const base = () => renderKustomization(join(k8sDir, 'base'));

  it.each([
    ['weft-collector', 'DaemonSet', 'weft-collector', 'metrics'],
    ['weft-server', 'StatefulSet', 'weft', 'http'],
  ])('%s scrapes the %s pods of its own namespace on a port they name', (name, kind, workload, port) => {
    const pm = findObject(rendered(), 'PodMonitor', name);
    const w = findObject(base(), kind, workload);
    // A PodMonitor without a namespaceSelector only looks at its own namespace.
    expect(pm.metadata.namespace).toBe(w.metadata.namespace);
    const spec = pm.spec as PodMonitorSpec & { namespaceSelector?: unknown };
    expect(spec.namespaceSelector).toBeUndefined();
    const labels = podTemplate(w).metadata?.labels ?? {};
    for (const [k, v] of Object.entries(spec.selector.matchLabels)) expect(labels[k]).toBe(v);
    const names = podTemplate(w).spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name));
    expect(spec.podMetricsEndpoints.map((e) => e.port)).toEqual([port]);
    expect(names).toContain(port);
  });

  it("keeps the collector's DNS pod labels (honorLabels)", () => {
    const spec = findObject(rendered(), 'PodMonitor', 'weft-collector').spec as PodMonitorSpec;
    expect(spec.podMetricsEndpoints[0]?.honorLabels).toBe(true);
  });
});

describe('Grafana dashboard', () => {
  it("holds the seed article's three panels, titles, types, queries and legends verbatim", () => {
    const seed = JSON.parse(SEED_DASHBOARD_JSON) as { panels: Omit<Panel, 'id' | 'gridPos'>[] };
    for (const want of seed.panels) {
      const got = dashboard.panels.find((p) => p.title === want.title);
      expect(got, want.title).toBeDefined();
      expect(got?.type).toBe(want.type);
      expect(got?.targets?.map(({ expr, legendFormat }) => ({ expr, legendFormat }))).toEqual(want.targets);
    }
  });

  it('answers every PromQL query of the seed article (the latency one for any namespace)', () => {
    const exprs = queryPanels.flatMap((p) => p.targets ?? []).map((t) => squash(t.expr));
    const [keyQueries, latency] = SEED_PROMQL_BLOCKS;
    const queries = keyQueries!.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(queries).toHaveLength(6);
    for (const q of queries) expect(exprs, q).toContain(squash(q));
    const seedLatency = squash(
      latency!
        .split('\n')
        .filter((l) => !l.startsWith('#'))
        .join('\n'),
    );
    const ours = exprs.map((e) => e.replaceAll('=~"$namespace"', '="production"'));
    expect(ours).toContain(seedLatency);
  });

  it('reads only series and labels the collector exports', () => {
    expect(collectorMetrics.length).toBeGreaterThan(10);
    for (const p of queryPanels) {
      for (const t of p.targets ?? []) expect(promqlProblems(t.expr, collectorMetrics), p.title).toEqual([]);
    }
  });

  it('has queries promtool parses', () => {
    const rules = queryPanels.flatMap((p) =>
      (p.targets ?? []).map((t, i) => ({
        record: `weft:dashboard_panel_${p.id}_${i}`,
        expr: resolveVariables(t.expr),
      })),
    );
    expect(rules.length).toBeGreaterThanOrEqual(10);
    const r = promtool(['check', 'rules', 'dashboard.rules.yaml'], {
      'dashboard.rules.yaml': stringify({ groups: [{ name: 'dashboard', rules }] }),
    });
    expect(r.output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(r.code).toBe(0);
  });

  it('is laid out on the 24-column grid without overlaps, with unique ids and a datasource variable', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      const { x, y, w, h } = p.gridPos;
      expect(x + w, p.title).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          const cell = `${i},${j}`;
          expect(cells.has(cell), `${p.title} overlaps at ${cell}`).toBe(false);
          cells.add(cell);
        }
      }
    }
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(
      expect.arrayContaining(['datasource', 'namespace']),
    );
    for (const p of queryPanels) {
      expect(p.datasource?.uid, p.title).toBe(DATASOURCE_VAR);
      for (const t of p.targets ?? []) expect(t.datasource?.uid, p.title).toBe(DATASOURCE_VAR);
    }
  });

  it('ships in the ConfigMap that Grafana’s dashboard sidecar loads, byte for byte', () => {
    const cm = findObject(rendered(), 'ConfigMap', 'weft-grafana-dashboard');
    expect(cm.metadata.labels?.grafana_dashboard).toBe('1');
    expect((cm.data as Record<string, string>)['weft-network.json']).toBe(dashboardText);
  });
});

describe("the seed article's queries", () => {
  it('read only series and labels the collector exports', () => {
    const queries = [
      ...SEED_PROMQL_BLOCKS.map((b) =>
        b
          .split('\n')
          .filter((l) => !l.startsWith('#'))
          .join('\n'),
      ).flatMap((b) => (b.includes('histogram_quantile(0.99') ? [b] : b.split('\n'))),
      ...SEED_DEBUG_QUERIES,
    ].filter((q) => q.trim() !== '');
    expect(queries).toHaveLength(10);
    for (const q of queries) expect(promqlProblems(q, collectorMetrics), q).toEqual([]);
  });
});

describe('the README', () => {
  it('greps for collector metrics that exist', () => {
    const readme = readFileSync(join(here, 'README.md'), 'utf8');
    const names = collectorMetrics.map((m) => m.name);
    const group = /weft_collector_\(([a-z_|]+)\)/.exec(readme)?.[1];
    expect(group).toBeDefined();
    for (const n of group!.split('|')) expect(names).toContain(`weft_collector_${n}`);
  });
});
