import { describeSelector, isEmptySelector } from './labelSelector.js';
import type { NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from './networkPolicy.js';

export type Direction = 'ingress' | 'egress';

export function describePeer(peer: PolicyPeer, policyNamespace: string): string {
  if (peer.ipBlock) {
    const b = peer.ipBlock;
    return b.except.length ? `${b.cidr} except ${b.except.join(', ')}` : b.cidr;
  }
  const pods =
    peer.podSelector && !isEmptySelector(peer.podSelector) ? describeSelector(peer.podSelector) : 'any pod';
  if (!peer.namespaceSelector)
    return peer.podSelector && !isEmptySelector(peer.podSelector) ? pods : `any pod in ${policyNamespace}`;
  const ns = isEmptySelector(peer.namespaceSelector)
    ? 'any namespace'
    : `namespaces ${describeSelector(peer.namespaceSelector)}`;
  return `${pods} in ${ns}`;
}

export function describePort(p: PolicyPort): string {
  if (p.port === undefined) return `any ${p.protocol} port`;
  if (typeof p.port === 'string') return `${p.protocol} port "${p.port}"`;
  return p.endPort !== undefined && p.endPort !== p.port
    ? `${p.protocol} ${p.port}-${p.endPort}`
    : `${p.protocol} ${p.port}`;
}

/** `from app=frontend on TCP 80` / `to 10.0.0.0/24 on TCP 5978` / `from anywhere on any port`. */
export function describeRule(rule: PolicyRule, dir: Direction, policyNamespace: string): string {
  const peers = rule.peers.length
    ? rule.peers.map((p) => describePeer(p, policyNamespace)).join(' or ')
    : 'anywhere';
  const ports = rule.ports.length ? rule.ports.map(describePort).join(', ') : 'any port';
  return `${dir === 'ingress' ? 'from' : 'to'} ${peers} on ${ports}`;
}

/** `production/api-ingress selects app=api and allows ingress only from app=frontend on TCP 80`. */
export function describePolicy(p: NetworkPolicy, dir: Direction): string {
  const sel = isEmptySelector(p.podSelector) ? 'every pod' : describeSelector(p.podSelector);
  const rules = dir === 'ingress' ? p.ingress : p.egress;
  const allows =
    rules.length === 0
      ? `allows no ${dir}`
      : rules.some((r) => r.peers.length === 0 && r.ports.length === 0)
        ? `allows all ${dir}`
        : `allows ${dir} only ${rules.map((r) => describeRule(r, dir, p.namespace)).join('; or ')}`;
  return `${p.namespace}/${p.name} selects ${sel} and ${allows}`;
}
