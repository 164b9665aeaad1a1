import { type Endpoint, type GraphNodeKind, type Level, namespaceNodeId, nodeOf } from '@weft/protocol';

export interface LevelNode {
  id: string;
  kind: GraphNodeKind;
  label: string;
  namespace: string;
  parent?: string;
  workloadKind?: string;
  node?: string;
}

const KIND: Record<string, GraphNodeKind> = {
  ns: 'namespace',
  wl: 'workload',
  pod: 'pod',
  svc: 'service',
  node: 'node',
  host: 'host',
  world: 'world',
};

/** The graph node an endpoint rolls up to at a level (ids: protocol's nodeOf, stable across updates). */
export function levelNode(e: Endpoint, level: Level): LevelNode {
  const n = nodeOf(e, level);
  const id = n.id;
  const kind = KIND[n.kind]!;
  switch (kind) {
    case 'world':
      return { id, kind, label: 'world', namespace: '' };
    case 'host':
      return { id, kind, label: e.node ? `host ${e.node}` : 'host', namespace: '', node: e.node };
    case 'node':
      return { id, kind, label: e.node, namespace: '', node: e.node };
    case 'namespace':
      return { id, kind, label: e.namespace, namespace: e.namespace };
    case 'service':
      // At node level a service floats free of the namespaces (no compound parent).
      return level === 'node'
        ? { id, kind, label: e.name, namespace: e.namespace }
        : { id, kind, label: e.name, namespace: e.namespace, parent: namespaceNodeId(e.namespace) };
    case 'workload':
      return {
        id,
        kind,
        label: e.workload,
        namespace: e.namespace,
        parent: namespaceNodeId(e.namespace),
        workloadKind: e.workloadKind,
      };
    default:
      return {
        id,
        kind,
        label: e.name,
        namespace: e.namespace,
        parent: namespaceNodeId(e.namespace),
        workloadKind: e.workloadKind,
        node: e.node,
      };
  }
}
