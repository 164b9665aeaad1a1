import {
  type FilterState,
  type GraphNode,
  kubeNodeId,
  namespaceNodeId,
  parseEdgeId,
  parseNodeId,
  workloadNodeId,
} from '@weft/protocol';

/**
 * Drill-down as URL transitions: a namespace opens into its workloads, a workload into its pods, a
 * Kubernetes node into the pods it runs, a pod into its own flows and metrics. Every step is a
 * `focus` + `level` pair (plus the `workload` it came through, so breadcrumbs can lead back).
 */
export type FocusKind = 'ns' | 'wl' | 'pod' | 'node';

export interface ParsedFocus {
  kind: FocusKind;
  namespace: string;
  name: string;
}

/** A node focus the map drills through (namespace, workload, pod, Kubernetes node), or null. */
export function parseFocus(focus: string): ParsedFocus | null {
  const n = parseNodeId(focus);
  if (!n || (n.kind !== 'ns' && n.kind !== 'wl' && n.kind !== 'pod' && n.kind !== 'node')) return null;
  return { kind: n.kind, namespace: n.namespace, name: n.name };
}

/** An edge as focus (`<source>-><target>`, the map's edge id): the map opens with it selected. */
export interface EdgeFocus {
  source: string;
  target: string;
}

export function parseEdgeFocus(focus: string): EdgeFocus | null {
  return parseEdgeId(focus);
}

/** The namespace a map node id lives in, or '' (world, hosts, nodes, others). */
export function nodeNamespace(id: string): string {
  return parseNodeId(id)?.namespace ?? '';
}

/** The URL patch for clicking a map node, or null when the node does not open (world, host, others). */
export function drillInto(node: Pick<GraphNode, 'id' | 'kind'>): Partial<FilterState> | null {
  const f = parseFocus(node.id);
  if (!f) return null;
  switch (f.kind) {
    case 'ns':
      return { focus: node.id, level: 'workload', workload: '', pod: '' };
    case 'wl':
      return { focus: node.id, level: 'pod', workload: `${f.namespace}/${f.name}`, pod: '' };
    case 'pod':
      return { focus: node.id, level: 'pod', pod: '' };
    case 'node':
      return { focus: node.id, level: 'pod', workload: '', pod: '' };
  }
}

export interface Crumb {
  label: string;
  /** Full text for the title attribute (labels may be truncated). */
  title: string;
  patch: Partial<FilterState>;
  current: boolean;
}

const ROOT_NS: Partial<FilterState> = { focus: '', level: 'namespace', workload: '', pod: '' };
const ROOT_NODES: Partial<FilterState> = { focus: '', level: 'node', workload: '', pod: '' };

/** Breadcrumbs from the cluster down to the current focus; the last one is where we are. */
export function breadcrumbs(state: Pick<FilterState, 'focus' | 'level' | 'workload'>): Crumb[] {
  const f = parseFocus(state.focus);
  const crumbs: Crumb[] = [];
  const push = (label: string, patch: Partial<FilterState>) =>
    crumbs.push({ label, title: label, patch, current: false });
  const edge = parseEdgeFocus(state.focus);
  if (edge) {
    // An edge opens from the map of its source's namespace (or the whole level when it has none).
    const ns = nodeNamespace(edge.source) || nodeNamespace(edge.target);
    if (state.level === 'node') push('All nodes', ROOT_NODES);
    else push('All namespaces', ROOT_NS);
    if (ns && state.level !== 'namespace' && state.level !== 'node')
      push(ns, { focus: namespaceNodeId(ns), level: 'workload', workload: '', pod: '' });
    const label = `${shortName(edge.source)} → ${shortName(edge.target)}`;
    crumbs.push({
      label,
      title: `${edge.source} → ${edge.target}`,
      patch: { focus: state.focus },
      current: false,
    });
  } else if (f?.kind === 'node' || (!f && state.level === 'node')) {
    push('All nodes', ROOT_NODES);
    if (f) push(`node ${f.name}`, { focus: state.focus, level: 'pod', workload: '', pod: '' });
  } else {
    push('All namespaces', ROOT_NS);
    if (f) {
      push(f.namespace, { focus: namespaceNodeId(f.namespace), level: 'workload', workload: '', pod: '' });
      const wl = state.workload.startsWith(`${f.namespace}/`)
        ? state.workload.slice(f.namespace.length + 1)
        : '';
      if (f.kind === 'wl') {
        push(f.name, { focus: state.focus, level: 'pod', workload: `${f.namespace}/${f.name}`, pod: '' });
      } else if (f.kind === 'pod') {
        if (wl)
          push(wl, {
            focus: workloadNodeId(f.namespace, wl),
            level: 'pod',
            workload: state.workload,
            pod: '',
          });
        push(f.name, { focus: state.focus, level: 'pod', workload: state.workload, pod: '' });
      }
    }
  }
  crumbs[crumbs.length - 1]!.current = true;
  return crumbs;
}

