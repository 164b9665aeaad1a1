import { parsePolicies } from '@weft/policy';
import { describe, expect, it } from 'vitest';
import { labWorld } from '../lifecycle/labWorld.js';
import { planLab } from '../topology/addressPlan.js';
import { defaultTopology } from '../topology/defaultTopology.js';
import { policyRulesets } from './policyRuleset.js';

const plan = planLab(defaultTopology(), 'wlt');
const world = labWorld(plan);
const pod = (name: string) => plan.pods.find((p) => p.name === name)!;
const rulesOf = (yaml: string) => policyRulesets(plan, world, parsePolicies(yaml));

const API = 'api-5c8d7f9b6-h4j2k';
const FE = ['frontend-7d9f8c6b5-x2k4p', 'frontend-7d9f8c6b5-m8q7n'];

describe('policyRulesets', () => {
  it('gives a selected pod an ingress chain accepting only its allowed peers, and drops the rest', () => {
    const rules = rulesOf(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-ingress, namespace: production }
spec:
  podSelector: { matchLabels: { app: api } }
  policyTypes: [Ingress]
  ingress:
  - from: [{ podSelector: { matchLabels: { app: frontend } } }]
    ports: [{ port: 80 }]
`);
    const api = rules.get(pod(API).netns)!;
    const fe4 = FE.map((n) => pod(n).ipv4).join(', ');
    const fe6 = FE.map((n) => pod(n).ipv6).join(', ');
    expect(api).toContain('chain ingress {\n    type filter hook input priority filter; policy accept;');
    expect(api).toContain('ct state established,related accept');
    expect(api).toContain(`ip saddr { ${fe4} } tcp dport 80 accept`);
    expect(api).toContain(`ip6 saddr { ${fe6} } tcp dport 80 accept`);
    expect(api).toMatch(/counter drop\n {2}\}\n\}\n$/);
    expect(api).not.toContain('hook output');
    // A pod no policy selects: its table is removed (and nothing else).
    expect(rules.get(pod('db-0').netns)).toBe('table inet wlt_np\ndelete table inet wlt_np\n');
  });

  it('compiles egress with ipBlock except, namespaceSelector, endPort and named ports', () => {
    const rules = rulesOf(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: fe-egress, namespace: production }
spec:
  podSelector: { matchLabels: { app: frontend } }
  policyTypes: [Egress]
  egress:
  - to: [{ ipBlock: { cidr: 203.0.112.0/22, except: [203.0.113.0/28] } }]
    ports: [{ protocol: TCP, port: 8000, endPort: 8100 }]
  - to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } } }]
    ports: [{ protocol: UDP, port: dns }]
`);
    const fe = rules.get(pod(FE[0]!).netns)!;
    expect(fe).toContain('chain egress {\n    type filter hook output priority filter; policy accept;');
    expect(fe).toContain('ip daddr 203.0.112.0/22 ip daddr != 203.0.113.0/28 tcp dport 8000-8100 accept');
    const dns = plan.pods.find((p) => p.workload === 'coredns')!;
    expect(fe).toContain(`ip daddr ${dns.ipv4} udp dport 53 accept`);
    expect(fe).not.toContain('chain ingress');
  });

  it('resolves a named egress port for the pods an ipBlock covers, as evaluate() does', () => {
    const node1 = plan.nodes[0]!;
    const rules = rulesOf(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: fe-egress, namespace: production }
spec:
  podSelector: { matchLabels: { app: frontend } }
  policyTypes: [Egress]
  egress:
  - to: [{ ipBlock: { cidr: ${node1.cidr4}, except: ['${pod('db-0').ipv4}/32'] } }]
    ports: [{ port: metrics }]
`);
    const fe = rules.get(pod(FE[0]!).netns)!;
    // api-h4j2k is on node 1 and names port 9090 "metrics"; db-0 too, but the except leaves it out.
    expect(fe).toContain(`ip daddr ${pod(API).ipv4} tcp dport 9090 accept`);
    expect(fe).not.toContain(`ip daddr ${pod('db-0').ipv4}`);
    expect(fe).not.toContain('ip6 daddr');
  });

  it('a default deny selects every pod of its namespace and accepts nothing but replies', () => {
    const rules = rulesOf(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny, namespace: monitoring }
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`);
    const prom = rules.get(pod('prometheus-0').netns)!;
    expect(prom.match(/ accept\n/g)).toHaveLength(6);
    expect(prom.match(/counter drop/g)).toHaveLength(2);
    expect(rules.get(pod(API).netns)).not.toContain('chain');
  });
});
