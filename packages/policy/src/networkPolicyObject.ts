import type { LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from './networkPolicy.js';

type Obj = Record<string, unknown>;

function selectorObject(s: LabelSelector): Obj {
  return {
    ...(Object.keys(s.matchLabels).length ? { matchLabels: { ...s.matchLabels } } : {}),
    ...(s.matchExpressions.length
      ? {
          matchExpressions: s.matchExpressions.map((e) => ({
            key: e.key,
            operator: e.operator,
            ...(e.values.length ? { values: [...e.values] } : {}),
          })),
        }
      : {}),
  };
}

function peerObject(p: PolicyPeer): Obj {
  return {
    ...(p.podSelector ? { podSelector: selectorObject(p.podSelector) } : {}),
    ...(p.namespaceSelector ? { namespaceSelector: selectorObject(p.namespaceSelector) } : {}),
    ...(p.ipBlock
      ? {
          ipBlock: {
            cidr: p.ipBlock.cidr,
            ...(p.ipBlock.except.length ? { except: [...p.ipBlock.except] } : {}),
          },
        }
      : {}),
  };
}

function portObject(p: PolicyPort): Obj {
  return {
    protocol: p.protocol,
    ...(p.port !== undefined ? { port: p.port } : {}),
    ...(p.endPort !== undefined ? { endPort: p.endPort } : {}),
  };
}

function ruleObject(r: PolicyRule, peers: 'from' | 'to'): Obj {
  return {
    ...(r.peers.length ? { [peers]: r.peers.map(peerObject) } : {}),
    ...(r.ports.length ? { ports: r.ports.map(portObject) } : {}),
  };
}

/**
 * A checked policy back as the networking.k8s.io/v1 object the API would serve (defaults written
 * out): what the lab's inventory lists, so that the collector reads the lab's policies as it reads a
 * cluster's. parsePolicies of it gives the same policy again.
 */
export function networkPolicyObject(p: NetworkPolicy, extraMetadata: Obj = {}): Obj {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { ...extraMetadata, name: p.name, namespace: p.namespace },
    spec: {
      podSelector: selectorObject(p.podSelector),
      policyTypes: [...p.policyTypes],
      ...(p.ingress.length ? { ingress: p.ingress.map((r) => ruleObject(r, 'from')) } : {}),
      ...(p.egress.length ? { egress: p.egress.map((r) => ruleObject(r, 'to')) } : {}),
    },
  };
}
