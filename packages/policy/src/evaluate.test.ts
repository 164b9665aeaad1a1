import { describe, expect, it } from 'vitest';
import { evaluate, PolicyEvaluator } from './evaluate.js';
import { parsePolicies } from './parsePolicies.js';
import type { Flow, FlowEnd, World } from './world.js';

/**
 * The NetworkPolicy examples of the Kubernetes documentation (concepts/services-networking/
 * network-policies), copied as written there, evaluated against a small world.
 */
const DOCS = {
  testNetworkPolicy: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: test-network-policy
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
  - Ingress
  - Egress
  ingress:
  - from:
    - ipBlock:
        cidr: 172.17.0.0/16
        except:
        - 172.17.1.0/24
    - namespaceSelector:
        matchLabels:
          project: myproject
    - podSelector:
        matchLabels:
          role: frontend
    ports:
    - protocol: TCP
      port: 6379
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/24
    ports:
    - protocol: TCP
      port: 5978
`,
  defaultDenyIngress: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
spec:
  podSelector: {}
  policyTypes:
  - Ingress
`,
  allowAllIngress: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-all-ingress
spec:
  podSelector: {}
  ingress:
  - {}
  policyTypes:
  - Ingress
`,
  defaultDenyEgress: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-egress
spec:
  podSelector: {}
  policyTypes:
  - Egress
`,
  allowAllEgress: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-all-egress
spec:
  podSelector: {}
  egress:
  - {}
  policyTypes:
  - Egress
`,
  defaultDenyAll: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-all
spec:
  podSelector: {}
  policyTypes:
  - Ingress
  - Egress
`,
  multiPortEgress: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: multi-port-egress
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
    - Egress
  egress:
    - to:
        - ipBlock:
            cidr: 10.0.0.0/24
      ports:
        - protocol: TCP
          port: 32000
          endPort: 32768
`,
  // "Behavior of to and from selectors": one element (AND) versus two elements (OR).
  andForm: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: and-form }
spec:
  podSelector: { matchLabels: { role: db } }
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          user: alice
      podSelector:
        matchLabels:
          role: client
`,
  orForm: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: or-form }
spec:
  podSelector: { matchLabels: { role: db } }
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          user: alice
    - podSelector:
        matchLabels:
          role: client
`,
  // "Targeting a Namespace by its name": the kubernetes.io/metadata.name label.
  byNamespaceName: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: from-alice-ns }
spec:
  podSelector: { matchLabels: { role: db } }
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: alice
`,
  anyNamespace: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: any-namespace }
spec:
  podSelector: { matchLabels: { role: db } }
  ingress:
  - from:
    - namespaceSelector: {}
`,
  portNoProtocol: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: port-no-protocol }
spec:
  podSelector: { matchLabels: { role: db } }
  ingress:
  - ports:
    - port: 6379
`,
  namedPort: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: named-port }
spec:
  podSelector: { matchLabels: { role: db } }
  ingress:
  - from:
    - podSelector: {}
    ports:
    - port: redis
`,
  expressions: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: expressions }
spec:
  podSelector: { matchLabels: { role: db } }
  ingress:
  - from:
    - podSelector:
        matchExpressions:
        - { key: role, operator: In, values: [frontend, client] }
        - { key: tier, operator: NotIn, values: [legacy] }
        - { key: team, operator: Exists }
        - { key: quarantined, operator: DoesNotExist }
`,
  ipv6Block: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ipv6-block }
spec:
  podSelector: { matchLabels: { role: db } }
  ingress:
  - from:
    - ipBlock:
        cidr: 2001:db8::/32
        except: [2001:db8:bad::/48]
`,
  egressWithoutTypes: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: egress-without-types }
spec:
  podSelector: { matchLabels: { role: db } }
  egress:
  - to:
    - ipBlock: { cidr: 10.0.0.0/24 }
`,
} as const;

const ns = (name: string, labels: Record<string, string> = {}) => ({
  name,
  labels: { 'kubernetes.io/metadata.name': name, ...labels },
});

