/**
 * PromQL over the collectors' metrics, with the seed's names and labels (DESIGN.md, "Prometheus
 * metrics"; they are the contract). Every total is `increase(...[<window>])` evaluated at the window's
 * end, so it covers the same span as the store's sums.
 */
export const PAIR = ['source_namespace', 'source_pod', 'destination_namespace', 'destination_pod'] as const;

export const M = {
  forwardBytes: 'networkobservability_forward_bytes',
  forwardCount: 'networkobservability_forward_count',
  dropCount: 'networkobservability_drop_count',
  dropBytes: 'networkobservability_drop_bytes',
  dnsRequests: 'networkobservability_dns_request_count',
  dnsResponses: 'networkobservability_dns_response_count',
  dnsLatency: 'networkobservability_dns_response_latency',
  tcpConnections: 'networkobservability_tcp_connection_total',
  tcpFailed: 'networkobservability_tcp_connection_failed_total',
  tcpRtt: 'networkobservability_tcp_rtt',
  tcpRetransmits: 'networkobservability_tcp_retransmit_count',
  flowsProcessed: 'hubble_flows_processed_total',
} as const;

/** The window in whole seconds (at least 1: a PromQL range can't be empty). */
export function rangeSeconds(startMs: number, endMs: number): number {
  return Math.max(1, Math.round((endMs - startMs) / 1000));
}

/** `sum by (<labels>) (increase(<metric>[<s>s]))`: the window's total per label set. */
export function increaseBy(metric: string, labels: readonly string[], seconds: number): string {
  return `sum by (${labels.join(', ')}) (increase(${metric}[${seconds}s]))`;
}

export const GRAPH_QUERIES = [
  'bytes',
  'packets',
  'drops',
  'connects',
  'failures',
  'retransmits',
  'rttSum',
  'rttCount',
  'everConnected',
] as const;
export type GraphQueryName = (typeof GRAPH_QUERIES)[number];

/** What the graph needs, per pod pair (the finest the metrics hold; rolled up after). */
export function graphQueries(seconds: number): Record<GraphQueryName, string> {
  const dirPair = ['direction', ...PAIR];
  return {
    bytes: increaseBy(M.forwardBytes, dirPair, seconds),
    packets: increaseBy(M.forwardCount, dirPair, seconds),
    drops: increaseBy(M.dropCount, ['reason', ...PAIR], seconds),
    connects: increaseBy(M.tcpConnections, PAIR, seconds),
    failures: increaseBy(M.tcpFailed, PAIR, seconds),
    retransmits: increaseBy(M.tcpRetransmits, PAIR, seconds),
    rttSum: increaseBy(`${M.tcpRtt}_sum`, PAIR, seconds),
    rttCount: increaseBy(`${M.tcpRtt}_count`, PAIR, seconds),
    // Which end opened connections (at any time the collectors remember): it is the client of the pair,
    // as the store's edges are client -> server.
    everConnected: `sum by (${PAIR.join(', ')}) (${M.tcpConnections})`,
  };
}

export const DROPS_QUERIES = ['packets', 'bytes'] as const;
export type DropsQueryName = (typeof DROPS_QUERIES)[number];

export function dropsQueries(seconds: number): Record<DropsQueryName, string> {
  const by = ['reason', 'direction', ...PAIR];
  return { packets: increaseBy(M.dropCount, by, seconds), bytes: increaseBy(M.dropBytes, by, seconds) };
}

export const DNS_QUERIES = ['requests', 'responses', 'latency'] as const;
export type DnsQueryName = (typeof DNS_QUERIES)[number];

export function dnsQueries(seconds: number): Record<DnsQueryName, string> {
  return {
    requests: increaseBy(M.dnsRequests, ['namespace', 'pod'], seconds),
    responses: increaseBy(M.dnsResponses, ['namespace', 'pod', 'response_code'], seconds),
    latency: increaseBy(`${M.dnsLatency}_bucket`, ['namespace', 'pod', 'le'], seconds),
  };
}
