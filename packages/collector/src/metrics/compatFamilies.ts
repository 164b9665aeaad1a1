import { Counter, type Registry } from 'prom-client';

const RETINA_END = ['ip', 'namespace', 'podname', 'workload_kind', 'workload_name'] as const;
const RETINA_PAIR = [...RETINA_END.map((l) => `source_${l}`), ...RETINA_END.map((l) => `destination_${l}`)];

/**
 * The families the AKS add-on's dashboards read beyond the seed's (Hubble's and Retina's advanced
 * pod-level ones), with their names, labels and label values, from the same records as the seed's.
 */
export function createCompatFamilies(reg: Registry[]) {
  return {
    hubbleTcpFlags: new Counter({
      name: 'hubble_tcp_flags_total',
      help: 'TCP flows seen with each flag, per interval (Hubble-compatible: SYN, SYN-ACK, FIN, RST)',
      labelNames: ['source', 'destination', 'flag', 'family'],
      registers: reg,
    }),
    hubbleDnsQueries: new Counter({
      name: 'hubble_dns_queries_total',
      help: 'DNS queries sent by pods (Hubble-compatible)',
      labelNames: ['source', 'destination', 'query', 'qtypes'],
      registers: reg,
    }),
    hubbleDnsResponses: new Counter({
      name: 'hubble_dns_responses_total',
      help: "DNS responses received by pods, by response code in Hubble's words (Hubble-compatible)",
      labelNames: ['source', 'destination', 'query', 'qtypes', 'rcode', 'ips_returned'],
      registers: reg,
    }),
    advForward: new Counter({
      name: 'networkobservability_adv_forward_count',
      help: 'Packets forwarded, by source and destination pod (Retina advanced pod-level)',
      labelNames: RETINA_PAIR,
      registers: reg,
    }),
    advDrop: new Counter({
      name: 'networkobservability_adv_drop_count',
      help: 'Packets dropped by the kernel, by source and destination pod and reason (Retina advanced pod-level)',
      labelNames: ['reason', 'direction', ...RETINA_PAIR],
      registers: reg,
    }),
    tcpFlagCounters: new Counter({
      name: 'networkobservability_tcp_flag_counters',
      help: 'TCP flows seen with each flag on this node, per interval (Retina-compatible)',
      labelNames: ['flag'],
      registers: reg,
    }),
  };
}

export type CompatFamilies = ReturnType<typeof createCompatFamilies>;
