import type {
  LabelSelector,
  NetworkPolicy,
  PolicyPeer,
  PolicyPort,
  PolicyProtocol,
  PolicyRule,
} from './networkPolicy.js';
import type { World } from './world.js';

/** A connection end as observed: a pod of a workload, or a bare address (another host, the world). */
export type ObservedEnd =
  | { namespace: string; name: string; workload: string; ip: string }
  | { ip: string; label?: string };

/** A connection seen in the window: who opened it, to whom, on which protocol and server port. */
export interface ObservedConnection {
  client: ObservedEnd;
  server: ObservedEnd;
  protocol: PolicyProtocol;
  port: number;
}

export interface GenerateRequest {
  namespace: string;
  /** One workload of the namespace; absent: every workload of it the connections show. */
  workload?: string;
  connections: readonly ObservedConnection[];
  /** Pods' and namespaces' labels (the policy context). */
  world: World;
}

export interface GeneratedPolicies {
  policies: NetworkPolicy[];
  notes: string[];
}

/** Labels that differ between the replicas of one workload: a selector must not use them. */
const INSTANCE_LABELS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'batch.kubernetes.io/controller-uid',
  'controller-uid',
]);

const NAME_LABEL = 'kubernetes.io/metadata.name';
const DNS_LABEL = { key: 'k8s-app', value: 'kube-dns' };

const isPod = (e: ObservedEnd): e is Extract<ObservedEnd, { workload: string }> => 'workload' in e;
const selector = (labels: Record<string, string>): LabelSelector => ({
  matchLabels: labels,
  matchExpressions: [],
});
const hostBlock = (ip: string) => `${ip}/${ip.includes(':') ? 128 : 32}`;

/**
 * Least-privilege NetworkPolicies from observed traffic: per workload of the namespace, one policy
 * selecting its pods by the labels all of them share (never a replica's own), denying every direction
 * but what the connections show: ingress from each client workload (its namespace by name label and
 * its pods by their shared labels) on the ports it used, egress likewise to each server, plus DNS to
 * kube-dns, and addresses outside the cluster as /32 ipBlocks. What it cannot say exactly is a note.
 */
export function generatePolicies(req: GenerateRequest): GeneratedPolicies {
  const notes: string[] = [];
  const podLabels = new Map(req.world.pods.map((p) => [`${p.namespace}/${p.name}`, p.labels]));
  // Pods of each workload as the connections name them.
  const podsOf = new Map<string, Set<string>>();
  for (const c of req.connections)
    for (const e of [c.client, c.server])
      if (isPod(e)) {
        const key = `${e.namespace}/${e.workload}`;
        const set = podsOf.get(key) ?? new Set<string>();
        set.add(e.name);
        podsOf.set(key, set);
      }
  const shared = new Map<string, Record<string, string> | null>();
  const sharedLabels = (ns: string, workload: string): Record<string, string> | null => {
    const key = `${ns}/${workload}`;
    if (shared.has(key)) return shared.get(key)!;
    let common: Record<string, string> | null = null;
    for (const name of podsOf.get(key) ?? []) {
      const labels = podLabels.get(`${ns}/${name}`);
      if (!labels) continue;
      common = common
        ? Object.fromEntries(Object.entries(common).filter(([k, v]) => labels[k] === v))
        : Object.fromEntries(Object.entries(labels).filter(([k]) => !INSTANCE_LABELS.has(k)));
    }
    const found = common && Object.keys(common).length > 0 ? sortKeys(common) : null;
    shared.set(key, found);
    return found;
  };

  const dns = dnsPeer(req.world);
  const peerOf = (e: ObservedEnd, policyNs: string, what: string): PolicyPeer => {
    if (isPod(e)) {
      const labels = sharedLabels(e.namespace, e.workload);
      if (labels)
        return {
          namespaceSelector: selector({ [NAME_LABEL]: e.namespace }),
          podSelector: selector(labels),
        };
      notes.push(
        `${policyNs} ${what} ${e.namespace}/${e.workload}: its pods' labels are not known, so it is allowed by address ${hostBlock(e.ip)}`,
      );
    }
    return { ipBlock: { cidr: hostBlock(e.ip), except: [] } };
  };

  const workloads = [...podsOf.keys()]
    .filter((k) => k.startsWith(`${req.namespace}/`))
    .map((k) => k.slice(req.namespace.length + 1))
    .filter((w) => req.workload === undefined || w === req.workload)
    .sort();
  if (req.workload !== undefined && workloads.length === 0)
    notes.push(`no connection of ${req.namespace}/${req.workload} in the window: nothing to generate`);

  const policies: NetworkPolicy[] = [];
  const selectors: { workload: string; sel: Record<string, string> }[] = [];
  for (const workload of workloads) {
    const sel = sharedLabels(req.namespace, workload);
    if (!sel) {
      notes.push(
        `${req.namespace}/${workload}: its pods share no label Weft knows, so no policy can select them`,
      );
      continue;
    }
    selectors.push({ workload, sel });
    const mine = (e: ObservedEnd) => isPod(e) && e.namespace === req.namespace && e.workload === workload;
    const ingress = new RuleSet();
    const egress = new RuleSet();
    for (const c of req.connections) {
      if (mine(c.server))
        ingress.add(peerOf(c.client, `${req.namespace}/${workload}`, 'ingress from'), c, c.client);
      if (mine(c.client)) {
        if (dns && isDnsServer(c, dns.labelsOf)) continue;
        egress.add(peerOf(c.server, `${req.namespace}/${workload}`, 'egress to'), c, c.server);
      }
    }
    const subject = `${req.namespace}/${workload}`;
    const ingressRules = ingress.rules(`${subject} ingress from`, notes);
    const egressRules = egress.rules(`${subject} egress to`, notes);
    if (dns) egressRules.push(dns.rule);
    policies.push({
      namespace: req.namespace,
      name: `${workload}-least-privilege`.slice(0, 253),
      podSelector: selector(sel),
      policyTypes: ['Ingress', 'Egress'],
      ingress: ingressRules,
      egress: egressRules,
    });
  }
  if (!dns && policies.length > 0)
    notes.push('no kube-dns pod is known (label k8s-app=kube-dns): the policies allow no DNS');
  // A selector that also picks another workload's pods applies that workload's allow-list to them.
  for (const p of req.world.pods) {
    if (p.namespace !== req.namespace) continue;
    const matched = selectors.filter(({ sel }) => Object.entries(sel).every(([k, v]) => p.labels[k] === v));
    const own = [...podsOf.entries()].find(
      ([k, pods]) => k.startsWith(`${req.namespace}/`) && pods.has(p.name),
    );
    const ownWorkload = own?.[0].slice(req.namespace.length + 1);
    for (const m of matched)
      if (m.workload !== ownWorkload)
        notes.push(
          `${req.namespace}/${m.workload}-least-privilege also selects pod ${p.name}${ownWorkload ? ` of ${ownWorkload}` : ''}`,
        );
  }
  return { policies, notes: [...new Set(notes)] };
}

