import type { Endpoint, GraphNodeKind, Level } from '@weft/protocol';

export interface LevelNode {
  id: string;
  kind: GraphNodeKind;
  label: string;
  namespace: string;
  parent?: string;
  workloadKind?: string;
  node?: string;
}

/** The graph node an endpoint rolls up to at a level (ids are stable across updates). */
export function levelNode(e: Endpoint, level: Level): LevelNode {
  if (e.kind === 'world') return { id: 'world', kind: 'world', label: 'world', namespace: '' };
  if (e.kind === 'host') {
    if (level === 'node' && e.node)
      return { id: `node:${e.node}`, kind: 'node', label: e.node, namespace: '', node: e.node };
    const id = e.node ? `host:${e.node}` : 'host';
    return { id, kind: 'host', label: e.node ? `host ${e.node}` : 'host', namespace: '', node: e.node };
  }
  if (level === 'node') {
    if (e.kind === 'pod' && e.node)
      return { id: `node:${e.node}`, kind: 'node', label: e.node, namespace: '', node: e.node };
    return { id: `svc:${e.namespace}/${e.name}`, kind: 'service', label: e.name, namespace: e.namespace };
  }
  if (level === 'namespace')
    return { id: `ns:${e.namespace}`, kind: 'namespace', label: e.namespace, namespace: e.namespace };
  const parent = `ns:${e.namespace}`;
  if (e.kind === 'service')
    return {
      id: `svc:${e.namespace}/${e.name}`,
      kind: 'service',
      label: e.name,
      namespace: e.namespace,
      parent,
    };
  if (level === 'workload' && e.workload)
    return {
      id: `wl:${e.namespace}/${e.workload}`,
      kind: 'workload',
      label: e.workload,
      namespace: e.namespace,
      parent,
      workloadKind: e.workloadKind,
    };
  return {
    id: `pod:${e.namespace}/${e.name}`,
    kind: 'pod',
    label: e.name,
    namespace: e.namespace,
    parent,
    workloadKind: e.workloadKind,
    node: e.node,
  };
}
