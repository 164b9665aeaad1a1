import { type DiagnoseSubjectKind, type Endpoint, isIp, isSubject, parseNodeId } from '@weft/protocol';

/**
 * What diagnose was asked about. `name` is `ns/name`: a pod, a workload's pods or a service's backends,
 * unless a node id (`pod:`, `wl:`, `svc:`) said which. `ip` may stand for a pod or service (`ep`, found
 * by resolveSubject). `bare` is one label not yet known to be a namespace or a node.
 */
export type Subject =
  | {
      kind: 'name';
      namespace: string;
      name: string;
      only: 'pod' | 'workload' | 'service' | null;
      text: string;
    }
  | { kind: 'namespace'; namespace: string; text: string }
  | { kind: 'node'; node: string; text: string }
  | { kind: 'ip'; ip: string; port: number | null; ep: Endpoint | null; text: string }
  /** A name outside the cluster, or a service's DNS name (`api.production.svc.cluster.local`). */
  | { kind: 'dns_name'; name: string; service: { namespace: string; name: string } | null; text: string }
  | { kind: 'bare'; label: string; text: string };

const SERVICE_DNS = /^([a-z0-9-]+)\.([a-z0-9-]+)(\.svc(\.cluster\.local)?)?$/;

export function parseSubject(s: string): Subject | null {
  const text = s.trim();
  const v = text.toLowerCase();
  if (!isSubject(v)) return null;
  if (isIp(v)) return { kind: 'ip', ip: v, port: null, ep: null, text };
  const v6 = /^\[([0-9a-f:]+)\]:(\d{1,5})$/i.exec(v);
  if (v6) return { kind: 'ip', ip: v6[1]!, port: Number(v6[2]), ep: null, text };
  const v4 = /^([\d.]+):(\d{1,5})$/.exec(v);
  if (v4) return { kind: 'ip', ip: v4[1]!, port: Number(v4[2]), ep: null, text };
  const id = /^(ns|node|pod|wl|svc):/.test(v) ? parseNodeId(v) : null;
  if (id || /^(ns|node|pod|wl|svc):/.test(v)) {
    if (!id || id.name.includes('/')) return null;
    if (id.kind === 'ns') return { kind: 'namespace', namespace: id.namespace, text };
    if (id.kind === 'node') return { kind: 'node', node: id.name, text };
    const only = id.kind === 'pod' ? 'pod' : id.kind === 'wl' ? 'workload' : 'service';
    return { kind: 'name', namespace: id.namespace, name: id.name, only, text };
  }
  const i = v.indexOf('/');
  if (i > 0) return { kind: 'name', namespace: v.slice(0, i), name: v.slice(i + 1), only: null, text };
  const name = v.replace(/\.$/, '');
  if (!name.includes('.')) return { kind: 'bare', label: name, text };
  const svc = SERVICE_DNS.exec(name);
  // `api.production` is a service's short name only with the svc suffix or two labels; longer names
  // without it (`api.payments.example`) are outside the cluster.
  const service =
    svc && (svc[3] || name.split('.').length === 2) ? { namespace: svc[2]!, name: svc[1]! } : null;
  return { kind: 'dns_name', name, service, text };
}

/** The kind the response reports (a bare label is resolved before it gets there). */
export function subjectKind(s: Subject): DiagnoseSubjectKind {
  return s.kind === 'bare' ? 'namespace' : s.kind;
}

function sameIdentity(e: Endpoint, o: Endpoint): boolean {
  return e.kind === o.kind && e.namespace === o.namespace && e.name === o.name && e.node === o.node;
}

/**
 * A pod, a workload's pods, a service's backends (pods it selects) or the service's ClusterIP; every pod
 * and service of a namespace; the pods and host of a node; whoever had the address.
 */
export function endpointIs(e: Endpoint, s: Subject): boolean {
  switch (s.kind) {
    case 'ip':
      return e.ip === s.ip || (s.ep !== null && s.ep.kind !== 'world' && sameIdentity(e, s.ep));
    case 'namespace':
      return e.namespace === s.namespace && (e.kind === 'pod' || e.kind === 'service');
    case 'node':
      return e.node === s.node && (e.kind === 'pod' || e.kind === 'host');
    case 'dns_name':
      return s.service !== null && e.namespace === s.service.namespace && e.service === s.service.name;
    case 'bare':
      return false;
    case 'name':
      if (e.namespace !== s.namespace) return false;
      if (s.only === 'pod') return e.kind === 'pod' && e.name === s.name;
      if (s.only === 'workload') return e.workload === s.name;
      if (s.only === 'service') return e.service === s.name;
      return e.name === s.name || e.workload === s.name || e.service === s.name;
  }
}

/**
 * The DNS names that lead to the subject: a lookup failing for one of them is a failure "for the
 * destination". Service names in their short and full forms; the name itself for a DNS name.
 */
export function namesOf(s: Subject, targets: readonly Endpoint[]): (qname: string) => boolean {
  if (s.kind === 'dns_name') {
    const svc = s.service;
    return (q) => q === s.name || (svc !== null && serviceName(q, svc.namespace, svc.name));
  }
  if (s.kind === 'namespace') {
    const re = new RegExp(`^[a-z0-9-]+\\.${regexEscape(s.namespace)}(\\.svc(\\.cluster\\.local)?)?$`);
    return (q) => re.test(q);
  }
  const services = new Map<string, string>();
  for (const t of targets) if (t.service) services.set(`${t.namespace}/${t.service}`, t.namespace);
  if (s.kind === 'name') services.set(`${s.namespace}/${s.name}`, s.namespace);
  if (s.kind === 'ip' && s.ep?.service) services.set(`${s.ep.namespace}/${s.ep.service}`, s.ep.namespace);
  const pairs = [...services.keys()].map((k) => k.split('/') as [string, string]);
  return (q) => pairs.some(([ns, name]) => serviceName(q, ns, name));
}

/** `api.production`, `api.production.svc`, `api.production.svc.cluster.local`. */
function serviceName(q: string, namespace: string, name: string): boolean {
  const base = `${name}.${namespace}`;
  return q === base || q === `${base}.svc` || q.startsWith(`${base}.svc.`);
}

function regexEscape(v: string): string {
  return v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
