import type { BackoffOptions } from '../stream/backoff.js';
import type { IdentitySource } from './identitySource.js';
import type { IdentityTable, NodeInfo, PodInfo, ServiceInfo } from './identityTable.js';
import type { KubeConnection } from './kubeConnection.js';
import type {
  EndpointSlice,
  KubeObject,
  Namespace,
  NetworkPolicyObject,
  Node,
  ObjectMeta,
  Pod,
  ReplicaSet,
  Service,
  Workload,
} from './kubeObjects.js';
import { type ListWatch, startListWatch } from './listWatch.js';
import { trackEndpointSlice, trackPod, trackService, trackWorkload } from './objectChanges.js';
import type { PolicyContextFeed } from './policyContextFeed.js';

export interface KubernetesSourceOptions {
  table: IdentityTable;
  connection: KubeConnection;
  /** This node: without remote context only its pods are watched (field selector spec.nodeName). */
  node: string;
  remoteContext: boolean;
  /** Fed namespaces, NetworkPolicies and this node's pods (two more list/watch loops), for the server's policy explanations. */
  context?: PolicyContextFeed;
  backoff?: BackoffOptions;
  onError?: (err: Error) => void;
}

interface Owner {
  kind: string;
  name: string;
}

function controllerOf(meta: ObjectMeta): Owner | null {
  const refs = meta.ownerReferences ?? [];
  const c = refs.find((r) => r.controller) ?? refs[0];
  return c ? { kind: c.kind, name: c.name } : null;
}