const WORLD: World = {
  namespaces: [
    ns('default'),
    ns('myproject', { project: 'myproject' }),
    ns('alice', { user: 'alice' }),
    ns('other'),
  ],
  pods: [
    {
      namespace: 'default',
      name: 'db',
      labels: { role: 'db' },
      ips: ['10.244.1.10', 'fd00:244:1::a'],
      ports: [{ name: 'redis', port: 6379, protocol: 'TCP' }],
    },
    {
      namespace: 'default',
      name: 'frontend',
      labels: { role: 'frontend', team: 'web' },
      ips: ['10.244.1.11'],
    },
    { namespace: 'default', name: 'client', labels: { role: 'client', team: 'x' }, ips: ['10.244.1.12'] },
    {
      namespace: 'default',
      name: 'legacy',
      labels: { role: 'client', tier: 'legacy', team: 'x' },
      ips: ['10.244.1.13'],
    },
    {
      namespace: 'default',
      name: 'jailed',
      labels: { role: 'client', team: 'x', quarantined: 'yes' },
      ips: ['10.244.1.14'],
    },
    { namespace: 'default', name: 'loner', labels: { role: 'frontend' }, ips: ['10.244.1.15'] },
    { namespace: 'myproject', name: 'anything', labels: { app: 'x' }, ips: ['10.244.2.10'] },
    { namespace: 'alice', name: 'client', labels: { role: 'client' }, ips: ['10.244.2.11'] },
    { namespace: 'alice', name: 'other', labels: { role: 'other' }, ips: ['10.244.2.12'] },
    { namespace: 'other', name: 'frontend', labels: { role: 'frontend' }, ips: ['10.244.2.13'] },
    { namespace: 'other', name: 'client', labels: { role: 'client' }, ips: ['10.244.2.14'] },
  ],
};

const pod = (ref: string): FlowEnd => {
  const [namespace, name] = ref.split('/') as [string, string];
  return { namespace, name };
};
const end = (x: string): FlowEnd => (x.includes('/') ? pod(x) : { ip: x });

type Case = [
  policies: (keyof typeof DOCS)[],
  src: string,
  dst: string,
  proto: Flow['protocol'],
  port: number,
  allowed: boolean,
];

