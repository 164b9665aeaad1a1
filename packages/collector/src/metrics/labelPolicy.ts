import type { Endpoint } from '@weft/protocol/core';
import type { MetricsLevel } from '../config.js';

/**
 * Which identity labels a series carries, like Retina's MetricsConfiguration: at `pod` level the pod
 * labels hold pod names; at `workload` level they hold the workload (all replicas share a series); at
 * `namespace` level they stay empty. Namespace labels are always filled. Series are kept only when
 * one of their namespaces passes the include/exclude lists.
 */
export interface LabelPolicy {
  level: MetricsLevel;
  include: ReadonlySet<string>;
  exclude: ReadonlySet<string>;
}

export function makeLabelPolicy(
  level: MetricsLevel,
  include: string[] = [],
  exclude: string[] = [],
): LabelPolicy {
  return { level, include: new Set(include), exclude: new Set(exclude) };
}

export function namespaceLabel(e: Endpoint): string {
  return e.kind === 'pod' || e.kind === 'service' ? e.namespace : '';
}

export function podLabel(e: Endpoint, level: MetricsLevel): string {
  if (e.kind !== 'pod') return '';
  if (level === 'pod') return e.name;
  if (level === 'workload') return e.workload || e.name;
  return '';
}

function allowedNamespace(p: LabelPolicy, ns: string): boolean {
  return (p.include.size === 0 || p.include.has(ns)) && !p.exclude.has(ns);
}

/** A series is exported when one of its (non-empty) namespaces is allowed. */
export function seriesAllowed(p: LabelPolicy, ...namespaces: string[]): boolean {
  if (p.include.size === 0 && p.exclude.size === 0) return true;
  let any = false;
  for (const ns of namespaces) {
    if (ns === '') continue;
    any = true;
    if (allowedNamespace(p, ns)) return true;
  }
  // Traffic naming no namespace at all (node <-> world) is only kept without an include list.
  return !any && p.include.size === 0;
}

/** Label values stay printable and bounded whatever a DNS packet claimed. */
export function cleanToken(v: string, max = 16): string {
  const s = v.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return s.length > max ? s.slice(0, max) : s;
}

/** A DNS name as a label value: lower case, printable, at most a DNS name's length. */
export function cleanQuery(v: string): string {
  const s = v.toLowerCase().replace(/[^a-z0-9._-]/g, '_');
  return s.length > 253 ? s.slice(0, 253) : s;
}
