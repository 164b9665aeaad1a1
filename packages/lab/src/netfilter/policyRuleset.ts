import {
  cidrContains,
  type Direction,
  type NetworkPolicy,
  PolicyEvaluator,
  type PolicyPort,
  type PolicyRule,
  parseCidr,
  parseIp,
  podPeerMatches,
  type World,
  type WorldPod,
} from '@weft/policy';
import type { LabPlan } from '../topology/addressPlan.js';

/** The nft table (family inet) in each pod's netns that enforces NetworkPolicies. */
export const policyTable = (prefix: string) => `${prefix}_np`;

// Neighbour discovery is how IPv6 finds the next hop at all; Kubernetes CNIs never subject it to policy.
const NDP =
  'icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } accept';

const set = (xs: readonly string[]) => (xs.length === 1 ? xs[0]! : `{ ${xs.join(', ')} }`);

/** `tcp dport 80`, `udp dport 9090-9100`, `meta l4proto sctp`; null when a named port does not resolve. */
function portMatch(p: PolicyPort, dst: WorldPod | null): string | null {
  const proto = p.protocol.toLowerCase();
  if (p.port === undefined) return `meta l4proto ${proto}`;
  if (typeof p.port === 'number')
    return `${proto} dport ${p.endPort !== undefined && p.endPort !== p.port ? `${p.port}-${p.endPort}` : p.port}`;
  const named = dst?.ports?.find((c) => c.name === p.port && c.protocol === p.protocol);
  return named ? `${proto} dport ${named.port}` : null;
}

/** Address matches of a set of pods: one per family. */
function podAddrs(pods: readonly WorldPod[], field: 'saddr' | 'daddr'): string[] {
  const ips = pods.flatMap((p) => p.ips);
  const v4 = ips.filter((a) => !a.includes(':'));
  const v6 = ips.filter((a) => a.includes(':'));
  return [
    ...(v4.length ? [`ip ${field} ${set(v4)}`] : []),
    ...(v6.length ? [`ip6 ${field} ${set(v6)}`] : []),
  ];
}

interface RuleContext {
  policy: NetworkPolicy;
  dir: Direction;
  /** The pod the chain belongs to. */
  self: WorldPod;
  world: World;
  nsLabels: (ns: string) => Readonly<Record<string, string>>;
}

/** The accept lines of one rule: (any of its peers) x (any of its ports), resolved to addresses. */
function ruleLines(rule: PolicyRule, ctx: RuleContext): string[] {
  const field = ctx.dir === 'ingress' ? 'saddr' : 'daddr';
  const peerPods = (pods: readonly WorldPod[]) =>
    pods.filter((pod) =>
      rule.peers.some((peer) => podPeerMatches(peer, ctx.policy.namespace, pod, ctx.nsLabels)),
    );
  const blocks = rule.peers.flatMap((peer) => {
    if (!peer.ipBlock) return [];
    const fam = peer.ipBlock.cidr.includes(':') ? 'ip6' : 'ip';
    const except = peer.ipBlock.except.length ? ` ${fam} ${field} != ${set(peer.ipBlock.except)}` : '';
    return [`${fam} ${field} ${peer.ipBlock.cidr}${except}`];
  });
  const lines: string[] = [];
  const emit = (addrs: readonly string[], ports: readonly string[]) => {
    for (const a of addrs) for (const p of ports) lines.push([a, p, 'accept'].filter(Boolean).join(' '));
  };
  const anyPeer = rule.peers.length === 0;
  const anyPort = rule.ports.length === 0;
  if (ctx.dir === 'ingress') {
    // Ports are the selected pod's own: named ports resolve against it once.
    const ports = anyPort ? [''] : rule.ports.map((p) => portMatch(p, ctx.self)).filter((p) => p !== null);
    emit(anyPeer ? [''] : [...podAddrs(peerPods(ctx.world.pods), field), ...blocks], ports);
    return lines;
  }
  // Egress: a named port is each destination pod's own, so it resolves per destination.
  const fixed = anyPort
    ? ['']
    : rule.ports.filter((p) => typeof p.port !== 'string').map((p) => portMatch(p, null)!);
  const namedPorts = rule.ports.filter((p) => typeof p.port === 'string');
  const dsts = anyPeer ? ctx.world.pods : peerPods(ctx.world.pods);
  emit(anyPeer ? [''] : [...podAddrs(dsts, field), ...blocks], fixed);
  if (namedPorts.length === 0) return lines;
  // Pods an ipBlock covers have named ports too (evaluate() resolves an address to its pod).
  const inBlocks = (ip: string) =>
    rule.peers.some((peer) => {
      if (!peer.ipBlock) return false;
      const a = parseIp(ip)!;
      const inside = (c: string) => cidrContains(parseCidr(c)!, a);
      return inside(peer.ipBlock.cidr) && !peer.ipBlock.except.some(inside);
    });
  for (const dst of ctx.world.pods) {
    const ips = dsts.includes(dst) ? dst.ips : dst.ips.filter(inBlocks);
    if (ips.length === 0) continue;
    emit(
      podAddrs([{ ...dst, ips }], field),
      namedPorts.map((p) => portMatch(p, dst)).filter((p) => p !== null),
    );
  }
  return lines;
}

function chain(name: string, hook: 'input' | 'output', accepts: readonly string[]): string[] {
  const lo = hook === 'input' ? 'iifname "lo" accept' : 'oifname "lo" accept';
  return [
    `  chain ${name} {`,
    `    type filter hook ${hook} priority filter; policy accept;`,
    // Replies of allowed connections (and their ICMP errors) pass: policies are stateful.
    '    ct state established,related accept',
    `    ${lo}`,
    `    ${NDP}`,
    ...accepts.map((l) => `    ${l}`),
    // What no policy allows is dropped by netfilter, which the probe reports as policy_drop.
    '    counter drop',
    '  }',
  ];
}

/**
 * The nft batch for every pod of the lab: a table of its own in its netns, with an ingress chain when
 * a policy selects it for ingress and an egress chain when one selects it for egress; a pod no policy
 * selects gets a batch that removes the table. Each batch replaces the table atomically.
 */
export function policyRulesets(
  plan: LabPlan,
  world: World,
  policies: readonly NetworkPolicy[],
): Map<string, string> {
  const table = policyTable(plan.prefix);
  const ev = new PolicyEvaluator(policies, world);
  const nsLabels = (ns: string) => ev.namespaceLabels(ns);
  const byName = new Map(world.pods.map((p) => [`${p.namespace}/${p.name}`, p]));
  const out = new Map<string, string>();
  for (const planned of plan.pods) {
    const self = byName.get(`${planned.namespace}/${planned.name}`)!;
    const lines = [`table inet ${table}`, `delete table inet ${table}`];
    const chains: string[] = [];
    for (const [dir, hook] of [
      ['ingress', 'input'],
      ['egress', 'output'],
    ] as const) {
      const selecting = ev.selecting(self, dir);
      if (selecting.length === 0) continue;
      const accepts = selecting.flatMap((policy) =>
        (dir === 'ingress' ? policy.ingress : policy.egress).flatMap((rule) =>
          ruleLines(rule, { policy, dir, self, world, nsLabels }),
        ),
      );
      chains.push(...chain(dir, hook, [...new Set(accepts)]));
    }
    if (chains.length) lines.push(`table inet ${table} {`, ...chains, '}');
    out.set(planned.netns, `${lines.join('\n')}\n`);
  }
  return out;
}
