import { Histogram, type Registry } from 'prom-client';

/** Milliseconds, as Retina's family is: a handshake on the node's network is well under one. */
export const HANDSHAKE_BUCKETS_MS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000];

/**
 * Retina's `networkobservability_node_apiserver_handshake_latency_ms`: the TCP handshake of each
 * connection the collector's own Kubernetes client opens to the API server (lists and watches; one
 * connection per request). Registered only when the collector talks to an API server, so a collector
 * reading an inventory file shows no latency rather than a histogram of nothing.
 */
export function registerApiServerLatency(registry: Registry): (ms: number) => void {
  const h = new Histogram({
    name: 'networkobservability_node_apiserver_handshake_latency_ms',
    help: "TCP handshake time of the collector's connections to the Kubernetes API server, in milliseconds",
    buckets: HANDSHAKE_BUCKETS_MS,
    registers: [registry],
  });
  return (ms) => h.observe(ms);
}
