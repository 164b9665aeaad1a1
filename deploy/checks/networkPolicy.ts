import type { KubeObject } from './kubeObject.js';

/** The slices of networking.k8s.io/v1 NetworkPolicy the checks read. */
interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: unknown[];
}
interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyPort {
  port?: number | string;
  protocol?: string;
}
export interface NetworkPolicySpec {
  podSelector: LabelSelector;
  policyTypes?: string[];
  ingress?: { from?: Peer[]; ports?: PolicyPort[] }[];
  egress?: { to?: Peer[]; ports?: PolicyPort[] }[];
}

/** A pod seen as a NetworkPolicy source: its namespace's labels and its own. */
export interface Source {
  namespace: string;
  namespaceLabels?: Record<string, string>;
  podLabels: Record<string, string>;
}

function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  if (selector.matchExpressions?.length) throw new Error('matchExpressions: not modelled by this check');
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

function peerAdmits(peer: Peer, policyNamespace: string, src: Source): boolean {
  if (peer.ipBlock) return false;
  // The API server gives every namespace this label (1.21+); the policy may select by it.
  const nsLabels = { 'kubernetes.io/metadata.name': src.namespace, ...src.namespaceLabels };
  const nsOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, nsLabels)
    : src.namespace === policyNamespace;
  return nsOk && selects(peer.podSelector, src.podLabels);
}

/**
 * Whether `policy` lets a pod `src` connect to a pod it covers on `port` (a container port name or
 * number, matched as written), as the NetworkPolicy API defines it: a rule with no `from` admits
 * every source, a rule with no `ports` every port. Pod sources only; address blocks never match here.
 */
export function admits(policy: KubeObject, src: Source, port: number | string): boolean {
  const spec = policy.spec as NetworkPolicySpec;
  const ns = policy.metadata.namespace ?? 'default';
  return (spec.ingress ?? []).some((rule) => {
    const portOk = !rule.ports?.length || rule.ports.some((p) => p.port === undefined || p.port === port);
    const fromOk = !rule.from?.length || rule.from.some((peer) => peerAdmits(peer, ns, src));
    return portOk && fromOk;
  });
}

/** Whether the policy covers pods with these labels in its namespace. */
export function covers(policy: KubeObject, namespace: string, podLabels: Record<string, string>): boolean {
  const spec = policy.spec as NetworkPolicySpec;
  return policy.metadata.namespace === namespace && selects(spec.podSelector, podLabels);
}
