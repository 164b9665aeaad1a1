import type { Endpoint } from '@weft/protocol';
import type { Store } from '../store/store.js';
import type { Subject } from './subject.js';

/** What the store has seen, to tell a subject that exists from a typo. */
export interface KnownNames {
  namespaces: Set<string>;
  nodes: Set<string>;
  /** `ns/name` of pods, workloads and services. */
  names: Set<string>;
  ips: Set<string>;
}

export function knownNames(store: Store): KnownNames {
  const k: KnownNames = { namespaces: new Set(), nodes: new Set(), names: new Set(), ips: new Set() };
  const add = (e: Endpoint) => {
    if (e.ip) k.ips.add(e.ip);
    if (e.node) k.nodes.add(e.node);
    if (e.kind !== 'pod' && e.kind !== 'service') return;
    k.namespaces.add(e.namespace);
    k.names.add(`${e.namespace}/${e.name}`);
    if (e.workload) k.names.add(`${e.namespace}/${e.workload}`);
    if (e.service) k.names.add(`${e.namespace}/${e.service}`);
  };
  for (const s of store.edges) {
    add(s.client);
    add(s.server);
  }
  for (const s of store.dns.values()) add(s.client);
  return k;
}

/** Edit distance, cut off above `max` (names are short; this runs over a few thousand of them). */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Up to three known values close to `v`: containing it, contained in it, or a few edits away. */
export function nearMatches(v: string, known: Iterable<string>): string[] {
  const scored: [number, string][] = [];
  const max = Math.max(2, Math.floor(v.length / 4));
  for (const k of known) {
    const d = k.includes(v) || v.includes(k) ? 0.5 : distance(v, k, max);
    if (d <= max) scored.push([d, k]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]))
    .slice(0, 3)
    .map(([, k]) => k);
}

function notFound(what: string, v: string, near: string[]): string {
  return `no ${what} "${v}" seen${near.length > 0 ? `; did you mean ${near.join(', ')}?` : ''}`;
}

/**
 * The subject as the store knows it: a bare label becomes a namespace or a node, an IP the pod or
 * service last seen there. Anything the store never saw is an error naming it, with near matches (a
 * DNS name outside the cluster cannot be checked: the store keeps only the names that failed).
 */
export function resolveSubject(
  s: Subject,
  known: KnownNames,
  endpointAt: (ip: string) => Endpoint | null,
): { subject: Subject } | { error: string } {
  switch (s.kind) {
    case 'bare':
      if (known.namespaces.has(s.label))
        return { subject: { kind: 'namespace', namespace: s.label, text: s.text } };
      if (known.nodes.has(s.label)) return { subject: { kind: 'node', node: s.label, text: s.text } };
      return {
        error: notFound(
          'namespace or node',
          s.label,
          nearMatches(s.label, [...known.namespaces, ...known.nodes]),
        ),
      };
    case 'namespace':
      return known.namespaces.has(s.namespace)
        ? { subject: s }
        : { error: notFound('namespace', s.namespace, nearMatches(s.namespace, known.namespaces)) };
    case 'node':
      return known.nodes.has(s.node)
        ? { subject: s }
        : { error: notFound('node', s.node, nearMatches(s.node, known.nodes)) };
    case 'name': {
      const v = `${s.namespace}/${s.name}`;
      return known.names.has(v)
        ? { subject: s }
        : { error: notFound('pod, workload or service', v, nearMatches(v, known.names)) };
    }
    case 'ip': {
      const ep = endpointAt(s.ip);
      if (ep) return { subject: { ...s, ep } };
      return known.ips.has(s.ip)
        ? { subject: s }
        : { error: notFound('endpoint at', s.ip, nearMatches(s.ip, known.ips)) };
    }
    case 'dns_name': {
      const svc = s.service;
      if (!svc || known.names.has(`${svc.namespace}/${svc.name}`)) return { subject: s };
      // A two-label name may be outside the cluster after all (`example.com`): only the svc form insists.
      if (!/\.svc(\.cluster\.local)?$/.test(s.name)) return { subject: { ...s, service: null } };
      const v = `${svc.namespace}/${svc.name}`;
      return { error: notFound('service', v, nearMatches(v, known.names)) };
    }
  }
}
