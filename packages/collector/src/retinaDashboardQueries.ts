/**
 * Panel queries of the AKS add-on's Linux Grafana dashboards (microsoft/retina deploy/grafana-dashboards/:
 * clusters, standard-pod-level, hubble-dns, hubble-pod-flows-namespace; standard-dns as
 * deploy/grafana/dashboards/dns.json has it; hubble-pod-flows-workload repeats the namespace one's
 * queries per workload and is not listed),
 * as the dashboards have them: dashboard file, panel title, PromQL with the dashboard's variables. `emptyBecause`
 * says why a query can return nothing on the lab: a condition the lab has no fault for.
 * Read by retinaDashboards.int.test.ts.
 */
export interface DashboardQuery {
  dashboard: string;
  panel: string;
  expr: string;
  emptyBecause?: string;
  /** Answers, but without a grouping the dashboard asks for: why. */
  partial?: string;
}

export const RETINA_DASHBOARD_QUERIES: DashboardQuery[] = [
  {
    dashboard: 'clusters',
    panel: 'Current Traffic by Cluster',
    expr: 'sum by (cluster) (rate(networkobservability_forward_bytes{instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Bytes Forwarded by Cluster',
    expr: 'sum by (cluster) (rate(networkobservability_forward_bytes{instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Current Dropped Traffic by Cluster',
    expr: 'sum by (cluster) (rate(networkobservability_drop_bytes{instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Bytes Dropped by Cluster',
    expr: 'sum by (cluster) (rate(networkobservability_drop_bytes{instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Packets Dropped By Cluster',
    expr: 'sum by (cluster) (rate(networkobservability_drop_count[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Max Egress Bytes',
    expr: 'sum(rate(networkobservability_forward_bytes{direction="egress", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Min Egress Bytes',
    expr: 'sum(rate(networkobservability_forward_bytes{direction="egress", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Max Egress Packets',
    expr: 'sum(rate(networkobservability_forward_count{direction="egress", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Min Egress Packets',
    expr: 'sum(rate(networkobservability_forward_count{direction="egress", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Max Ingress Bytes',
    expr: 'sum(rate(networkobservability_forward_bytes{direction="ingress", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Min Ingress Bytes',
    expr: 'sum(rate(networkobservability_forward_bytes{direction="ingress", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Max Ingress Packets',
    expr: 'sum(rate(networkobservability_forward_count{direction="ingress", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Min Ingress Packets',
    expr: 'sum(rate(networkobservability_forward_count{direction="ingress", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Egress Bytes',
    expr: 'sum(rate(networkobservability_forward_bytes{direction="egress", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Egress Packets',
    expr: 'sum(rate(networkobservability_forward_count{direction="egress", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Ingress Bytes',
    expr: 'sum(rate(networkobservability_forward_bytes{direction="ingress", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Ingress Packets',
    expr: 'sum(rate(networkobservability_forward_count{direction="ingress", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Packets Dropped - Egress',
    expr: 'sum(rate(networkobservability_drop_count{direction="egress", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Packets Dropped - Ingress',
    expr: 'sum(rate(networkobservability_drop_count{direction="ingress", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Packets Dropped - Unknown',
    expr: 'sum(rate(networkobservability_drop_count{direction="unknown", instance=~"$Nodes", cluster="$cluster"}[$__rate_interval]))',
    emptyBecause:
      'Weft knows the direction of every drop it sees (the pod whose namespace dropped it), so it never writes direction="unknown"',
  },
  {
    dashboard: 'clusters',
    panel: 'Bytes Dropped by Reason',
    expr: 'sum by (reason) (rate(networkobservability_drop_bytes{cluster="$cluster", instance=~"$Nodes"}[$__rate_interval])) > 0',
  },
  {
    dashboard: 'clusters',
    panel: 'Packets Dropped by Reason',
    expr: 'sum by (reason) (rate(networkobservability_drop_count{cluster="$cluster", instance=~"$Nodes"}[$__rate_interval])) > 0\nor\nsum by (reason) (\n  label_replace(\n    rate(networkobservability_interface_stats{statistic_name="rx_dropped", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]),\n    "reason",\n    "$1",\n    "statistic_name",\n    "(.*)"\n  )\n)\nor\nsum by (reason) (\n  label_replace(\n    rate(networkobservability_interface_stats{statistic_name="tx_dropped", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]),\n    "reason",\n    "$1",\n    "statistic_name",\n    "(.*)"\n  )\n)',
  },
  {
    dashboard: 'clusters',
    panel: 'Bytes Dropped by Node',
    expr: 'sum by(instance) (rate(networkobservability_drop_bytes{cluster="$cluster", instance=~"$Nodes"}[$__rate_interval])) > 0',
  },
  {
    dashboard: 'clusters',
    panel: 'Packets Dropped by Node',
    expr: 'sum by(instance) (rate(networkobservability_drop_count{cluster="$cluster", instance=~"$Nodes"}[$__rate_interval])) > 0',
  },
  {
    dashboard: 'clusters',
    panel: 'TCP Active Connections by State',
    expr: 'sum by(state) (networkobservability_tcp_state{cluster="$cluster", instance=~"$Nodes"})',
  },
  {
    dashboard: 'clusters',
    panel: 'TCP Active Connections by Remote Addr',
    expr: 'sum by(address) (networkobservability_tcp_connection_remote{cluster="$cluster", instance=~"$Nodes", address!~"127.0.0.1|0.0.0.0"})',
  },
  {
    dashboard: 'clusters',
    panel: 'TCP Connection Timeouts',
    expr: 'sum(rate(networkobservability_tcp_connection_stats{statistic_name="tcptimeouts", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'TCP Connection Resets',
    expr: 'sum(rate(networkobservability_tcp_connection_stats{statistic_name="resetcount", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'TCP Connection Reorders',
    expr: 'sum(rate(networkobservability_tcp_connection_stats{statistic_name="tcptsreorder", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Windows TCP Packets',
    expr: 'sum(rate(networkobservability_tcp_flag_counters{cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Windows TCP RST Packets',
    expr: 'sum(rate(networkobservability_tcp_flag_counters{flag="rst", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Windows TCP SYN-ACK Packets',
    expr: 'sum(rate(networkobservability_tcp_flag_counters{flag="synack", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'UDP Connections',
    expr: 'sum(networkobservability_udp_connection_stats{statistic_name="active", cluster="$cluster", instance=~"$Nodes"})',
  },
  {
    dashboard: 'clusters',
    panel: 'RX Packets by Interface',
    expr: 'sum by (interface_name) (rate(networkobservability_interface_stats{statistic_name="rx_packets", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'TX Packets by Interface',
    expr: 'sum by (interface_name) (rate(networkobservability_interface_stats{statistic_name="tx_packets", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval]))',
  },
  {
    dashboard: 'clusters',
    panel: 'Rx Cache Full error',
    expr: 'sum by (instance) (rate(networkobservability_interface_stats{statistic_name=~"rx[0-9]+_cache_full", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval])) > 0',
    emptyBecause:
      "a counter of the ENA driver (AWS/Azure NICs, read with ethtool -S); the lab's veth and bridges have no such counter",
  },
  {
    dashboard: 'clusters',
    panel: 'Tx No Op Errors',
    expr: 'sum by (instance) (rate(networkobservability_interface_stats{statistic_name=~"tx[0-9]+_nop", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval])) > 0',
    emptyBecause:
      "a counter of the ENA driver (AWS/Azure NICs, read with ethtool -S); the lab's veth and bridges have no such counter",
  },
  {
    dashboard: 'clusters',
    panel: 'Dropped Rx Packets',
    expr: 'sum by (instance) (rate(networkobservability_interface_stats{statistic_name="rx_dropped", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval])) > 0',
    emptyBecause:
      'needs an interface dropping packets itself (a full queue, no buffer); no lab fault overloads an interface',
  },
  {
    dashboard: 'clusters',
    panel: 'Dropped Tx Packets',
    expr: 'sum by (instance) (rate(networkobservability_interface_stats{statistic_name="tx_dropped", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval])) > 0',
    emptyBecause:
      'needs an interface dropping packets itself (a full queue, no buffer); no lab fault overloads an interface',
  },
  {
    dashboard: 'clusters',
    panel: 'Rx Comp Full Errors',
    expr: 'sum by (instance) (rate(networkobservability_interface_stats{statistic_name="rx_comp_full", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval])) > 0',
    emptyBecause:
      "a counter of the ENA driver (AWS/Azure NICs, read with ethtool -S); the lab's veth and bridges have no such counter",
  },
  {
    dashboard: 'clusters',
    panel: 'Tx Send Full Errors',
    expr: 'sum by (instance) (rate(networkobservability_interface_stats{statistic_name="tx_send_full", cluster="$cluster", instance=~"$Nodes"}[$__rate_interval])) > 0',
    emptyBecause:
      "a counter of the ENA driver (AWS/Azure NICs, read with ethtool -S); the lab's veth and bridges have no such counter",
  },
  {
    dashboard: 'standard-pod-level',
    panel: 'Outgoing Traffic',
    expr: 'sum(irate(networkobservability_adv_forward_count{source_podname=~"$pod"}[1m]))',
  },
  {
    dashboard: 'standard-pod-level',
    panel: 'Incoming Traffic',
    expr: 'sum(irate(networkobservability_adv_forward_count{destination_podname=~"$pod"}[1m]))',
  },
  {
    dashboard: 'standard-pod-level',
    panel: 'All Outgoing pps per pod',
    expr: 'sum by(source_podname) (irate(networkobservability_adv_forward_count{destination_podname!="unknown", source_podname!="unknown"}[1m]))',
  },
  {
    dashboard: 'standard-pod-level',
    panel: 'All Incoming pps per pod',
    expr: 'sum by(destination_podname) (irate(networkobservability_adv_forward_count{destination_podname!="unknown", source_podname!="unknown"}[1m]))',
  },
  {
    dashboard: 'standard-pod-level',
    panel: 'Dropped pps per source pod',
    expr: 'sum by(source_podname) (irate(networkobservability_adv_drop_count{destination_podname!="unknown", source_podname!="unknown"}[1m]))',
  },
  {
    dashboard: 'standard-pod-level',
    panel: 'Dropped pps per Destination pod',
    expr: 'sum by(destination_podname) (irate(networkobservability_adv_forward_count{destination_podname!="unknown", source_podname!="unknown"}[1m]))',
  },
  {
    dashboard: 'standard-pod-level',
    panel: 'All Outgoing pps per pod (from outside pods)',
    expr: 'sum by(source_ip) (irate(networkobservability_adv_forward_count{source_podname="unknown"}[1m]))',
  },
  {
    dashboard: 'standard-pod-level',
    panel: 'All Incoming pps per pod (to outside pods)',
    expr: 'sum by(destination_ip) (irate(networkobservability_adv_forward_count{destination_podname="unknown"}[1m]))',
  },
  {
    dashboard: 'standard-pod-level',
    panel: 'Top 10 Pods Outgoing traffic',
    expr: 'topk(10, sum by(source_podname) (irate(networkobservability_adv_forward_count{source_podname!="unknown"}[5m])))',
  },
  {
    dashboard: 'standard-pod-level',
    panel: 'Top 10 Pods Incoming traffic',
    expr: 'topk(10, sum by(destination_podname) (irate(networkobservability_adv_forward_count{destination_podname!="unknown"}[5m])))',
  },
  {
    dashboard: 'standard-pod-level',
    panel: 'API server latency',
    expr: 'avg by(instance) (sum by(le, instance) (rate(networkobservability_node_apiserver_handshake_latency_ms_bucket[1m])))',
    emptyBecause:
      "the lab's collectors read an inventory file, not a Kubernetes API server, so they open no connection to time (the family is exported wherever the collector talks to an API server)",
  },
  {
    dashboard: 'standard-dns',
    panel: 'DNS Requests',
    expr: 'sum (rate(networkobservability_dns_request_count{cluster="$cluster", instance=~"($Nodes):[0-9]+"}[$__rate_interval])) by (query_type) > 0',
  },
  {
    dashboard: 'standard-dns',
    panel: 'DNS Responses',
    expr: 'sum (rate(networkobservability_dns_response_count{cluster="$cluster", instance=~"($Nodes):[0-9]+"}[$__rate_interval])) by (query_type) > 0',
  },
  {
    dashboard: 'standard-dns',
    panel: 'DNS Missing Response',
    expr: '(\n    1 - (\n        sum (networkobservability_dns_response_count{cluster="$cluster", instance=~"($Nodes):[0-9]+"}) by (query_type) / sum (networkobservability_dns_request_count{cluster="$cluster", instance=~"($Nodes):[0-9]+"}) by (query_type)\n    )\n) * 100 * (\n    (\n        sum (rate(networkobservability_dns_response_count{cluster="$cluster", instance=~"($Nodes):[0-9]+"}[$__rate_interval])) by (query_type)\n    ) > bool 0\n) > 0',
    emptyBecause:
      "needs DNS queries left unanswered (the probe's TIMEOUT): the lab's DNS answers every query (its faults make answers slow, NXDOMAIN or SERVFAIL, never absent), so this answers only after a stray loss",
  },
  {
    dashboard: 'standard-dns',
    panel: 'DNS Response IPs Returned',
    expr: 'sum(rate(networkobservability_dns_response_count{cluster="$cluster", instance=~"($Nodes):[0-9]+", return_code="NoError"}[$__rate_interval])) by (num_response) > 0',
    partial:
      "the seed's DNS series are not split by answer count (Retina's `num_response`): one row; hubble-dns has `ips_returned`",
  },
  {
    dashboard: 'standard-dns',
    panel: 'DNS Errors',
    expr: 'label_replace(\n    label_replace(\n        sum by (return_code, query_type) (\n            rate(networkobservability_dns_response_count{cluster="$cluster", instance=~"($Nodes):[0-9]+", return_code!="NoError"}[$__rate_interval])\n        ) > 0, "return_code", "non-existent domain", "return_code", "nxdomain"\n    ), "return_code", "server failure", "return_code", "servfail"\n)',
  },
  {
    dashboard: 'standard-dns',
    panel: 'Top DNS Queries (Requests)',
    expr: 'round(topk(10, sum (60*rate(networkobservability_dns_request_count{cluster="$cluster", instance=~"($Nodes):[0-9]+"}[$__rate_interval])) by (query, query_type)), 1)',
    partial:
      "the seed's DNS series are not split by query name (a storm of random names would be all new series, whose first increase rate() never sees): one row without `query`; hubble-dns has the names",
  },
  {
    dashboard: 'standard-dns',
    panel: 'Top DNS Queries (Responses)',
    expr: 'round(topk(10, sum (60*rate(networkobservability_dns_response_count{cluster="$cluster", instance=~"($Nodes):[0-9]+"}[$__rate_interval])) by (query, query_type)), 1)',
    partial:
      "the seed's DNS series are not split by query name (a storm of random names would be all new series, whose first increase rate() never sees): one row without `query`; hubble-dns has the names",
  },
  {
    dashboard: 'standard-dns',
    panel: 'DNS Response Table',
    expr: 'label_replace(\n  label_replace(\n      sum by (query, query_type, response, return_code) (\n        60*rate(networkobservability_dns_response_count{cluster="$cluster", instance=~"($Nodes):[0-9]+", num_response!="0", response!=""}[$__rate_interval])\n      ), "return_code", "non-existent domain", "return_code", "nxdomain"\n  ), "return_code", "success", "return_code", "noerror"\n)',
    emptyBecause:
      "filters on Retina's `response` and `num_response` labels: the probe does not keep the answers' addresses, and the seed's series are not split by answer count (hubble-dns's response table has them as `ips_returned`)",
  },
  {
    dashboard: 'hubble-dns',
    panel: 'DNS Requests',
    expr: 'sum (rate(hubble_dns_queries_total{cluster="$cluster", instance=~"$Nodes"}[$__rate_interval])) by (qtypes) > 0',
  },
  {
    dashboard: 'hubble-dns',
    panel: 'DNS Responses',
    expr: 'sum (rate(hubble_dns_queries_total{cluster="$cluster", instance=~"$Nodes"}[$__rate_interval])) by (qtypes) > 0',
  },
  {
    dashboard: 'hubble-dns',
    panel: 'DNS Missing Response',
    expr: '(\n    1 - (\n        sum (hubble_dns_responses_total{cluster="$cluster", instance=~"$Nodes"}) by (qtypes) / sum (hubble_dns_queries_total{cluster="$cluster", instance=~"$Nodes"}) by (qtypes)\n    )\n) * 100 * (\n    (\n        sum (rate(hubble_dns_responses_total{cluster="$cluster", instance=~"$Nodes"}[$__rate_interval])) by (qtypes)\n    ) > bool 0\n) > 0',
    emptyBecause:
      "needs DNS queries left unanswered (the probe's TIMEOUT): the lab's DNS answers every query (its faults make answers slow, NXDOMAIN or SERVFAIL, never absent), so this answers only after a stray loss",
  },
  {
    dashboard: 'hubble-dns',
    panel: 'DNS Response IPs Returned',
    expr: 'sum(rate(hubble_dns_responses_total{cluster="$cluster", instance=~"$Nodes", rcode="No Error"}[$__rate_interval])) by (ips_returned) > 0',
  },
  {
    dashboard: 'hubble-dns',
    panel: 'DNS Errors',
    expr: 'label_replace(\n    label_replace(\n        sum by (rcode, qtypes) (\n            rate(hubble_dns_responses_total{cluster="$cluster", instance=~"$Nodes", rcode!="NoError"}[$__rate_interval])\n        ) > 0, "rcode", "non-existent domain", "rcode", "nxdomain"\n    ), "rcode", "server failure", "rcode", "servfail"\n)',
  },
  {
    dashboard: 'hubble-dns',
    panel: 'Top DNS Queries (Requests)',
    expr: 'round(topk(10, sum (60*rate(hubble_dns_queries_total{cluster="$cluster", instance=~"$Nodes"}[$__rate_interval])) by (query, qtypes)), 1)',
  },
  {
    dashboard: 'hubble-dns',
    panel: 'Top DNS Queries (Responses)',
    expr: 'round(topk(10, sum (60*rate(hubble_dns_responses_total{cluster="$cluster", instance=~"$Nodes"}[$__rate_interval])) by (query, qtypes)), 1)',
  },
  {
    dashboard: 'hubble-dns',
    panel: 'DNS Response Table',
    expr: 'label_replace(\n  label_replace(\n      sum by (query, qtypes, response, rcode) (\n        60*rate(hubble_dns_responses_total{cluster="$cluster", instance=~"$Nodes", ips_returned!="0"}[$__rate_interval])\n      ), "rcode", "non-existent domain", "rcode", "nxdomain"\n  ), "rcode", "success", "rcode", "noerror"\n)',
  },
  {
    dashboard: 'hubble-dns',
    panel: 'Top Pods with DNS Errors',
    expr: 'sum(rate(hubble_dns_responses_total{cluster="$cluster", instance=~"$Nodes", rcode!="No Error", destination=~".*/.*"}[1m])) by (destination)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Top Source Namespaces (Outgoing Traffic)',
    expr: 'topk(\n  10, round(sum by (namespace) (\n    label_replace(\n      sum by (source) (rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", source=~".*/.*"}[$__rate_interval])),\n      "namespace", "$1", "source", "([-a-z0-9]+)/.+"\n    )\n  ), 0.01)\n) > 0',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Top Destination Namespaces (Incoming Traffic)',
    expr: 'topk(\n  10, round(sum by (namespace) (\n    label_replace(\n      sum by (destination) (rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", destination=~".*/.*"}[$__rate_interval])),\n      "namespace", "$1", "destination", "([-a-z0-9]+)/.+"\n    )\n  ), 0.01)\n) > 0',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Top Namespaces with Outgoing Drops',
    expr: 'topk(\n  10, round(sum by (namespace) (\n    label_replace(\n      sum by (source) (rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", source=~".*/.*", verdict="DROPPED"}[$__rate_interval])),\n      "namespace", "$1", "source", "([-a-z0-9]+)/.+"\n    )\n  ), 0.01)\n) > 0',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Top Namespaces with Incoming Drops',
    expr: 'topk(\n  10, round(sum by (namespace) (\n    label_replace(\n      sum by (destination) (rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", destination=~".*/.*", verdict="DROPPED"}[$__rate_interval])),\n      "namespace", "$1", "destination", "([-a-z0-9]+)/.+"\n    )\n  ), 0.01)\n) > 0',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Pods with Outgoing Traffic (past 10 minutes)',
    expr: 'count(\n  sum by (source) (\n    rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", source=~"^$namespace/.*", verdict="FORWARDED"}[10m])\n  ) >= 0.01\n)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Max Outgoing Traffic',
    expr: 'round(sum (rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", source=~"^$namespace/.*", verdict="FORWARDED"}[$__rate_interval])), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Min Outgoing Traffic',
    expr: 'round(sum (rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", source=~"^$namespace/.*", verdict="FORWARDED"}[$__rate_interval])), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Pods with Incoming Traffic (past 10 minutes)',
    expr: 'count(\n  sum by (destination) (\n    rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", verdict="FORWARDED"}[10m])\n  ) >= 0.01\n)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Max Incoming Traffic',
    expr: 'round(sum (rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", verdict="FORWARDED"}[$__rate_interval])), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Min Incoming Traffic',
    expr: 'round(sum (rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", verdict="FORWARDED"}[$__rate_interval])), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Pods with Outgoing Drops (past 10 minutes)',
    expr: 'count(\n  sum by (source) (\n    rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", source=~"^$namespace/.*", verdict="DROPPED"}[10m])\n  ) >= 0.01\n)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Max Outgoing Drops',
    expr: 'round(sum (rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", source=~"^$namespace/.*", verdict="DROPPED"}[$__rate_interval])), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Min Outgoing Drops',
    expr: 'round(sum (rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", source=~"^$namespace/.*", verdict="DROPPED"}[$__rate_interval])), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Pods with Incoming Drops (past 10 minutes)',
    expr: 'count(\n  sum by (destination) (\n    rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", verdict="DROPPED"}[10m])\n  ) >= 0.01\n)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Max Incoming Drops',
    expr: 'round(sum (rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", verdict="DROPPED"}[$__rate_interval])), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Min Incoming Drops',
    expr: 'round(sum (rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", verdict="DROPPED"}[$__rate_interval])), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Outgoing Traffic by Trace Type',
    expr: 'sum(rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", source=~"^$namespace/.*"}[$__rate_interval])) by (type, subtype)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Incoming Traffic by Trace Type',
    expr: 'sum(rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", destination=~"^$namespace/.*"}[$__rate_interval])) by (type, subtype)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Outgoing Traffic by Verdict',
    expr: 'sum(rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", source=~"^$namespace/.*"}[$__rate_interval])) by (verdict)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Incoming Traffic by Verdict',
    expr: 'sum(rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", destination=~"^$namespace/.*"}[$__rate_interval])) by (verdict)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Heatmap of Outgoing Traffic for Top Source Pods',
    expr: 'topk(10, round(sum by (source) (\n  rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", source=~"^$namespace/.*"}[$__rate_interval])\n), 0.01)) > 0',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Heatmap of Incoming Traffic for Top Destination Pods',
    expr: 'topk(10, round(sum by (destination) (\n  rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", destination=~"^$namespace/.*"}[$__rate_interval])\n), 0.01)) > 0',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Stacked (Total) Outgoing Traffic by Source Pod',
    expr: 'round(sum by (source) (\n  rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", source=~"^$namespace/.*"}[$__rate_interval])\n), 0.01) > 0',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Stacked (Total) Incoming Traffic by Destination Pod',
    expr: 'round(sum by (destination) (\n  rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", destination=~"^$namespace/.*"}[$__rate_interval])\n), 0.01) > 0',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Heatmap of Outgoing Drops for Top Source Pods',
    expr: 'topk(10, round(sum by (source) (\n  rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", source=~"^$namespace/.*", verdict="DROPPED"}[$__rate_interval])\n), 0.01)) > 0',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Heatmap of Incoming Drops for Top Destination Pods',
    expr: 'topk(10, round(sum by (destination) (\n  rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", verdict="DROPPED"}[$__rate_interval])\n), 0.01)) > 0',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Stacked (Total) Outgoing Drops by Source Pod',
    expr: 'round(\n  sum by (source) (\n    rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", source=~"^$namespace/.*", verdict="DROPPED"}[$__rate_interval])\n  ), 0.01\n)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Stacked (Total) Incoming Drops by Destination Pod',
    expr: 'round(\n  sum by (destination) (\n    rate(hubble_flows_processed_total{cluster="$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", verdict="DROPPED"}[$__rate_interval])\n  ), 0.01\n)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Pods Missing SYN-ACKs (past 10 minutes)',
    expr: 'count (\n    (\n        (sum(\n            rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", source=~"^$namespace/.*", flag="SYN"}[10m])\n        ) by (source) > 0) - sum(\n            label_replace(\n                sum(\n                    rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", flag="SYN-ACK"}[10m])\n                ) by (destination), "source", "$1", "destination", "(.*)"\n            )\n        ) without (destination)\n    ) >= 0.01\n)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Max Packets Missing SYN-ACKs',
    expr: 'round(sum (\n    sum(\n    rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", source=~"^$namespace/.*", flag="SYN"}[$__rate_interval])\n) by (source) > 0 - sum(\n    label_replace(\n        sum(\n            rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", flag="SYN-ACK"}[$__rate_interval])\n        ) by (destination), "source", "$1", "destination", "(.*)"\n    )\n) without (destination)\n), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Min Packets Missing SYN-ACKs',
    expr: 'round(sum (\n    sum(\n    rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", source=~"^$namespace/.*", flag="SYN"}[$__rate_interval])\n) by (source) > 0 - sum(\n    label_replace(\n        sum(\n            rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", flag="SYN-ACK"}[$__rate_interval])\n        ) by (destination), "source", "$1", "destination", "(.*)"\n    )\n) without (destination)\n), 0.01) > 0',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Heatmap of Missing TCP SYN-ACKs by Top Source Pods',
    expr: 'topk(10, round(\n  sum(\n    rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", source=~"^$namespace/.*", flag="SYN"}[$__rate_interval])\n) by (source) > 0 - sum(\n    label_replace(\n        sum(\n            rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", flag="SYN-ACK"}[$__rate_interval])\n        ) by (destination), "source", "$1", "destination", "(.*)"\n    )\n) without (destination), 0.01\n)) > 0',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Stacked (Total) Missing TCP SYN-ACKs by Source Pod',
    expr: 'round(\n    sum(\n    rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", source=~"^$namespace/.*", flag="SYN"}[$__rate_interval])\n) by (source) > 0 - sum(\n    label_replace(\n        sum(\n            rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", flag="SYN-ACK"}[$__rate_interval])\n        ) by (destination), "source", "$1", "destination", "(.*)"\n    )\n) without (destination), 0.01\n)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Pods with Outgoing RST (past 10 minutes)',
    expr: 'count (\n    sum by (source) (\n        rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", source=~"^$namespace/.*", flag="RST"}[10m])\n    ) >= 0.01\n)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Max Outgoing RST Packets',
    expr: 'round(sum (\n    sum(\n        rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", source=~"^$namespace/.*", flag="RST"}[$__rate_interval])\n    )\n), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Min Outgoing RST',
    expr: 'round(sum (\n    sum(\n        rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", source=~"^$namespace/.*", flag="RST"}[$__rate_interval])\n    )\n), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Heatmap of Outgoing TCP RST by Top Source Pods',
    expr: 'topk(10, round(sum by (source) (\n  rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", source=~"^$namespace/.*", flag="RST"}[$__rate_interval])\n), 0.01)) > 0',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Stacked (Total) Outgoing TCP RST by Source Pod',
    expr: 'round(sum by (source) (\n  rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", source=~"^$namespace/.*", flag="RST"}[$__rate_interval])\n), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Pods with Incoming RST (past 10 minutes)',
    expr: 'count (\n    sum by (destination) (\n        rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", flag="RST"}[10m])\n    ) >= 0.01\n)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Max Incoming RST Packets',
    expr: 'round(sum (\n    sum(\n        rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", flag="RST"}[$__rate_interval])\n    )\n), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Min Incoming RST',
    expr: 'round(sum (\n    sum(\n        rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", flag="RST"}[$__rate_interval])\n    )\n), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Heatmap of Incoming TCP RST by Top Destination Pods',
    expr: 'topk(10, round(sum by (destination) (\n  rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", flag="RST"}[$__rate_interval])\n), 0.01)) > 0',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Stacked (Total) Incoming TCP RST by Destination Pod',
    expr: 'round(sum by (destination) (\n  rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", flag="RST"}[$__rate_interval])\n), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Pods with Outgoing FIN (past 10 minutes)',
    expr: 'count (\n    sum by (source) (\n        rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", source=~"^$namespace/.*", flag="FIN"}[10m])\n    ) >= 0.01\n)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Max Outgoing FIN Packets',
    expr: 'round(sum (\n    sum(\n        rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", source=~"^$namespace/.*", flag="FIN"}[$__rate_interval])\n    )\n), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Min Outgoing FIN',
    expr: 'round(sum (\n    sum(\n        rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", source=~"^$namespace/.*", flag="FIN"}[$__rate_interval])\n    )\n), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Heatmap of Outgoing TCP FIN by Top Source Pods',
    expr: 'topk(10, round(sum by (source) (\n  rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", source=~"^$namespace/.*", flag="FIN"}[$__rate_interval])\n), 0.01)) > 0',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Stacked (Total) Outgoing TCP FIN by Source Pod',
    expr: 'round(sum by (source) (\n  rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", source=~"^$namespace/.*", flag="FIN"}[$__rate_interval])\n), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Pods with Incoming FIN (past 10 minutes)',
    expr: 'count (\n    sum by (destination) (\n        rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", flag="FIN"}[10m])\n    ) >= 0.01\n)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Max Incoming FIN Packets',
    expr: 'round(sum (\n    sum(\n        rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", flag="FIN"}[$__rate_interval])\n    )\n), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Min Incoming FIN',
    expr: 'round(sum (\n    sum(\n        rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", flag="FIN"}[$__rate_interval])\n    )\n), 0.01)',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Heatmap of Incoming TCP FIN by Top Destination Pods',
    expr: 'topk(10, round(sum by (destination) (\n  rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", flag="FIN"}[$__rate_interval])\n), 0.01)) > 0',
  },
  {
    dashboard: 'hubble-pod-flows-namespace',
    panel: 'Stacked (Total) Incoming TCP FIN by Destination Pod',
    expr: 'round(sum by (destination) (\n  rate(hubble_tcp_flags_total{cluster=~"$cluster", instance=~"$Nodes", destination=~"^$namespace/.*", flag="FIN"}[$__rate_interval])\n), 0.01)',
  },
];
