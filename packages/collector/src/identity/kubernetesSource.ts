import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  type KubernetesObject,
  ListWatch,
  type V1Node,
  type V1Pod,
  type V1ReplicaSet,
  type V1Service,
  Watch,
} from '@kubernetes/client-node';
import { type BackoffOptions, backoffDelay } from '../stream/backoff.js';
import type { IdentitySource } from './identitySource.js';
import type { IdentityTable, NodeInfo, PodInfo, ServiceInfo } from './identityTable.js';

export interface KubernetesSourceOptions {
  table: IdentityTable;
  kubeConfig: KubeConfig;
  /** This node: without remote context only its pods are watched (field selector spec.nodeName). */
  node: string;
  remoteContext: boolean;
  backoff?: BackoffOptions;
  onError?: (err: Error) => void;
}

interface Owner {
  kind: string;
  name: string;
}

function controllerOf(meta: {
  ownerReferences?: { kind: string; name: string; controller?: boolean }[];
}): Owner | null {
  const refs = meta.ownerReferences ?? [];
  const c = refs.find((r) => r.controller) ?? refs[0];
  return c ? { kind: c.kind, name: c.name } : null;
}

/** Pure: a Pod object (list or watch JSON) -> the table's PodInfo; null when it holds no pod IP of its own. */
export function podInfo(
  pod: V1Pod,
  replicaSetOwner: (ns: string, rs: string) => Owner | null,
): PodInfo | null {
  const meta = pod.metadata;
  if (!meta?.name || !meta.namespace) return null;
  // Host-network pods share the node's address: that address names the host, not them.
  if (pod.spec?.hostNetwork) return null;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return null;
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => Boolean(ip));
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  if (ips.length === 0) return null;
  let owner = controllerOf(meta);
  if (owner?.kind === 'ReplicaSet') owner = replicaSetOwner(meta.namespace, owner.name) ?? owner;
  return {
    uid: meta.uid ?? `${meta.namespace}/${meta.name}`,
    namespace: meta.namespace,
    name: meta.name,
    ips: ips.slice(0, 4),
    node: pod.spec?.nodeName ?? '',
    workloadKind: owner?.kind ?? 'Pod',
    workload: owner?.name ?? meta.name,
    labels: meta.labels ?? {},
  };
}

export function serviceInfo(svc: V1Service): ServiceInfo | null {
  const meta = svc.metadata;
  if (!meta?.name || !meta.namespace) return null;
  const ips = svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : []);
  return {
    namespace: meta.namespace,
    name: meta.name,
    clusterIPs: ips.filter((ip) => ip && ip !== 'None'),
    selector: svc.spec?.selector ?? {},
  };
}

export function nodeInfo(node: V1Node): NodeInfo | null {
  const name = node.metadata?.name;
  if (!name) return null;
  const ips = (node.status?.addresses ?? [])
    .filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP')
    .map((a) => a.address);
  return { name, ips };
}

/**
 * Pods, Services, Nodes and ReplicaSets through @kubernetes/client-node informers (list, then watch
 * from the list's resourceVersion). The informer relists on 410 Gone and resumes a watch that simply
 * ended; a watch that failed is restarted here with backoff, from the last resourceVersion it saw.
 */
