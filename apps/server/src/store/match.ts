import { type Endpoint, type FilterState, levelOfNodeId, parseEdgeId, parseNodeId } from '@weft/protocol';
import { levelNode } from './levelNode.js';

/**
 * The shared filter applied to one stored pair. A pair matches when either end matches, so filtering
 * on a namespace keeps the traffic entering and leaving it.
 */
export type PairMatcher = (a: Endpoint, b: Endpoint, proto: string, port: number) => boolean;

function splitNsName(v: string): [string, string] {
  const i = v.indexOf('/');
  return [v.slice(0, i), v.slice(i + 1)];
}

export function endpointMatches(e: Endpoint, kind: 'ns' | 'wl' | 'pod' | 'node', value: string): boolean {
  switch (kind) {
    case 'ns':
      return e.namespace === value;
    case 'node':
      return e.node === value;
    case 'wl': {
      const [ns, name] = splitNsName(value);
      return e.namespace === ns && (e.workload === name || (e.workload === '' && e.name === name));
    }
    case 'pod': {
      const [ns, name] = splitNsName(value);
      return e.namespace === ns && e.name === name && e.kind === 'pod';
    }
  }
}

function text(e: Endpoint): string {
  return `${e.namespace}/${e.name} ${e.workload} ${e.service} ${e.ip} ${e.node} ${e.kind}`.toLowerCase();
}

/** The two ends of an edge focus (`<source>-><target>`, source the client), or null for a node focus. */
export function focusEdge(focus: string): [string, string] | null {
  const edge = parseEdgeId(focus);
  return edge ? [edge.source, edge.target] : null;
}

/**
 * An edge end is a map node id; an endpoint is that end when it rolls up to that id at the end's level.
 * `others` folds whatever did not fit the map, so any endpoint may be behind it.
 */
export function edgeEndMatcher(end: string): (e: Endpoint) => boolean {
  if (parseNodeId(end)?.kind === 'others') return () => true;
  const level = levelOfNodeId(end);
  return (e) => levelNode(e, level).id === end;
}

/** What pairMatcher returns for a filter that keeps every pair, so hot loops can skip the call. */
export const MATCH_ALL: PairMatcher = () => true;

export function pairMatcher(f: FilterState): PairMatcher {
  const tests: PairMatcher[] = [];
  if (f.namespace.length > 0) {
    const ns = new Set(f.namespace);
    tests.push((a, b) => ns.has(a.namespace) || ns.has(b.namespace));
  }
  if (f.pod) tests.push((a, b) => endpointMatches(a, 'pod', f.pod) || endpointMatches(b, 'pod', f.pod));
  if (f.workload)
    tests.push((a, b) => endpointMatches(a, 'wl', f.workload) || endpointMatches(b, 'wl', f.workload));
  const edge = focusEdge(f.focus);
  if (edge) {
    const [client, server] = edge.map(edgeEndMatcher) as [(e: Endpoint) => boolean, (e: Endpoint) => boolean];
    tests.push((a, b) => client(a) && server(b));
  } else if (f.focus) {
    // parseFilter lets through ns:, wl:, pod: and node: foci only.
    const n = parseNodeId(f.focus);
    if (n && (n.kind === 'ns' || n.kind === 'wl' || n.kind === 'pod' || n.kind === 'node')) {
      const value = n.kind === 'wl' || n.kind === 'pod' ? `${n.namespace}/${n.name}` : n.name;
      const kind = n.kind;
      tests.push((a, b) => endpointMatches(a, kind, value) || endpointMatches(b, kind, value));
    }
  }
  if (f.protocol) tests.push((_a, _b, proto) => proto === f.protocol);
  if (f.port !== null) tests.push((_a, _b, _p, port) => port === f.port);
  if (f.q) {
    const q = f.q.toLowerCase();
    tests.push((a, b) => text(a).includes(q) || text(b).includes(q));
  }
  if (tests.length === 0) return MATCH_ALL;
  return (a, b, proto, port) => tests.every((t) => t(a, b, proto, port));
}
