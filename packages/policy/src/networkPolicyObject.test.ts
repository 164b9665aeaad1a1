import { describe, expect, it } from 'vitest';
import { networkPolicyObject } from './networkPolicyObject.js';
import { parsePolicies } from './parsePolicies.js';

const RICH = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api, namespace: production }
spec:
  podSelector: { matchLabels: { app: api }, matchExpressions: [{ key: tier, operator: Exists }] }
  ingress:
  - from:
    - podSelector: { matchLabels: { app: frontend } }
    - namespaceSelector: { matchExpressions: [{ key: team, operator: In, values: [a, b] }] }
      podSelector: {}
    - ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] }
    ports: [{ port: 80 }, { protocol: UDP, port: 5000, endPort: 5010 }, { port: http }]
  - {}
  egress:
  - to: [{ namespaceSelector: {} }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny, namespace: shop }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
`;

describe('networkPolicyObject', () => {
  it('writes a policy back as the API object that parses to the same policy', () => {
    const policies = parsePolicies(RICH);
    const objects = policies.map((p) =>
      networkPolicyObject(p, { creationTimestamp: '2026-01-01T00:00:00Z' }),
    );
    expect(objects[1]).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { creationTimestamp: '2026-01-01T00:00:00Z', name: 'deny', namespace: 'shop' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    expect(parsePolicies(JSON.stringify({ kind: 'List', items: objects }))).toEqual(policies);
  });
});