export function startKubernetesSource(opts: KubernetesSourceOptions): IdentitySource {
  const { table, kubeConfig } = opts;
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const watch = new Watch(kubeConfig);
  const backoff = opts.backoff ?? { initialMs: 500, maxMs: 30_000 };
  const podSelector = opts.remoteContext ? undefined : `spec.nodeName=${opts.node}`;

  const rsOwners = new Map<string, Owner>();
  const rsOwner = (ns: string, rs: string) => rsOwners.get(`${ns}/${rs}`) ?? null;
  const podsByUid = new Map<string, V1Pod>();

  const applyPod = (pod: V1Pod) => {
    const uid = pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    const info = podInfo(pod, rsOwner);
    if (info) {
      podsByUid.set(uid, pod);
      table.upsertPod(info);
    } else {
      podsByUid.delete(uid);
      table.deletePod(uid);
    }
  };
  const removePod = (pod: V1Pod) => {
    const uid = pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    podsByUid.delete(uid);
    table.deletePod(uid);
  };
  const applyReplicaSet = (rs: V1ReplicaSet) => {
    const ns = rs.metadata?.namespace;
    const name = rs.metadata?.name;
    if (!ns || !name) return;
    const owner = rs.metadata ? controllerOf(rs.metadata) : null;
    const key = `${ns}/${name}`;
    const prev = rsOwners.get(key);
    if (owner) rsOwners.set(key, owner);
    else rsOwners.delete(key);
    if (prev?.kind === owner?.kind && prev?.name === owner?.name) return;
    // Pods seen before their ReplicaSet get their Deployment now.
    for (const pod of podsByUid.values()) {
      if (pod.metadata?.namespace === ns && controllerOf(pod.metadata)?.name === name) applyPod(pod);
    }
  };

  const informers: ListWatch<KubernetesObject>[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  function inform<T extends KubernetesObject>(
    path: string,
    list: () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>,
    onUpsert: (o: T) => void,
    onDelete: (o: T) => void,
    fieldSelector?: string,
  ): ListWatch<T> {
    const lw = new ListWatch<T>(path, watch, list as never, false, undefined, fieldSelector);
    lw.on('add', onUpsert);
    lw.on('update', onUpsert);
    lw.on('delete', onDelete);
    let attempt = 0;
    lw.on('connect', () => {
      attempt = 0;
    });
    lw.on('error', (err: unknown) => {
      if (stopped) return;
      opts.onError?.(new Error(`kubernetes ${path}: ${(err as Error)?.message ?? String(err)}`));
      const t = setTimeout(
        () => {
          timers.delete(t);
          if (!stopped) lw.start().catch((e: Error) => opts.onError?.(e));
        },
        backoffDelay(attempt++, backoff),
      );
      timers.add(t);
    });
    informers.push(lw as unknown as ListWatch<KubernetesObject>);
    return lw;
  }

  const rsInformer = inform<V1ReplicaSet>(
    '/apis/apps/v1/replicasets',
    () => apps.listReplicaSetForAllNamespaces(),
    applyReplicaSet,
    (rs) => {
      if (rs.metadata?.namespace && rs.metadata.name)
        rsOwners.delete(`${rs.metadata.namespace}/${rs.metadata.name}`);
    },
  );
  const svcInformer = inform<V1Service>(
    '/api/v1/services',
    () => core.listServiceForAllNamespaces(),
    (s) => {
      const info = serviceInfo(s);
      if (info) table.upsertService(info);
    },
    (s) => {
      if (s.metadata?.namespace && s.metadata.name)
        table.deleteService(s.metadata.namespace, s.metadata.name);
    },
  );
  const nodeInformer = inform<V1Node>(
    '/api/v1/nodes',
    () => core.listNode(),
    (n) => {
      const info = nodeInfo(n);
      if (info) table.upsertNode(info);
    },
    (n) => {
      if (n.metadata?.name) table.deleteNode(n.metadata.name);
    },
  );
  const podInformer = inform<V1Pod>(
    '/api/v1/pods',
    () => core.listPodForAllNamespaces(podSelector ? { fieldSelector: podSelector } : {}),
    applyPod,
    removePod,
    podSelector,
  );

  // ReplicaSets first so pods arrive with their Deployment already known. Not awaited here: an API
  // server that accepts and never answers must not hold the collector's start (the informers keep trying).
  const synced = (async () => {
    await rsInformer.start();
    await Promise.all([svcInformer.start(), nodeInformer.start(), podInformer.start()]);
  })().catch((err: Error) => opts.onError?.(err));

  return {
    kind: 'kubernetes',
    table,
    synced: synced.then(() => {}),
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all(informers.map((i) => i.stop()));
    },
  };
}