const CASES: Case[] = [
  // test-network-policy: ingress from the ipBlock (minus except), the project namespace, or role=frontend, on TCP 6379
  [['testNetworkPolicy'], 'default/frontend', 'default/db', 'TCP', 6379, true],
  [['testNetworkPolicy'], 'default/frontend', 'default/db', 'TCP', 6380, false],
  [['testNetworkPolicy'], 'default/frontend', 'default/db', 'UDP', 6379, false],
  [['testNetworkPolicy'], 'myproject/anything', 'default/db', 'TCP', 6379, true],
  [['testNetworkPolicy'], 'other/frontend', 'default/db', 'TCP', 6379, false],
  [['testNetworkPolicy'], 'default/client', 'default/db', 'TCP', 6379, false],
  [['testNetworkPolicy'], '172.17.0.5', 'default/db', 'TCP', 6379, true],
  [['testNetworkPolicy'], '172.17.1.5', 'default/db', 'TCP', 6379, false],
  [['testNetworkPolicy'], '172.18.0.5', 'default/db', 'TCP', 6379, false],
  // ... and egress only to 10.0.0.0/24 on TCP 5978
  [['testNetworkPolicy'], 'default/db', '10.0.0.7', 'TCP', 5978, true],
  [['testNetworkPolicy'], 'default/db', '10.0.0.7', 'TCP', 5979, false],
  [['testNetworkPolicy'], 'default/db', '10.0.1.7', 'TCP', 5978, false],
  [['testNetworkPolicy'], 'default/db', 'default/frontend', 'TCP', 80, false],
  // pods it does not select are untouched
  [['testNetworkPolicy'], 'default/client', 'default/frontend', 'TCP', 80, true],
  // default deny ingress: every pod of the namespace, ingress only; egress still free
  [['defaultDenyIngress'], 'default/frontend', 'default/client', 'TCP', 80, false],
  [['defaultDenyIngress'], 'other/client', 'default/db', 'TCP', 6379, false],
  [['defaultDenyIngress'], 'default/client', 'other/client', 'TCP', 80, true],
  [['defaultDenyIngress'], 'default/client', '8.8.8.8', 'UDP', 53, true],
  // allow all ingress wins over deny (policies add up)
  [['defaultDenyIngress', 'allowAllIngress'], 'other/client', 'default/db', 'TCP', 6379, true],
  [['allowAllIngress'], '8.8.8.8', 'default/db', 'UDP', 1, true],
  // default deny egress, allow all egress
  [['defaultDenyEgress'], 'default/client', 'other/client', 'TCP', 80, false],
  [['defaultDenyEgress'], 'default/client', '8.8.8.8', 'UDP', 53, false],
  [['defaultDenyEgress'], 'other/client', 'default/client', 'TCP', 80, true],
  [['defaultDenyEgress', 'allowAllEgress'], 'default/client', '8.8.8.8', 'UDP', 53, true],
  // default deny all: both directions of the namespace
  [['defaultDenyAll'], 'default/client', 'default/frontend', 'TCP', 80, false],
  [['defaultDenyAll'], 'other/client', 'default/frontend', 'TCP', 80, false],
  [['defaultDenyAll'], 'default/client', 'other/client', 'TCP', 80, false],
  [['defaultDenyAll'], 'other/client', 'other/frontend', 'TCP', 80, true],
  // endPort: 32000..32768 inclusive
  [['multiPortEgress'], 'default/db', '10.0.0.9', 'TCP', 32000, true],
  [['multiPortEgress'], 'default/db', '10.0.0.9', 'TCP', 32768, true],
  [['multiPortEgress'], 'default/db', '10.0.0.9', 'TCP', 31999, false],
  [['multiPortEgress'], 'default/db', '10.0.0.9', 'TCP', 32769, false],
  [['multiPortEgress'], 'default/db', '10.0.0.9', 'UDP', 32000, false],
  // multi-port-egress has policyTypes [Egress] only: ingress to db stays open
  [['multiPortEgress'], 'other/client', 'default/db', 'TCP', 6379, true],
  // one element: role=client pods IN namespaces user=alice
  [['andForm'], 'alice/client', 'default/db', 'TCP', 6379, true],
  [['andForm'], 'alice/other', 'default/db', 'TCP', 6379, false],
  [['andForm'], 'default/client', 'default/db', 'TCP', 6379, false],
  [['andForm'], 'other/client', 'default/db', 'TCP', 6379, false],
  // two elements: any pod in user=alice namespaces, OR role=client pods of the policy's namespace
  [['orForm'], 'alice/client', 'default/db', 'TCP', 6379, true],
  [['orForm'], 'alice/other', 'default/db', 'TCP', 6379, true],
  [['orForm'], 'default/client', 'default/db', 'TCP', 6379, true],
  [['orForm'], 'other/client', 'default/db', 'TCP', 6379, false],
  // a namespace by its name label
  [['byNamespaceName'], 'alice/other', 'default/db', 'TCP', 1, true],
  [['byNamespaceName'], 'other/client', 'default/db', 'TCP', 1, false],
  // empty namespaceSelector: every pod of every namespace, but not addresses outside the cluster
  [['anyNamespace'], 'other/client', 'default/db', 'UDP', 53, true],
  [['anyNamespace'], '8.8.8.8', 'default/db', 'TCP', 6379, false],
  // a port without protocol is TCP; no `from` is every peer
  [['portNoProtocol'], '8.8.8.8', 'default/db', 'TCP', 6379, true],
  [['portNoProtocol'], 'other/client', 'default/db', 'UDP', 6379, false],
  // a named port resolves to the destination pod's container port
  [['namedPort'], 'default/client', 'default/db', 'TCP', 6379, true],
  [['namedPort'], 'default/client', 'default/db', 'TCP', 6380, false],
  [['namedPort'], 'default/client', 'default/db', 'UDP', 6379, false],
  // matchExpressions: In, NotIn, Exists, DoesNotExist
  [['expressions'], 'default/frontend', 'default/db', 'TCP', 1, true],
  [['expressions'], 'default/client', 'default/db', 'TCP', 1, true],
  [['expressions'], 'default/legacy', 'default/db', 'TCP', 1, false],
  [['expressions'], 'default/jailed', 'default/db', 'TCP', 1, false],
  [['expressions'], 'default/loner', 'default/db', 'TCP', 1, false],
  // IPv6 ipBlock with except
  [['ipv6Block'], '2001:db8:1::5', 'default/db', 'TCP', 1, true],
  [['ipv6Block'], '2001:db8:bad::5', 'default/db', 'TCP', 1, false],
  [['ipv6Block'], '2001:db9::5', 'default/db', 'TCP', 1, false],
  [['ipv6Block'], '172.17.0.5', 'default/db', 'TCP', 1, false],
  // without policyTypes, a policy with egress rules also isolates ingress (Ingress is always defaulted)
  [['egressWithoutTypes'], 'default/db', '10.0.0.1', 'TCP', 1, true],
  [['egressWithoutTypes'], 'default/db', '10.0.1.1', 'TCP', 1, false],
  [['egressWithoutTypes'], 'default/client', 'default/db', 'TCP', 1, false],
];

