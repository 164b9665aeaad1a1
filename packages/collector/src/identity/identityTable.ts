import { type Endpoint, hostEndpoint, worldEndpoint } from '@weft/protocol/core';

export interface PodInfo {
  /** Stable key of this pod incarnation (the Kubernetes uid; namespace/name for inventories). */
  uid: string;
  namespace: string;
  name: string;
  ips: string[];
  node: string;
  workloadKind: string;
  workload: string;
  labels: Record<string, string>;
  /** The pod's network namespace name (`ip netns`), when nodes share one kernel (inventory only). */
  netns?: string;
}

/** A pod (`namespace/name`) and the network namespace it runs in (`ip netns` name). */
export interface PodNetns {
  pod: string;
  netns: string;
}

export interface ServiceInfo {
  namespace: string;
  name: string;
  clusterIPs: string[];
  selector: Record<string, string>;
}

export interface NodeInfo {
  name: string;
  ips: string[];
}

/** One pod's hold on an address over [from, to): a reused IP has several, one after the other. */
interface Claim {
  uid: string;
  from: number;
  to: number;
  endpoint: Endpoint | null;
  generation: number;
  /** Ended claims keep the name they had: the pod may be gone from the table. */
  frozen: boolean;
}

export interface IdentityTableOptions {
  /** This collector's node: its pods are the local ones. */
  node: string;
  /** How long an ended claim is remembered, for records that arrive late. */
  historyMs?: number;
  /** Claims kept per address; older ones are forgotten first. */
  maxClaimsPerIp?: number;
}

/**
 * Addresses are keys: the probe prints IPv6 the RFC 5952 way (inet_ntop), so names fed in are put in
 * the same form (a hand-written inventory may say FD00:0244::000A).
 */
export function canonicalIp(ip: string): string {
  if (!ip.includes(':') || ip.includes('.')) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip;
  }
}

function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  if (keys.length === 0) return false;
  return keys.every((k) => labels[k] === selector[k]);
}

/**
 * IP -> Endpoint, fed by whichever identity source runs (Kubernetes informers, an inventory file).
 * Records are resolved at their own timestamp: when a pod's IP is reused by a newer pod, the old
 * pod's claim ends where the new one begins, so late records of the old pod are never given the
 * new pod's name (and the new pod's name never reaches back to traffic from before it held the IP).
 */
export class IdentityTable {
  readonly node: string;
  private readonly historyMs: number;
  private readonly maxClaims: number;
  private readonly pods = new Map<string, PodInfo>();
  private readonly claims = new Map<string, Claim[]>();
  private readonly services = new Map<string, ServiceInfo>();
  private readonly serviceIps = new Map<string, Endpoint>();
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly nodeIps = new Map<string, string>();
  private readonly livePods = new Map<string, number>();
  private readonly liveWorkloads = new Map<string, number>();
  private readonly liveNamespaces = new Map<string, number>();
  /** Bumped when services change, so cached pod endpoints recompute their service. */
  private generation = 0;
  /** Bumped by every pod upsert or delete (localNetns is cached against it). */
  private podChanges = 0;
  private netnsSeen = -1;
  private netnsCache: PodNetns[] | null = null;

  constructor(opts: IdentityTableOptions) {
    this.node = opts.node;
    this.historyMs = opts.historyMs ?? 120_000;
    this.maxClaims = opts.maxClaimsPerIp ?? 4;
  }

  get podCount(): number {
    return this.pods.size;
  }

  get serviceCount(): number {
    return this.services.size;
  }

  upsertPod(input: PodInfo, now = Date.now()): void {
    const pod = { ...input, ips: input.ips.map(canonicalIp) };
    const prev = this.pods.get(pod.uid);
    if (prev) this.countLive(prev, -1);
    this.pods.set(pod.uid, pod);
    this.podChanges++;
    this.countLive(pod, +1);
    const keep = new Set(pod.ips);
    for (const ip of prev?.ips ?? []) if (!keep.has(ip)) this.endClaim(ip, pod.uid, now);
    for (const ip of pod.ips) this.claim(ip, pod.uid, now);
    if (prev) this.invalidate(pod.uid);
  }

