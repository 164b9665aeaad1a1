/**
 * The seed's Grafana dashboard, as importable JSON: its three panels (inter-namespace node graph, drops
 * by reason, DNS p95) plus the other seed queries (top talkers, failed connections, policy drops),
 * written only against metrics the collector exports (DESIGN.md's table).
 */
interface Target {
  expr: string;
  legendFormat: string;
  refId: string;
  format?: string;
  instant?: boolean;
}

interface Panel {
  id: number;
  title: string;
  type: string;
  datasource: { type: 'prometheus'; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets: Target[];
  fieldConfig?: unknown;
  options?: unknown;
}

// Grafana's own variable syntax, not a template literal.
const DATASOURCE_VAR = ['$', '{datasource}'].join('');
const DS = { type: 'prometheus', uid: DATASOURCE_VAR } as { type: 'prometheus'; uid: string };

function panel(
  id: number,
  title: string,
  type: string,
  pos: [number, number, number, number],
  targets: Omit<Target, 'refId'>[],
  extra: Partial<Panel> = {},
): Panel {
  const [x, y, w, h] = pos;
  return {
    id,
    title,
    type,
    datasource: DS,
    gridPos: { x, y, w, h },
    targets: targets.map((t, i) => ({ ...t, refId: String.fromCharCode(65 + i) })),
    ...extra,
  };
}

export function grafanaDashboard(opts: { title?: string; uid?: string } = {}): Record<string, unknown> {
  const panels: Panel[] = [
    panel(
      1,
      'Inter-Namespace Traffic Flow',
      'nodeGraph',
      [0, 0, 24, 12],
      [
        {
          expr: 'sum(rate(networkobservability_forward_bytes[5m])) by (source_namespace, destination_namespace) > 0',
          legendFormat: '{{source_namespace}} -> {{destination_namespace}}',
          format: 'table',
          instant: true,
        },
      ],
    ),
    panel(
      2,
      'Packet Drops by Reason',
      'timeseries',
      [0, 12, 12, 8],
      [{ expr: 'sum(rate(networkobservability_drop_count[5m])) by (reason)', legendFormat: '{{reason}}' }],
      { fieldConfig: { defaults: { unit: 'pps' }, overrides: [] } },
    ),
    panel(
      3,
      'DNS Latency (95th percentile)',
      'timeseries',
      [12, 12, 12, 8],
      [
        {
          expr: 'histogram_quantile(0.95, sum(rate(networkobservability_dns_response_latency_bucket[5m])) by (le))',
          legendFormat: 'p95 DNS Latency',
        },
      ],
      { fieldConfig: { defaults: { unit: 's' }, overrides: [] } },
    ),
    panel(
      4,
      'Top Talkers',
      'timeseries',
      [0, 20, 12, 8],
      [
        {
          expr: 'topk(10, sum(rate(networkobservability_forward_bytes[5m])) by (source_pod, source_namespace))',
          legendFormat: '{{source_namespace}}/{{source_pod}}',
        },
      ],
      { fieldConfig: { defaults: { unit: 'Bps' }, overrides: [] } },
    ),
    panel(
      5,
      'Failed TCP Connections',
      'timeseries',
      [12, 20, 12, 8],
      [
        {
          expr: 'sum(rate(networkobservability_tcp_connection_failed_total[5m])) by (source_pod, destination_pod)',
          legendFormat: '{{source_pod}} -> {{destination_pod}}',
        },
      ],
    ),
    panel(
      6,
      'Network Policy Drops',
      'timeseries',
      [0, 28, 12, 8],
      [
        {
          expr: 'sum(rate(networkobservability_drop_count{reason="policy_drop"}[5m])) by (source_pod, destination_pod, direction)',
          legendFormat: '{{source_pod}} -> {{destination_pod}} ({{direction}})',
        },
      ],
    ),
    panel(
      7,
      'DNS Failures by Response Code',
      'timeseries',
      [12, 28, 12, 8],
      [
        {
          expr: 'sum(rate(networkobservability_dns_response_count{response_code!="NOERROR"}[5m])) by (response_code)',
          legendFormat: '{{response_code}}',
        },
      ],
    ),
    panel(
      8,
      'TCP Connect Latency p99',
      'timeseries',
      [0, 36, 24, 8],
      [
        {
          expr: 'histogram_quantile(0.99, sum(rate(networkobservability_tcp_connection_latency_bucket[5m])) by (le, source_pod, destination_pod))',
          legendFormat: '{{source_pod}} -> {{destination_pod}}',
        },
      ],
      { fieldConfig: { defaults: { unit: 's' }, overrides: [] } },
    ),
  ];
  return {
    title: opts.title ?? 'Weft network observability',
    uid: opts.uid ?? 'weft-network',
    tags: ['weft', 'network', 'ebpf'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus', current: {} },
      ],
    },
    panels,
  };
}
