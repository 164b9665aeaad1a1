import { createHash } from 'node:crypto';
import type { ChangedObjectKind, ObjectChange } from '@weft/protocol/core';

/**
 * An object as change detection compares it: what makes a change of its kind and nothing else, so a
 * status-only update (a Service's load balancer status, a pod's conditions, a Deployment's replica
 * counts) compares equal. A few hundred bytes whatever the object's size.
 */
export interface Tracked {
  kind: ChangedObjectKind;
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: string;
  /** A pod's workload, an EndpointSlice's Service, else the object's own name. */
  owner: string;
  /** Service: type, selector, ports; EndpointSlice: ready addresses and ports; workload: its pod template's hash. */
  shape: string;
  /** EndpointSlice: ready endpoints; Pod: container restarts (summed); else 0. */
  count: number;
}

type Meta = {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
};

function base(kind: ChangedObjectKind, meta: Meta | undefined, owner?: string) {
  if (!meta?.name || !meta.namespace) return null;
  return {
    kind,
    namespace: meta.namespace,
    name: meta.name,
    uid: meta.uid ?? `${meta.namespace}/${meta.name}`,
    resourceVersion: meta.resourceVersion ?? '',
    owner: owner || meta.name,
  };
}

export interface ServiceLike {
  metadata?: Meta;
  spec?: { type?: string; selector?: Record<string, string>; ports?: unknown[] };
}

/** Pure: a Service's type, selector and ports (what routes traffic); its status does not count. */
export function trackService(s: ServiceLike): Tracked | null {
  const b = base('Service', s.metadata);
  if (!b) return null;
  const selector = Object.entries(s.spec?.selector ?? {}).sort();
  const shape = JSON.stringify([s.spec?.type ?? 'ClusterIP', selector, s.spec?.ports ?? []]);
  return { ...b, shape, count: 0 };
}

export interface EndpointSliceLike {
  metadata?: Meta;
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean | null } }[];
  ports?: { name?: string; port?: number; protocol?: string }[];
}

/** Pure: an EndpointSlice's ready addresses and ports (a ready condition that is absent means ready). */
export function trackEndpointSlice(e: EndpointSliceLike): Tracked | null {
  const b = base('EndpointSlice', e.metadata, e.metadata?.labels?.['kubernetes.io/service-name']);
  if (!b) return null;
  const ready = (e.endpoints ?? [])
    .filter((ep) => ep.conditions?.ready !== false)
    .flatMap((ep) => ep.addresses ?? [])
    .sort();
  const ports = (e.ports ?? []).map((p) => `${p.name ?? ''}:${p.port ?? ''}/${p.protocol ?? 'TCP'}`).sort();
  return { ...b, shape: JSON.stringify([ready, ports]), count: ready.length };
}

export interface WorkloadLike {
  metadata?: Meta;
  spec?: { template?: unknown };
}

/**
 * Pure: a Deployment's, StatefulSet's or DaemonSet's pod template, hashed: a rollout is a template
 * change; scaling (replicas) and status updates are not.
 */
export function trackWorkload(
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet',
  w: WorkloadLike,
): Tracked | null {
  const b = base(kind, w.metadata);
  if (!b) return null;
  const shape = createHash('sha256')
    .update(JSON.stringify(w.spec?.template ?? null))
    .digest('base64url')
    .slice(0, 22);
  return { ...b, shape, count: 0 };
}

export interface PodLike {
  metadata?: Meta;
  status?: { containerStatuses?: { restartCount?: number }[] };
}

/** Pure: a pod's container restarts, summed; `owner` is its workload (the pod's name when it has none). */
export function trackPod(p: PodLike, owner: string): Tracked | null {
  const b = base('Pod', p.metadata, owner);
  if (!b) return null;
  const restarts = (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  return { ...b, shape: '', count: restarts };
}

/**
 * Pure: what changed between an object's previous and new state (undefined: not there), or null when
 * nothing that counts did. Pods count only restarts (the count rising) and deletion: a pod's creation
 * is its workload's doing, and its status churns. A workload counts its template (a rollout), its
 * creation and its deletion; Services and EndpointSlices their shape, creation and deletion.
 */
export function changeBetween(
  before: Tracked | undefined,
  after: Tracked | undefined,
  at: number,
): ObjectChange | null {
  const t = after ?? before;
  if (!t) return null;
  const change = (change: ObjectChange['change'], detail: string): ObjectChange => ({
    id: `${t.uid}@${t.resourceVersion}:${change}`,
    at,
    kind: t.kind,
    change,
    namespace: t.namespace,
    name: t.name,
    owner: t.owner,
    detail,
  });
  if (t.kind === 'Pod') {
    if (before && !after) return change('deleted', `restarts ${before.count}`);
    if (before && after && after.count > before.count)
      return change('restarted', `restarts ${before.count} -> ${after.count}`);
    return null;
  }
  if (!before) return change('created', t.kind === 'EndpointSlice' ? `ready endpoints ${t.count}` : '');
  if (!after) return change('deleted', '');
  if (before.shape === after.shape) return null;
  if (t.kind === 'Service') return change('updated', 'type, selector or ports');
  if (t.kind === 'EndpointSlice')
    return change('updated', `ready endpoints ${before.count} -> ${after.count}`);
  return change('rolled_out', 'pod template changed');
}