/** A node id without its kind and namespace: `pod:production/api-1` reads `api-1`. */
function shortName(id: string): string {
  const n = parseNodeId(id);
  return n?.name || id;
}

/** One level up from the current focus (Escape / Backspace on the map). */
export function drillUp(
  state: Pick<FilterState, 'focus' | 'level' | 'workload'>,
): Partial<FilterState> | null {
  const crumbs = breadcrumbs(state);
  if (crumbs.length < 2) return null;
  return crumbs[crumbs.length - 2]!.patch;
}

/**
 * The API query for a URL state: the focus implies a namespace, workload or pod filter, so the server
 * returns the focused thing and its peers even if it reads only the plain filter parameters.
 */
export function apiParams(state: FilterState, extra: Record<string, string> = {}): URLSearchParams {
  const p = new URLSearchParams();
  const f = parseFocus(state.focus);
  const edge = parseEdgeFocus(state.focus);
  if (state.level) p.set('level', state.level);
  let namespace = state.namespace;
  // The server filters by nodes; an edge focus asks for the namespaces of its two ends instead.
  if (edge && namespace.length === 0) {
    namespace = [...new Set([nodeNamespace(edge.source), nodeNamespace(edge.target)].filter(Boolean))];
  }
  let workload = state.workload;
  let pod = state.pod;
  if (f?.kind === 'ns' && namespace.length === 0) namespace = [f.namespace];
  if (f?.kind === 'wl' && !workload) workload = `${f.namespace}/${f.name}`;
  if (f?.kind === 'pod' && !pod) pod = `${f.namespace}/${f.name}`;
  if (f?.kind === 'pod') workload = '';
  if (state.focus && !edge) p.set('focus', state.focus);
  if (namespace.length > 0) p.set('namespace', namespace.join(','));
  if (workload) p.set('workload', workload);
  if (pod) p.set('pod', pod);
  if (state.protocol) p.set('protocol', state.protocol);
  if (state.port !== null) p.set('port', String(state.port));
  if (state.verdict) p.set('verdict', state.verdict);
  if (state.reason) p.set('reason', state.reason);
  if (state.q) p.set('q', state.q);
  p.set('from', state.from);
  p.set('to', state.to);
  // The moment and the baseline: without them every REST answer would be live, whatever the timeline says.
  if (state.at) p.set('at', state.at);
  if (state.compare) p.set('compare', state.compare);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p;
}

/**
 * A map node as a diagnose subject: `ns/name` for pods, workloads and services, `ns:<namespace>` and
 * `node:<node>` (a node's host too) as they are; '' for what diagnose cannot name (world, others).
 */
export function subjectFor(nodeId: string): string {
  const n = parseNodeId(nodeId);
  if (!n) return '';
  switch (n.kind) {
    case 'pod':
    case 'wl':
    case 'svc':
      return `${n.namespace}/${n.name}`;
    case 'ns':
      return namespaceNodeId(n.namespace);
    case 'node':
    case 'host':
      return n.name ? kubeNodeId(n.name) : '';
    default:
      return '';
  }
}