describe('evaluate: the Kubernetes documentation examples', () => {
  it.each(CASES)('%j: %s -> %s %s/%d allowed=%s', (names, src, dst, protocol, port, allowed) => {
    const policies = names.flatMap((n) => parsePolicies(DOCS[n]));
    const v = evaluate(policies, WORLD, { src: end(src), dst: end(dst), protocol, port });
    expect(v.allowed, v.explanation).toBe(allowed);
    // The wordless pass what-if uses agrees on every case.
    expect(
      new PolicyEvaluator(policies, WORLD).allows({ src: end(src), dst: end(dst), protocol, port }),
    ).toBe(allowed);
  });

  it('derives policyTypes as Kubernetes does', () => {
    expect(parsePolicies(DOCS.andForm)[0]!.policyTypes).toEqual(['Ingress']);
    expect(parsePolicies(DOCS.egressWithoutTypes)[0]!.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(parsePolicies(DOCS.defaultDenyEgress)[0]!.policyTypes).toEqual(['Egress']);
  });
});

describe('explanations', () => {
  const PROD: World = {
    namespaces: [ns('production'), ns('monitoring')],
    pods: [
      { namespace: 'production', name: 'api-0', labels: { app: 'api' }, ips: ['10.244.1.20'] },
      { namespace: 'production', name: 'frontend-0', labels: { app: 'frontend' }, ips: ['10.244.1.21'] },
      { namespace: 'monitoring', name: 'prometheus-0', labels: { app: 'prometheus' }, ips: ['10.244.2.20'] },
    ],
  };
  const apiIngress = parsePolicies(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-ingress, namespace: production }
spec:
  podSelector: { matchLabels: { app: api } }
  policyTypes: [Ingress]
  ingress:
  - from: [{ podSelector: { matchLabels: { app: frontend } } }]
    ports: [{ protocol: TCP, port: 80 }]
`);

  it('names the policy that selects the pod, what it allows, and why the peer is not allowed', () => {
    const v = evaluate(apiIngress, PROD, {
      src: pod('monitoring/prometheus-0'),
      dst: pod('production/api-0'),
      protocol: 'TCP',
      port: 80,
    });
    expect(v.allowed).toBe(false);
    expect(v.egress.allowed).toBe(true);
    expect(v.ingress).toMatchObject({
      allowed: false,
      pod: { namespace: 'production', name: 'api-0' },
      policies: [{ namespace: 'production', name: 'api-ingress' }],
    });
    expect(v.ingress.reason).toBe(
      'production/api-ingress selects app=api and allows ingress only from app=frontend on TCP 80; prometheus-0 in monitoring matches no allowed peer',
    );
  });

  it('says when the peer is allowed but not on that port', () => {
    const v = evaluate(apiIngress, PROD, {
      src: { ip: '10.244.1.21' },
      dst: pod('production/api-0'),
      protocol: 'TCP',
      port: 9090,
    });
    expect(v.ingress.reason).toMatch(
      /frontend-0 in production is an allowed peer only on TCP 80, not TCP 9090$/,
    );
  });

  it('says which rule allowed it, and that unselected pods are open', () => {
    const v = evaluate(apiIngress, PROD, {
      src: pod('production/frontend-0'),
      dst: pod('production/api-0'),
      protocol: 'TCP',
      port: 80,
    });
    expect(v.allowed).toBe(true);
    expect(v.ingress.allowedBy).toEqual({
      policy: { namespace: 'production', name: 'api-ingress' },
      rule: 0,
    });
    expect(v.egress.reason).toMatch(/no NetworkPolicy selects it for egress/);
  });

  it('an address outside the cluster is not a pod: only the other end decides', () => {
    const v = new PolicyEvaluator(apiIngress, PROD).evaluate({
      src: pod('production/api-0'),
      dst: { ip: '203.0.113.10' },
      protocol: 'TCP',
      port: 443,
    });
    expect(v.allowed).toBe(true);
    expect(v.ingress.reason).toMatch(/203\.0\.113\.10: not a known pod/);
  });
});