  deletePod(uid: string, now = Date.now()): PodInfo | undefined {
    const pod = this.pods.get(uid);
    if (!pod) return undefined;
    for (const ip of pod.ips) this.endClaim(ip, uid, now);
    this.pods.delete(uid);
    this.podChanges++;
    this.countLive(pod, -1);
    return pod;
  }

  /** Replace every pod at once (an inventory reload): pods absent from `pods` are deleted. */
  replacePods(pods: PodInfo[], now = Date.now()): void {
    const next = new Set(pods.map((p) => p.uid));
    for (const uid of [...this.pods.keys()]) if (!next.has(uid)) this.deletePod(uid, now);
    for (const input of pods) {
      const p = { ...input, ips: input.ips.map(canonicalIp) };
      const prev = this.pods.get(p.uid);
      if (!prev || JSON.stringify(prev) !== JSON.stringify(p)) this.upsertPod(p, now);
    }
  }

  upsertService(svc: ServiceInfo): void {
    this.deleteService(svc.namespace, svc.name);
    const canon = { ...svc, clusterIPs: svc.clusterIPs.map(canonicalIp) };
    this.services.set(`${svc.namespace}/${svc.name}`, canon);
    for (const ip of canon.clusterIPs) {
      if (!ip || ip === 'None') continue;
      this.serviceIps.set(ip, {
        ip,
        kind: 'service',
        namespace: svc.namespace,
        name: svc.name,
        workloadKind: '',
        workload: '',
        service: svc.name,
        node: '',
      });
    }
    this.generation++;
  }

  deleteService(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const svc = this.services.get(key);
    if (!svc) return;
    this.services.delete(key);
    for (const ip of svc.clusterIPs) {
      const e = this.serviceIps.get(ip);
      if (e && e.namespace === namespace && e.name === name) this.serviceIps.delete(ip);
    }
    this.generation++;
  }

  replaceServices(services: ServiceInfo[]): void {
    for (const key of [...this.services.keys()]) {
      const [ns, name] = key.split('/') as [string, string];
      this.deleteService(ns, name);
    }
    for (const s of services) this.upsertService(s);
  }

  upsertNode(node: NodeInfo): void {
    this.deleteNode(node.name);
    const canon = { ...node, ips: node.ips.map(canonicalIp) };
    this.nodes.set(node.name, canon);
    for (const ip of canon.ips) this.nodeIps.set(ip, node.name);
  }

  deleteNode(name: string): void {
    const n = this.nodes.get(name);
    if (!n) return;
    this.nodes.delete(name);
    for (const ip of n.ips) if (this.nodeIps.get(ip) === name) this.nodeIps.delete(ip);
  }

  replaceNodes(nodes: NodeInfo[]): void {
    for (const name of [...this.nodes.keys()]) this.deleteNode(name);
    for (const n of nodes) this.upsertNode(n);
  }

  /** Who had `ip` at time `ts` (ms since epoch). */
  resolve(ip: string, ts: number): Endpoint {
    const list = this.claims.get(ip);
    if (list) {
      for (let i = list.length - 1; i >= 0; i--) {
        const c = list[i]!;
        if (c.from <= ts && ts < c.to) return this.claimEndpoint(ip, c);
      }
    }
    const svc = this.serviceIps.get(ip);
    if (svc) return svc;
    const node = this.nodeIps.get(ip);
    if (node !== undefined) return hostEndpoint(ip, node);
    return worldEndpoint(ip);
  }

  /** A pod running on this collector's node. */
  isLocal(e: Endpoint): boolean {
    return e.kind === 'pod' && e.node === this.node;
  }

  /**
   * This node's pods' network namespaces (`namespace/name` -> netns) when the pods name theirs (nodes
   * sharing one kernel, the lab), else null: the kernel is this node's alone.
   */
  localNetns(): PodNetns[] | null {
    if (this.netnsSeen !== this.podChanges) {
      let shared = false;
      const mine: PodNetns[] = [];
      for (const p of this.pods.values()) {
        if (!p.netns) continue;
        shared = true;
        if (p.node === this.node) mine.push({ pod: `${p.namespace}/${p.name}`, netns: p.netns });
      }
      this.netnsCache = shared ? mine : null;
      this.netnsSeen = this.podChanges;
    }
    return this.netnsCache;
  }

