/**
 * The seed article's artefacts, copied verbatim from shared/seed/aks-network-observability.md: Weft's
 * deploy files must reproduce them exactly (the alert rules) or contain them (the dashboard panels,
 * the PromQL queries).
 */

/** The article's PrometheusRule ("Setting Up Alerts"). */
export const SEED_ALERTS_YAML = `# network-alerts.yaml
# PrometheusRule for network observability alerts
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: network-alerts
  namespace: monitoring
spec:
  groups:
    - name: network-observability
      interval: 30s
      rules:
        # Alert on high packet drop rate
        - alert: HighPacketDropRate
          expr: sum(rate(networkobservability_drop_count[5m])) > 100
          for: 5m
          labels:
            severity: warning
          annotations:
            summary: "High packet drop rate detected"
            description: "Cluster is dropping more than 100 packets per second"

        # Alert on DNS failures
        - alert: HighDNSFailureRate
          expr: |
            sum(rate(networkobservability_dns_response_count{response_code!="NOERROR"}[5m]))
            /
            sum(rate(networkobservability_dns_response_count[5m]))
            > 0.05
          for: 5m
          labels:
            severity: critical
          annotations:
            summary: "DNS failure rate exceeds 5%"

        # Alert on failed TCP connections
        - alert: HighTCPConnectionFailures
          expr: sum(rate(networkobservability_tcp_connection_failed_total[5m])) > 50
          for: 5m
          labels:
            severity: warning
          annotations:
            summary: "High rate of failed TCP connections"
`;

/** The article's dashboard snippet ("Building a Grafana Dashboard"). */
export const SEED_DASHBOARD_JSON = `{
  "panels": [
    {
      "title": "Inter-Namespace Traffic Flow",
      "type": "nodeGraph",
      "targets": [
        {
          "expr": "sum(rate(networkobservability_forward_bytes[5m])) by (source_namespace, destination_namespace) > 0",
          "legendFormat": "{{source_namespace}} -> {{destination_namespace}}"
        }
      ]
    },
    {
      "title": "Packet Drops by Reason",
      "type": "timeseries",
      "targets": [
        {
          "expr": "sum(rate(networkobservability_drop_count[5m])) by (reason)",
          "legendFormat": "{{reason}}"
        }
      ]
    },
    {
      "title": "DNS Latency (95th percentile)",
      "type": "timeseries",
      "targets": [
        {
          "expr": "histogram_quantile(0.95, sum(rate(networkobservability_dns_response_latency_bucket[5m])) by (le))",
          "legendFormat": "p95 DNS Latency"
        }
      ]
    }
  ]
}
`;

/** The article's PromQL blocks ("Key PromQL Queries", "Intermittent Latency Spikes"). */
export const SEED_PROMQL_BLOCKS: readonly string[] = [
  `# Total traffic between namespaces (bytes per second)
sum(rate(hubble_flows_processed_total[5m])) by (source_namespace, destination_namespace)

# Packet drops by reason
sum(rate(networkobservability_drop_count[5m])) by (reason, direction)

# DNS query latency by pod
histogram_quantile(0.95, sum(rate(networkobservability_dns_response_latency_bucket[5m])) by (le, pod))

# Top talkers - pods sending the most traffic
topk(10, sum(rate(networkobservability_forward_bytes[5m])) by (source_pod, source_namespace))

# Failed connections (SYN sent but no SYN-ACK received)
sum(rate(networkobservability_tcp_connection_failed_total[5m])) by (source_pod, destination_pod)

# Network policy drops
sum(rate(networkobservability_drop_count{reason="policy_drop"}[5m])) by (source_pod, destination_pod, direction)
`,
  `# Check for latency spikes between specific services
histogram_quantile(0.99,
  sum(rate(networkobservability_tcp_connection_latency_bucket{
    source_namespace="production",
    destination_namespace="production"
  }[5m])) by (le, source_pod, destination_pod)
) > 0.1
`,
];

/** The queries of the article's "Pod Cannot Connect to a Service" steps 2 to 4. */
export const SEED_DEBUG_QUERIES: readonly string[] = [
  'networkobservability_drop_count{source_pod="frontend-abc123", reason="policy_drop"}',
  'networkobservability_dns_response_count{pod="frontend-abc123", response_code!="NOERROR"}',
  'networkobservability_tcp_connection_total{source_pod="frontend-abc123", destination_service="api-service"}',
];