/** Past this many single addresses in one direction, a workload's allow-list takes any address instead. */
export const MAX_ADDRESS_PEERS = 16;

/** Rules by peer, each with the ports used to reach it (protocol and number), in a stable order. */
class RuleSet {
  private readonly byPeer = new Map<
    string,
    { peer: PolicyPeer; ports: Map<string, PolicyPort>; label: string | undefined }
  >();

  add(peer: PolicyPeer, c: ObservedConnection, end: ObservedEnd): void {
    const key = JSON.stringify(peer);
    const entry = this.byPeer.get(key) ?? {
      peer,
      ports: new Map<string, PolicyPort>(),
      label: isPod(end) ? undefined : (end.label ?? ''),
    };
    entry.ports.set(`${c.protocol}/${c.port}`, { protocol: c.protocol, port: c.port });
    this.byPeer.set(key, entry);
  }

  /**
   * The rules; addresses outside the known pods (`label` set) are named in `notes`, and past
   * MAX_ADDRESS_PEERS of them (clients of a public service) become one rule for any address.
   */
  rules(what: string, notes: string[]): PolicyRule[] {
    const entries = [...this.byPeer.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const outside = entries.filter(([, e]) => e.label !== undefined);
    const ports = (m: Iterable<PolicyPort>) =>
      [...new Map([...m].map((p) => [`${p.protocol}/${p.port}`, p])).values()].sort(
        (a, b) => a.protocol.localeCompare(b.protocol) || Number(a.port) - Number(b.port),
      );
    const rule = (e: { peer: PolicyPeer; ports: Map<string, PolicyPort> }): PolicyRule => ({
      peers: [e.peer],
      ports: ports(e.ports.values()),
    });
    if (outside.length <= MAX_ADDRESS_PEERS) {
      for (const [, e] of outside)
        notes.push(
          `${what} ${e.label ? `${e.label} ` : ''}${e.peer.ipBlock!.cidr.replace(/\/\d+$/, '')} is outside the pods Weft knows: allowed as ipBlock ${e.peer.ipBlock!.cidr}, which breaks if its address changes`,
        );
      return entries.map(([, e]) => rule(e));
    }
    const anyPorts = ports(outside.flatMap(([, e]) => [...e.ports.values()]));
    notes.push(
      `${what} ${outside.length} addresses outside the pods Weft knows: more than ${MAX_ADDRESS_PEERS}, so any address is allowed on ${anyPorts.map((p) => `${p.protocol} ${p.port}`).join(', ')}`,
    );
    return [
      ...entries.filter(([, e]) => e.label === undefined).map(([, e]) => rule(e)),
      {
        peers: [{ ipBlock: { cidr: '0.0.0.0/0', except: [] } }, { ipBlock: { cidr: '::/0', except: [] } }],
        ports: anyPorts,
      },
    ];
  }
}

interface DnsPeer {
  rule: PolicyRule;
  labelsOf: (ns: string, name: string) => Record<string, string> | undefined;
}

/** Egress to the cluster DNS (pods labelled k8s-app=kube-dns, as CoreDNS is) on UDP and TCP 53. */
function dnsPeer(world: World): DnsPeer | null {
  const pod = world.pods.find((p) => p.labels[DNS_LABEL.key] === DNS_LABEL.value);
  if (!pod) return null;
  const labels = new Map(world.pods.map((p) => [`${p.namespace}/${p.name}`, p.labels]));
  return {
    rule: {
      peers: [
        {
          namespaceSelector: selector({ [NAME_LABEL]: pod.namespace }),
          podSelector: selector({ [DNS_LABEL.key]: DNS_LABEL.value }),
        },
      ],
      ports: [
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ],
    },
    labelsOf: (ns, name) => labels.get(`${ns}/${name}`),
  };
}

function isDnsServer(c: ObservedConnection, labelsOf: DnsPeer['labelsOf']): boolean {
  return (
    c.port === 53 &&
    isPod(c.server) &&
    labelsOf(c.server.namespace, c.server.name)?.[DNS_LABEL.key] === DNS_LABEL.value
  );
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
