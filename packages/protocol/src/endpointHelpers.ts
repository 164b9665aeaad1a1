import type { Endpoint } from './endpoint.js';

// Kept apart from the Endpoint schema so that '@weft/protocol/core' can offer them without typebox.

export const WORLD = 'world';
export const HOST = 'host';

export function worldEndpoint(ip: string): Endpoint {
  return {
    ip,
    kind: 'world',
    namespace: '',
    name: WORLD,
    workloadKind: '',
    workload: '',
    service: '',
    node: '',
  };
}

export function hostEndpoint(ip: string, node: string): Endpoint {
  return { ip, kind: 'host', namespace: '', name: HOST, workloadKind: '', workload: '', service: '', node };
}

/** `namespace/name` for pods and services, `world` / `host:<node>` otherwise. */
export function endpointLabel(e: Endpoint): string {
  if (e.kind === 'world') return WORLD;
  if (e.kind === 'host') return e.node ? `host:${e.node}` : HOST;
  return `${e.namespace}/${e.name}`;
}