/** Pure: a Pod object (list or watch JSON) -> the table's PodInfo; null when it holds no pod IP of its own. */
export function podInfo(pod: Pod, replicaSetOwner: (ns: string, rs: string) => Owner | null): PodInfo | null {
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

export function serviceInfo(svc: Service): ServiceInfo | null {
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

export function nodeInfo(node: Node): NodeInfo | null {
  const name = node.metadata?.name;
  if (!name) return null;
  const ips = (node.status?.addresses ?? [])
    .filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP')
    .map((a) => a.address);
  return { name, ips };
}

/** What is kept of each kind between events: the fields the helpers above read, and the keys. */
function keepMeta(m: ObjectMeta | undefined, withOwners: boolean): ObjectMeta {
  const out: ObjectMeta = {};
  if (m?.name) out.name = m.name;
  if (m?.namespace) out.namespace = m.namespace;
  if (m?.uid) out.uid = m.uid;
  // Names a change (objectChanges.ts) so that collectors seeing the same one send the same id.
  if (m?.resourceVersion) out.resourceVersion = m.resourceVersion;
  if (withOwners && m?.ownerReferences)
    out.ownerReferences = m.ownerReferences.map((r) => ({
      kind: r.kind,
      name: r.name,
      controller: r.controller,
    }));
  return out;
}

/** Pure: a Pod reduced to what podInfo reads (a listed pod is ~5-10 KB of JSON; this is a few hundred bytes). */
export function keepPod(pod: Pod): Pod {
  const meta = keepMeta(pod.metadata, true);
  if (pod.metadata?.labels) meta.labels = pod.metadata.labels;
  return {
    metadata: meta,
    spec: { nodeName: pod.spec?.nodeName, hostNetwork: pod.spec?.hostNetwork },
    status: {
      phase: pod.status?.phase,
      podIP: pod.status?.podIP,
      podIPs: pod.status?.podIPs?.map((p) => ({ ip: p.ip })),
      containerStatuses: pod.status?.containerStatuses?.map((c) => ({ restartCount: c.restartCount })),
    },
  };
}

/** Pure: a Service reduced to what serviceInfo and change detection read (not its status). */
export function keepService(s: Service): Service {
  return {
    metadata: keepMeta(s.metadata, false),
    spec: {
      clusterIP: s.spec?.clusterIP,
      clusterIPs: s.spec?.clusterIPs,
      selector: s.spec?.selector,
      type: s.spec?.type,
      ports: s.spec?.ports,
    },
  };
}

/** Pure: an EndpointSlice reduced to its Service's name, its endpoints' addresses and readiness, and ports. */
export function keepEndpointSlice(e: EndpointSlice): EndpointSlice {
  const meta = keepMeta(e.metadata, false);
  const service = e.metadata?.labels?.['kubernetes.io/service-name'];
  if (service) meta.labels = { 'kubernetes.io/service-name': service };
  return {
    metadata: meta,
    endpoints: (e.endpoints ?? []).map((ep) => ({
      addresses: ep.addresses,
      conditions: { ready: ep.conditions?.ready ?? null },
    })),
    ports: (e.ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
  };
}

/** Pure: a NetworkPolicy reduced to what the server's parser reads and the time it was created. */
export function keepNetworkPolicy(p: NetworkPolicyObject): NetworkPolicyObject {
  const meta = keepMeta(p.metadata, false);
  // A resend per resourceVersion would be no change to the server: only the spec is compared.
  delete meta.resourceVersion;
  if (p.metadata?.creationTimestamp) meta.creationTimestamp = p.metadata.creationTimestamp;
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta, spec: p.spec };
}

/**
 * Pods, Services, Nodes and ReplicaSets (and, with a context feed, Namespaces and NetworkPolicies) through our own list/watch loops (listWatch.ts): list, then
 * watch from the list's resourceVersion; 410 Gone relists (deleting what vanished), a watch that ended
 * is resumed, failures are retried with backoff. stop() ends the four loops and their connections.
 */
export function startKubernetesSource(opts: KubernetesSourceOptions): IdentitySource {
  const { table, connection } = opts;
  const backoff = opts.backoff ?? { initialMs: 500, maxMs: 30_000 };
  const podSelector = opts.remoteContext ? undefined : `spec.nodeName=${opts.node}`;
  const onError = opts.onError ?? (() => {});

  const rsOwners = new Map<string, Owner>();
  const rsOwner = (ns: string, rs: string) => rsOwners.get(`${ns}/${rs}`) ?? null;
  const podUid = (pod: Pod) => pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`;

  const context = opts.context;
  const changes = context?.objects;
  const workloadOf = (pod: Pod): string => {
    const meta = pod.metadata;
    let owner = meta ? controllerOf(meta) : null;
    if (owner?.kind === 'ReplicaSet' && meta?.namespace) owner = rsOwner(meta.namespace, owner.name) ?? owner;
    return owner?.name ?? meta?.name ?? '';
  };
  const applyPod = (pod: Pod) => {
    const tracked = changes ? trackPod(pod, workloadOf(pod)) : null;
    if (tracked) changes?.upsert(tracked);
    const info = podInfo(pod, rsOwner);
    if (info) {
      table.upsertPod(info);
      context?.upsertPod(info.uid, info);
    } else {
      table.deletePod(podUid(pod));
      context?.deletePod(podUid(pod));
    }
  };
  const loops: ListWatch<KubeObject>[] = [];
  function watchKind<T extends KubeObject>(
    path: string,
    keep: (o: T) => T,
    onUpsert: (o: T) => void,
    onDelete: (o: T) => void,
    fieldSelector?: string,
  ): ListWatch<T> {
    const lw = startListWatch<T>({
      connection,
      path,
      ...(fieldSelector ? { fieldSelector } : {}),
      keep: keep as (o: KubeObject) => T,
      onUpsert,
      onDelete,
      onError,
      backoff,
    });
    loops.push(lw);
    return lw;
  }

  /**
   * What changed besides policies: EndpointSlices and the three workload kinds, each its own loop, kept
   * only as their change detection reads them (objectChanges.ts). Each kind's changes count from its
   * first list on.
   */
  function watchChanges(): void {
    const tracker = changes;
    if (!tracker) return;
    const slices = watchKind<EndpointSlice>(
      '/apis/discovery.k8s.io/v1/endpointslices',
      keepEndpointSlice,
      (e) => {
        const t = trackEndpointSlice(e);
        if (t) tracker.upsert(t);
      },
      (e) => {
        const t = trackEndpointSlice(e);
        if (t) tracker.delete(t);
      },
    );
    void slices.listed.then(() => tracker.listed('EndpointSlice'));
    for (const [kind, resource] of [
      ['Deployment', 'deployments'],
      ['StatefulSet', 'statefulsets'],
      ['DaemonSet', 'daemonsets'],
    ] as const) {
      const lw = watchKind<Workload>(
        `/apis/apps/v1/${resource}`,
        // The template's hash stands for the template (a few KB of spec), as trackWorkload compares it.
        (w) => ({ metadata: keepMeta(w.metadata, false), spec: { template: trackWorkload(kind, w)?.shape } }),
        (w) => {
          const t = trackWorkload(kind, w);
          if (t) tracker.upsert(t);
        },
        (w) => {
          const t = trackWorkload(kind, w);
          if (t) tracker.delete(t);
        },
      );
      void lw.listed.then(() => tracker.listed(kind));
    }
  }

  // Pods are started only once the ReplicaSets are listed (below); this is what re-folds them.
  let pods: ListWatch<Pod> | null = null;
  const applyReplicaSet = (rs: ReplicaSet) => {
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
    for (const pod of pods?.items() ?? []) {
      if (pod.metadata?.namespace === ns && pod.metadata && controllerOf(pod.metadata)?.name === name)
        applyPod(pod);
    }
  };

  const replicaSets = watchKind<ReplicaSet>(
    '/apis/apps/v1/replicasets',
    (rs) => ({ metadata: keepMeta(rs.metadata, true) }),
    applyReplicaSet,
    (rs) => {
      if (rs.metadata?.namespace && rs.metadata.name)
        rsOwners.delete(`${rs.metadata.namespace}/${rs.metadata.name}`);
    },
  );
  // ReplicaSets first so pods arrive with their Deployment already known. Not awaited by the caller
  // beyond `synced`: an API server that accepts and never answers must not hold the collector's start.
  let stopped = false;
  const synced = replicaSets.synced.then(() => {
    if (stopped) return;
    const services = watchKind<Service>(
      '/api/v1/services',
      keepService,
      (s) => {
        const info = serviceInfo(s);
        if (info) table.upsertService(info);
        const tracked = changes ? trackService(s) : null;
        if (tracked) changes?.upsert(tracked);
      },
      (s) => {
        if (s.metadata?.namespace && s.metadata.name)
          table.deleteService(s.metadata.namespace, s.metadata.name);
        const tracked = changes ? trackService(s) : null;
        if (tracked) changes?.delete(tracked);
      },
    );
    const nodes = watchKind<Node>(
      '/api/v1/nodes',
      (n) => ({ metadata: keepMeta(n.metadata, false), status: { addresses: n.status?.addresses } }),
      (n) => {
        const info = nodeInfo(n);
        if (info) table.upsertNode(info);
      },
      (n) => {
        if (n.metadata?.name) table.deleteNode(n.metadata.name);
      },
    );
    pods = watchKind<Pod>(
      '/api/v1/pods',
      keepPod,
      applyPod,
      (p) => {
        table.deletePod(podUid(p));
        context?.deletePod(podUid(p));
        const tracked = changes ? trackPod(p, workloadOf(p)) : null;
        if (tracked) changes?.delete(tracked);
      },
      podSelector,
    );
    if (changes) {
      void services.listed.then(() => changes.listed('Service'));
      void pods.listed.then(() => changes.listed('Pod'));
      watchChanges();
    }
    // Not part of `synced`: names do not wait for policies (and an older role may not grant them).
    if (context) {
      const namespaces = watchKind<Namespace>(
        '/api/v1/namespaces',
        (n) => ({ metadata: { ...keepMeta(n.metadata, false), labels: n.metadata?.labels ?? {} } }),
        (n) => {
          if (n.metadata?.name) context.upsertNamespace(n.metadata.name, n.metadata.labels ?? {});
        },
        (n) => {
          if (n.metadata?.name) context.deleteNamespace(n.metadata.name);
        },
      );
      const policies = watchKind<NetworkPolicyObject>(
        '/apis/networking.k8s.io/v1/networkpolicies',
        keepNetworkPolicy,
        (p) => context.upsertPolicy(p),
        (p) => {
          if (p.metadata?.namespace && p.metadata.name)
            context.deletePolicy(p.metadata.namespace, p.metadata.name);
        },
      );
      // Not `synced`, which also settles on a failed list: only what was listed counts.
      void Promise.all([namespaces.listed, policies.listed, pods.listed]).then(() => {
        if (!stopped) context.markSynced();
      });
    }
    return Promise.all([services.synced, nodes.synced, pods.synced]);
  });

  return {
    kind: 'kubernetes',
    table,
    synced: synced.then(() => {}),
    async stop() {
      stopped = true;
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
