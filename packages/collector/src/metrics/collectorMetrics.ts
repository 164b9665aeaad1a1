import { Counter, Gauge, Histogram } from 'prom-client';
import { CachedExpositionRegistry } from './cachedExpositionRegistry.js';
import { createCompatFamilies } from './compatFamilies.js';
import { type NodeStatsOptions, registerNodeStats } from './nodeStatsMetrics.js';

const PAIR = ['source_namespace', 'source_pod', 'destination_namespace', 'destination_pod'] as const;

/** Seconds; DNS answers from a node-local cache take ~100 us, a lost one seconds. */
export const DNS_LATENCY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];
export const TCP_CONNECT_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3, 10,
];
export const TCP_RTT_BUCKETS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
];

/**
 * The collector's Prometheus registry: the seed article's metric names verbatim (its counters have no
 * `_total` suffix and keep it that way; prom-client appends nothing), plus the collector's own health.
 * A registry of its own, so nothing global leaks between collectors in one process (tests, bench).
 */
export interface CollectorMetricsOptions {
  /**
   * The AKS add-on's families and the labels they add to the seed's (default on). Off, the exposition
   * is the seed's alone, label for label.
   */
  compat?: boolean;
  /** Where the node-level families read the kernel's figures; false leaves them out (tests). */
  nodeStats?: NodeStatsOptions | false;
}

