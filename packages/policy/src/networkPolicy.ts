/**
 * A networking.k8s.io/v1 NetworkPolicy as Weft reads it: checked, with Kubernetes' defaults filled in
 * (protocol TCP, policyTypes derived from the rules), and nothing Weft does not understand.
 */

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface SelectorRequirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

/** An empty selector (no labels, no expressions) selects everything. */
export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: SelectorRequirement[];
}

export interface IpBlock {
  cidr: string;
  except: string[];
}

/**
 * One `from`/`to` entry. podSelector alone: pods of the policy's namespace; namespaceSelector alone:
 * every pod of the selected namespaces; both: the selected pods of the selected namespaces (AND);
 * ipBlock: addresses, never together with a selector.
 */
export interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IpBlock;
}

export type PolicyProtocol = 'TCP' | 'UDP' | 'SCTP';

export interface PolicyPort {
  protocol: PolicyProtocol;
  /** A number, a named container port of the destination pod, or absent (every port of the protocol). */
  port?: number | string;
  /** With a numeric port: the range port..endPort. */
  endPort?: number;
}

/** An empty `peers` list allows every peer; an empty `ports` list allows every port. */
export interface PolicyRule {
  peers: PolicyPeer[];
  ports: PolicyPort[];
}

export type PolicyType = 'Ingress' | 'Egress';

export interface NetworkPolicy {
  namespace: string;
  name: string;
  podSelector: LabelSelector;
  /** As written, or defaulted: Ingress always, Egress when there are egress rules. */
  policyTypes: PolicyType[];
  ingress: PolicyRule[];
  egress: PolicyRule[];
}

export interface PolicyRef {
  namespace: string;
  name: string;
}

export const policyKey = (p: PolicyRef): string => `${p.namespace}/${p.name}`;
