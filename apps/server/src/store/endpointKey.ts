import type { Endpoint } from '@weft/protocol';

/**
 * Identity of an endpoint inside the store. Pods and services are their names (an IP moves between pods);
 * world and host addresses keep their IP so diagnose can still find `ip:port`.
 */
export function endpointKey(e: Endpoint): string {
  if (e.kind === 'pod' || e.kind === 'service') return `${e.kind}\u001f${e.namespace}\u001f${e.name}`;
  return `${e.kind}\u001f${e.node}\u001f${e.ip}`;
}
