import type { Endpoint } from './endpoint.js';
import type { Level } from './filter.js';

/**
 * The map's node ids, the one scheme the server (graph, filters, focus) and the web (drill-down,
 * breadcrumbs, marks) share: `ns:<ns>`, `wl:<ns>/<workload>`, `pod:<ns>/<pod>`, `svc:<ns>/<service>`,
 * `node:<node>` (a Kubernetes node), `host:<node>` or `host` (a node's own address), `world`, and
 * `others` / `others:<...>` (what did not fit the map). An edge id is `<client id>-><server id>`.
 */
export type NodeIdKind = 'ns' | 'wl' | 'pod' | 'svc' | 'node' | 'host' | 'world' | 'others';

export const WORLD_NODE_ID = 'world';
export const namespaceNodeId = (namespace: string) => `ns:${namespace}`;
export const workloadNodeId = (namespace: string, workload: string) => `wl:${namespace}/${workload}`;
export const podNodeId = (namespace: string, pod: string) => `pod:${namespace}/${pod}`;
export const serviceNodeId = (namespace: string, service: string) => `svc:${namespace}/${service}`;
export const kubeNodeId = (node: string) => `node:${node}`;
export const hostNodeId = (node: string) => (node ? `host:${node}` : 'host');

/**
 * The node an endpoint rolls up to at a level, with its kind. Services stay services (a client reaches
 * them by a service address the kernel never translated); at node level a pod is its node and a host
 * is its node too; without a node name a pod at node level is its service's or its own id. Any
 * endpoint gets an id, even one whose names would not parse back (an empty namespace from a hostile
 * sender): the kind comes from here, never from parsing the id.
 */
export function nodeOf(e: Endpoint, level: Level): { id: string; kind: NodeIdKind } {
  if (e.kind === 'world') return { id: WORLD_NODE_ID, kind: 'world' };
  if (e.kind === 'host')
    return level === 'node' && e.node
      ? { id: kubeNodeId(e.node), kind: 'node' }
      : { id: hostNodeId(e.node), kind: 'host' };
  if (level === 'node')
    return e.kind === 'pod' && e.node
      ? { id: kubeNodeId(e.node), kind: 'node' }
      : { id: serviceNodeId(e.namespace, e.name), kind: 'svc' };
  if (level === 'namespace') return { id: namespaceNodeId(e.namespace), kind: 'ns' };
  if (e.kind === 'service') return { id: serviceNodeId(e.namespace, e.name), kind: 'svc' };
  if (level === 'workload' && e.workload) return { id: workloadNodeId(e.namespace, e.workload), kind: 'wl' };
  return { id: podNodeId(e.namespace, e.name), kind: 'pod' };
}

/** nodeOf's id. */
export function nodeIdOf(e: Endpoint, level: Level): string {
  return nodeOf(e, level).id;
}

export interface ParsedNodeId {
  kind: NodeIdKind;
  /** '' for node, host, world and others. */
  namespace: string;
  /** The namespace itself for `ns:`; the node for `node:` and `host:`; '' for world, others and a bare host. */
  name: string;
}

const NAMESPACED = new Set(['wl', 'pod', 'svc']);

/** A node id's parts, or null when it is not one (an edge id, a name with no kind, a kind with no name). */
export function parseNodeId(id: string): ParsedNodeId | null {
  if (id === WORLD_NODE_ID) return { kind: 'world', namespace: '', name: '' };
  if (id === 'host') return { kind: 'host', namespace: '', name: '' };
  if (id === 'others') return { kind: 'others', namespace: '', name: '' };
  if (id.includes('->')) return null;
  const colon = id.indexOf(':');
  if (colon <= 0) return null;
  const kind = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  if (!rest) return null;
  if (NAMESPACED.has(kind)) {
    const slash = rest.indexOf('/');
    if (slash <= 0 || slash === rest.length - 1) return null;
    return { kind: kind as NodeIdKind, namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
  }
  if (kind === 'ns') return { kind, namespace: rest, name: rest };
  if (kind === 'node' || kind === 'host' || kind === 'others') return { kind, namespace: '', name: rest };
  return null;
}

/** An edge id's two ends (`<client>-><server>`), or null when it is not one. */
export function parseEdgeId(id: string): { source: string; target: string } | null {
  const arrow = id.indexOf('->');
  if (arrow <= 0 || arrow + 2 >= id.length) return null;
  return { source: id.slice(0, arrow), target: id.slice(arrow + 2) };
}

/** The level a node id belongs to, for matching endpoints against it (`others` and world: pod). */
export function levelOfNodeId(id: string): Level {
  const kind = parseNodeId(id)?.kind;
  return kind === 'ns' ? 'namespace' : kind === 'wl' ? 'workload' : kind === 'node' ? 'node' : 'pod';
}