export function createCollectorMetrics(opts: CollectorMetricsOptions = {}) {
  const on = opts.compat ?? true;
  const registry = new CachedExpositionRegistry();
  const reg = [registry];
  const flow = {
    forwardBytes: new Counter({
      name: 'networkobservability_forward_bytes',
      help: 'Bytes forwarded, as observed at the pod veths of this node',
      labelNames: ['direction', ...PAIR],
      registers: reg,
    }),
    forwardCount: new Counter({
      name: 'networkobservability_forward_count',
      help: 'Packets forwarded, as observed at the pod veths of this node',
      labelNames: ['direction', ...PAIR],
      registers: reg,
    }),
    dropCount: new Counter({
      name: 'networkobservability_drop_count',
      help: 'Packets dropped by the kernel, by reason (policy_drop = netfilter)',
      labelNames: ['reason', 'direction', ...PAIR],
      registers: reg,
    }),
    dropBytes: new Counter({
      name: 'networkobservability_drop_bytes',
      help: 'Bytes dropped by the kernel, by reason (policy_drop = netfilter)',
      labelNames: ['reason', 'direction', ...PAIR],
      registers: reg,
    }),
    dnsRequests: new Counter({
      name: 'networkobservability_dns_request_count',
      help: 'DNS queries sent by pods',
      labelNames: ['namespace', 'pod', 'query_type'],
      registers: reg,
    }),
    dnsResponses: new Counter({
      name: 'networkobservability_dns_response_count',
      help: 'DNS responses received by pods, by response code',
      // `return_code` is Retina's spelling of `response_code` (NoError for NOERROR): same series, both
      // labels. Retina's `query` and `num_response` are left out: split by query name, a storm of
      // random names would be all new series, whose first increase rate() never sees (the seed's alert).
      labelNames: ['namespace', 'pod', 'query_type', 'response_code', ...(on ? ['return_code'] : [])],
      registers: reg,
    }),
    dnsLatency: new Histogram({
      name: 'networkobservability_dns_response_latency',
      help: 'Seconds from a DNS query to its response',
      labelNames: ['namespace', 'pod'],
      buckets: DNS_LATENCY_BUCKETS,
      registers: reg,
    }),
    tcpConnections: new Counter({
      name: 'networkobservability_tcp_connection_total',
      help: 'TCP connection attempts (sockets entering SYN_SENT)',
      labelNames: [...PAIR, 'destination_service'],
      registers: reg,
    }),
    tcpFailed: new Counter({
      name: 'networkobservability_tcp_connection_failed_total',
      help: 'TCP connection attempts that closed without being established (refused, timed out, reset)',
      labelNames: [...PAIR, 'destination_service'],
      registers: reg,
    }),
    tcpLatency: new Histogram({
      name: 'networkobservability_tcp_connection_latency',
      help: 'Seconds from SYN_SENT to ESTABLISHED',
      labelNames: [...PAIR],
      buckets: TCP_CONNECT_BUCKETS,
      registers: reg,
    }),
    tcpRtt: new Histogram({
      name: 'networkobservability_tcp_rtt',
      help: 'Smoothed TCP round-trip time in seconds, one observation per connection per interval',
      labelNames: [...PAIR],
      buckets: TCP_RTT_BUCKETS,
      registers: reg,
    }),
    tcpRetransmits: new Counter({
      name: 'networkobservability_tcp_retransmit_count',
      help: 'TCP segments retransmitted',
      labelNames: [...PAIR],
      registers: reg,
    }),
    flowsProcessed: new Counter({
      name: 'hubble_flows_processed_total',
      help: 'Packets seen by the probe, each counted once per node (Hubble-compatible)',
      // Hubble's own labels beside the seed's: `source` / `destination` as namespace/workload, and the
      // event `type` (Trace, Drop) with its `subtype` (to-stack, to-endpoint).
      labelNames: [
        'source_namespace',
        'destination_namespace',
        'protocol',
        'verdict',
        ...(on ? ['source', 'destination', 'type', 'subtype'] : []),
      ],
      registers: reg,
    }),
  };
  const compat = on ? createCompatFamilies(reg) : null;
  const health = {
    records: new Counter({
      name: 'weft_collector_records_total',
      help: 'Probe records read, by type',
      labelNames: ['type'],
      registers: reg,
    }),
    recordsPerSecond: new Gauge({
      name: 'weft_collector_records_per_second',
      help: 'Probe records read per second over the last interval',
      registers: reg,
    }),
    lost: new Counter({
      name: 'weft_collector_records_lost_total',
      help: 'Records that could not be counted or delivered, by cause',
      labelNames: ['cause'],
      registers: reg,
    }),
    probeRestarts: new Counter({
      name: 'weft_collector_probe_restarts_total',
      help: 'Times the probe process was restarted',
      registers: reg,
    }),
    mapOverflows: new Counter({
      name: 'weft_collector_map_overflows_total',
      help: 'Flow map insertions the kernel refused because the map was full',
      registers: reg,
    }),
    dnsMismatched: new Counter({
      name: 'weft_collector_dns_answers_mismatched_total',
      help: 'DNS responses not taken as the answer to their query: from another server address or port, or for another question (spoofed or stray)',
      registers: reg,
    }),
    probeLinks: new Gauge({
      name: 'weft_collector_probe_links',
      help: 'Interfaces the probe is attached to',
      registers: reg,
    }),
    series: new Gauge({
      name: 'weft_collector_series',
      help: 'Traffic series currently exported',
      registers: reg,
    }),
    seriesDropped: new Counter({
      name: 'weft_collector_series_dropped_total',
      help: 'Updates not exported because the series limit was reached',
      registers: reg,
    }),
    seriesExpired: new Counter({
      name: 'weft_collector_series_expired_total',
      help: 'Series removed because their pods are gone',
      registers: reg,
    }),
    identityPods: new Gauge({
      name: 'weft_collector_identity_pods',
      help: 'Pods known to the identity source',
      registers: reg,
    }),
    serverConnected: new Gauge({
      name: 'weft_collector_server_connected',
      help: '1 while the ingest stream to the server is up, by server (one per URL in WEFT_SERVER_URL)',
      labelNames: ['server'],
      registers: reg,
    }),
    spoolBatches: new Gauge({
      name: 'weft_collector_spool_batches',
      help: 'Batches waiting for the server to acknowledge them',
      labelNames: ['server'],
      registers: reg,
    }),
    spoolBytes: new Gauge({
      name: 'weft_collector_spool_bytes',
      help: 'Bytes of batches waiting for the server to acknowledge them',
      labelNames: ['server'],
      registers: reg,
    }),
    batchesSent: new Counter({
      name: 'weft_collector_batches_sent_total',
      help: 'Batches written to the server (resends included)',
      labelNames: ['server'],
      registers: reg,
    }),
    givenUp: new Counter({
      name: 'weft_collector_spool_given_up_records_total',
      help: 'Records a server never acknowledged: aged or pushed out of its spool, or refused, by server',
      labelNames: ['server'],
      registers: reg,
    }),
    batchesAcked: new Counter({
      name: 'weft_collector_batches_acked_total',
      help: 'Batches the server acknowledged',
      labelNames: ['server'],
      registers: reg,
    }),
  };
  // prom-client's default Node metrics trip promtool's lint (gauges named *_total); these few suffice.
  let cpuSeen = 0;
  new Counter({
    name: 'weft_collector_process_cpu_seconds_total',
    help: 'CPU time used by the collector process (user + system)',
    registers: reg,
    collect() {
      const u = process.cpuUsage();
      const total = (u.user + u.system) / 1e6;
      if (total > cpuSeen) this.inc(total - cpuSeen);
      cpuSeen = Math.max(cpuSeen, total);
    },
  });
  new Gauge({
    name: 'weft_collector_process_resident_memory_bytes',
    help: 'Resident memory of the collector process',
    registers: reg,
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  new Gauge({
    name: 'weft_collector_heap_used_bytes',
    help: 'V8 heap in use by the collector',
    registers: reg,
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });
  if (on && opts.nodeStats !== false) registerNodeStats(reg, opts.nodeStats ?? {});
  return { registry, flow, compat, health };
}

export type CollectorMetrics = ReturnType<typeof createCollectorMetrics>;
