import type { Endpoint } from '@weft/protocol';
import type { Store } from '../store/store.js';
import { endpointIs, type Subject } from './subject.js';

/** What the store has seen, to tell a subject that exists from a typo. */
export interface KnownNames {
  namespaces: Set<string>;
  nodes: Set<string>;
  /** `ns/name` of pods, workloads and services. */
  names: Set<string>;
  ips: Set<string>;
}

/**
 * Whether any stored series names the subject: a scan that stops at the first, with no strings built
 * (the full list of names, for suggestions, is made only when a subject is not found).
 */
export function subjectSeen(store: Store, s: Subject): boolean {
  for (const e of store.edges) if (endpointIs(e.client, s) || endpointIs(e.server, s)) return true;
  for (const d of store.dns.values()) if (endpointIs(d.client, s)) return true;
  return false;
}

/** What resolveSubject asks the store. */
export interface SubjectLookup {
  seen: (s: Subject) => boolean;
  endpointAt: (ip: string) => Endpoint | null;
  /** Every name seen, for near matches: only asked for when a subject is not found. */
  known: () => KnownNames;
}

export function storeLookup(store: Store): SubjectLookup {
  let known: KnownNames | null = null;
  return {
    seen: (s) => subjectSeen(store, s),
    endpointAt: (ip) => store.endpointAt(ip),
    known: () => (known ??= knownNames(store)),
  };
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
export function resolveSubject(s: Subject, lookup: SubjectLookup): { subject: Subject } | { error: string } {
  const { seen, known } = lookup;
  switch (s.kind) {
    case 'bare': {
      const ns: Subject = { kind: 'namespace', namespace: s.label, text: s.text };
      if (seen(ns)) return { subject: ns };
      const node: Subject = { kind: 'node', node: s.label, text: s.text };
      if (seen(node)) return { subject: node };
      const k = known();
      return {
        error: notFound('namespace or node', s.label, nearMatches(s.label, [...k.namespaces, ...k.nodes])),
      };
    }
    case 'namespace':
      return seen(s)
        ? { subject: s }
        : { error: notFound('namespace', s.namespace, nearMatches(s.namespace, known().namespaces)) };
    case 'node':
      return seen(s)
        ? { subject: s }
        : { error: notFound('node', s.node, nearMatches(s.node, known().nodes)) };
    case 'name': {
      const v = `${s.namespace}/${s.name}`;
      return seen(s)
        ? { subject: s }
        : { error: notFound('pod, workload or service', v, nearMatches(v, known().names)) };
    }
    case 'ip': {
      const ep = lookup.endpointAt(s.ip);
      if (ep) return { subject: { ...s, ep } };
      return seen(s)
        ? { subject: s }
        : { error: notFound('endpoint at', s.ip, nearMatches(s.ip, known().ips)) };
    }
    case 'dns_name': {
      const svc = s.service;
      if (!svc) return { subject: s };
      const asService: Subject = {
        kind: 'name',
        namespace: svc.namespace,
        name: svc.name,
        only: 'service',
        text: s.text,
      };
      if (seen(asService)) return { subject: s };
      // A two-label name may be outside the cluster after all (`example.com`): only the svc form insists.
      if (!/\.svc(\.cluster\.local)?$/.test(s.name)) return { subject: { ...s, service: null } };
      const v = `${svc.namespace}/${svc.name}`;
      return { error: notFound('service', v, nearMatches(v, known().names)) };
    }
  }
}