  /** A pod known to run on another node (whose collector reports it). */
  isRemotePod(e: Endpoint): boolean {
    return e.kind === 'pod' && e.node !== '' && e.node !== this.node;
  }

  isLivePod(namespace: string, name: string): boolean {
    return this.livePods.has(`${namespace}/${name}`);
  }

  isLiveWorkload(namespace: string, workload: string): boolean {
    return this.liveWorkloads.has(`${namespace}/${workload}`);
  }

  isLiveNamespace(namespace: string): boolean {
    return this.liveNamespaces.has(namespace);
  }

  /** Forget ended claims older than the history window; call now and then. */
  prune(now = Date.now()): void {
    for (const [ip, list] of this.claims) {
      const kept = list.filter((c) => c.to === Number.POSITIVE_INFINITY || now - c.to < this.historyMs);
      if (kept.length === 0) this.claims.delete(ip);
      else if (kept.length !== list.length) this.claims.set(ip, kept);
    }
  }

  private claim(ip: string, uid: string, now: number): void {
    let list = this.claims.get(ip);
    if (!list) {
      // Nobody held this address before: records that arrive before the informer saw the pod are its.
      this.claims.set(ip, [
        {
          uid,
          from: Number.NEGATIVE_INFINITY,
          to: Number.POSITIVE_INFINITY,
          endpoint: null,
          generation: -1,
          frozen: false,
        },
      ]);
      return;
    }
    const current = list.find((c) => c.uid === uid && c.to === Number.POSITIVE_INFINITY);
    if (current) return;
    // Another live pod still holding the address missed its delete: its hold ends now.
    let from = Number.NEGATIVE_INFINITY;
    for (const c of list) {
      if (c.to === Number.POSITIVE_INFINITY) c.to = now;
      from = Math.max(from, c.to);
    }
    list.push({ uid, from, to: Number.POSITIVE_INFINITY, endpoint: null, generation: -1, frozen: false });
    if (list.length > this.maxClaims) list = list.slice(list.length - this.maxClaims);
    this.claims.set(ip, list);
  }

  private endClaim(ip: string, uid: string, now: number): void {
    const list = this.claims.get(ip);
    if (!list) return;
    for (const c of list) {
      if (c.uid !== uid || c.to !== Number.POSITIVE_INFINITY) continue;
      this.claimEndpoint(ip, c);
      c.frozen = true;
      c.to = now;
    }
  }

  private invalidate(uid: string): void {
    for (const ip of this.pods.get(uid)?.ips ?? []) {
      for (const c of this.claims.get(ip) ?? []) if (c.uid === uid) c.generation = -1;
    }
  }

  private claimEndpoint(ip: string, c: Claim): Endpoint {
    if (c.endpoint && (c.frozen || c.generation === this.generation)) return c.endpoint;
    const pod = this.pods.get(c.uid);
    if (!pod) return c.endpoint ?? worldEndpoint(ip);
    c.endpoint = {
      ip,
      kind: 'pod',
      namespace: pod.namespace,
      name: pod.name,
      workloadKind: pod.workloadKind,
      workload: pod.workload,
      service: this.serviceOf(pod),
      node: pod.node,
    };
    c.generation = this.generation;
    return c.endpoint;
  }

  private serviceOf(pod: PodInfo): string {
    let best = '';
    for (const s of this.services.values()) {
      if (s.namespace !== pod.namespace || !labelsMatch(s.selector, pod.labels)) continue;
      if (best === '' || s.name < best) best = s.name;
    }
    return best;
  }

  private countLive(pod: PodInfo, d: number): void {
    bump(this.livePods, `${pod.namespace}/${pod.name}`, d);
    bump(this.liveWorkloads, `${pod.namespace}/${pod.workload || pod.name}`, d);
    bump(this.liveNamespaces, pod.namespace, d);
  }
}

function bump(m: Map<string, number>, key: string, d: number): void {
  const n = (m.get(key) ?? 0) + d;
  if (n <= 0) m.delete(key);
  else m.set(key, n);
}
