import { describe, expect, it } from 'vitest';
import { PolicyEvaluator } from './evaluate.js';
import { generatePolicies, MAX_ADDRESS_PEERS, type ObservedConnection } from './generatePolicies.js';
import { parsePolicies } from './parsePolicies.js';
import { policiesYaml } from './policiesYaml.js';
import type { World } from './world.js';

const ns = (name: string) => ({ name, labels: { 'kubernetes.io/metadata.name': name } });
const world: World = {
  namespaces: [ns('production'), ns('monitoring'), ns('kube-system')],
  pods: [
    {
      namespace: 'production',
      name: 'fe-1',
      labels: { app: 'frontend', 'pod-template-hash': 'a' },
      ips: ['10.0.0.1'],
    },
    {
      namespace: 'production',
      name: 'fe-2',
      labels: { app: 'frontend', 'pod-template-hash': 'b' },
      ips: ['10.0.1.1'],
    },
    { namespace: 'production', name: 'api-1', labels: { app: 'api', tier: 'be' }, ips: ['10.0.0.2'] },
    {
      namespace: 'production',
      name: 'db-0',
      labels: { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0' },
      ips: ['10.0.0.3'],
    },
    { namespace: 'production', name: 'intruder', labels: { app: 'intruder' }, ips: ['10.0.0.9'] },
    {
      namespace: 'monitoring',
      name: 'prom-0',
      labels: { 'app.kubernetes.io/name': 'prometheus' },
      ips: ['10.0.1.5'],
    },
    { namespace: 'kube-system', name: 'coredns-1', labels: { 'k8s-app': 'kube-dns' }, ips: ['10.0.0.53'] },
  ],
};
const pod = (namespace: string, name: string, workload: string) => ({
  namespace,
  name,
  workload,
  ip: world.pods.find((p) => p.name === name)!.ips[0]!,
});
const FE1 = pod('production', 'fe-1', 'frontend');
const FE2 = pod('production', 'fe-2', 'frontend');
const API = pod('production', 'api-1', 'api');
const DB = pod('production', 'db-0', 'db');
const PROM = pod('monitoring', 'prom-0', 'prometheus');
const DNS = pod('kube-system', 'coredns-1', 'coredns');
const tcp = (client: ObservedConnection['client'], server: ObservedConnection['server'], port: number) => ({
  client,
  server,
  protocol: 'TCP' as const,
  port,
});
const connections: ObservedConnection[] = [
  tcp(FE1, API, 80),
  tcp(FE2, API, 80),
  tcp(API, DB, 5432),
  tcp(PROM, API, 9090),
  tcp(PROM, DB, 9090),
  tcp(API, { ip: '203.0.113.7', label: 'world' }, 443),
  { client: FE1, server: DNS, protocol: 'UDP', port: 53 },
  { client: API, server: DNS, protocol: 'UDP', port: 53 },
];

describe('generatePolicies', () => {
  const { policies, notes } = generatePolicies({ namespace: 'production', connections, world });

  it('makes one policy per workload, selecting by the labels its replicas share', () => {
    expect(policies.map((p) => [p.name, p.podSelector.matchLabels])).toEqual([
      ['api-least-privilege', { app: 'api', tier: 'be' }],
      ['db-least-privilege', { app: 'db' }],
      ['frontend-least-privilege', { app: 'frontend' }],
    ]);
    for (const p of policies) expect(p.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  it('allows ingress per client workload by namespace name and labels, on the ports used', () => {
    const api = policies.find((p) => p.name === 'api-least-privilege')!;
    expect(api.ingress).toEqual([
      {
        peers: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
              matchExpressions: [],
            },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' }, matchExpressions: [] },
          },
        ],
        ports: [{ protocol: 'TCP', port: 9090 }],
      },
      {
        peers: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'production' },
              matchExpressions: [],
            },
            podSelector: { matchLabels: { app: 'frontend' }, matchExpressions: [] },
          },
        ],
        ports: [{ protocol: 'TCP', port: 80 }],
      },
    ]);
    // frontend has no clients: it takes no ingress at all.
    expect(policies.find((p) => p.name === 'frontend-least-privilege')!.ingress).toEqual([]);
  });

  it('allows egress to servers, DNS to kube-dns on UDP and TCP 53, and the world as a /32 with a note', () => {
    const api = policies.find((p) => p.name === 'api-least-privilege')!;
    expect(api.egress.map((r) => [r.peers[0], r.ports])).toEqual([
      [{ ipBlock: { cidr: '203.0.113.7/32', except: [] } }, [{ protocol: 'TCP', port: 443 }]],
      [
        {
          namespaceSelector: {
            matchLabels: { 'kubernetes.io/metadata.name': 'production' },
            matchExpressions: [],
          },
          podSelector: { matchLabels: { app: 'db' }, matchExpressions: [] },
        },
        [{ protocol: 'TCP', port: 5432 }],
      ],
      [
        {
          namespaceSelector: {
            matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
            matchExpressions: [],
          },
          podSelector: { matchLabels: { 'k8s-app': 'kube-dns' }, matchExpressions: [] },
        },
        [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      ],
    ]);
    expect(notes).toContain(
      'production/api egress to world 203.0.113.7 is outside the pods Weft knows: allowed as ipBlock 203.0.113.7/32, which breaks if its address changes',
    );
  });

  it('keeps every observed connection allowed and denies a new pair (evaluated, as the lab enforces)', () => {
    const yaml = policiesYaml(policies, ['generated']);
    expect(yaml.startsWith('# generated\napiVersion: networking.k8s.io/v1\n')).toBe(true);
    const reread = parsePolicies(yaml);
    expect(reread).toEqual(policies);
    const ev = new PolicyEvaluator(reread, world);
    const end = (e: ObservedConnection['client']) =>
      'name' in e ? { namespace: e.namespace, name: e.name } : { ip: e.ip };
    for (const c of connections)
      expect(
        ev.evaluate({ src: end(c.client), dst: end(c.server), protocol: c.protocol, port: c.port }).allowed,
      ).toBe(true);
    const denied = (src: string, dst: string, port: number) =>
      !ev.evaluate({
        src: { namespace: world.pods.find((p) => p.name === src)!.namespace, name: src },
        dst: { namespace: 'production', name: dst },
        protocol: 'TCP',
        port,
      }).allowed;
    expect(denied('intruder', 'api-1', 80)).toBe(true);
    expect(denied('fe-1', 'db-0', 5432)).toBe(true);
    expect(denied('prom-0', 'api-1', 80)).toBe(true);
  });

  it('for one workload, generates only its policy; a workload without connections is a note', () => {
    const one = generatePolicies({ namespace: 'production', workload: 'db', connections, world });
    expect(one.policies.map((p) => p.name)).toEqual(['db-least-privilege']);
    const none = generatePolicies({ namespace: 'production', workload: 'nothing', connections, world });
    expect(none.policies).toEqual([]);
    expect(none.notes).toEqual(['no connection of production/nothing in the window: nothing to generate']);
  });

  it('a peer whose labels are unknown is allowed by address, and a workload without labels gets none', () => {
    const ghost = { namespace: 'production', name: 'ghost-1', workload: 'ghost', ip: '10.0.0.77' };
    const r = generatePolicies({ namespace: 'production', connections: [tcp(ghost, API, 80)], world });
    expect(r.policies.map((p) => p.name)).toEqual(['api-least-privilege']);
    expect(r.policies[0]!.ingress[0]!.peers).toEqual([{ ipBlock: { cidr: '10.0.0.77/32', except: [] } }]);
    expect(r.notes).toContain(
      'production/ghost: its pods share no label Weft knows, so no policy can select them',
    );
  });

  it('past MAX_ADDRESS_PEERS outside addresses, allows any address on the ports they used', () => {
    const clients = Array.from({ length: MAX_ADDRESS_PEERS + 1 }, (_, i) => ({
      ip: `198.51.100.${i + 1}`,
      label: 'world',
    }));
    const r = generatePolicies({
      namespace: 'production',
      workload: 'frontend',
      connections: [...clients.map((c) => tcp(c, FE1, 443)), tcp(clients[0]!, FE2, 80), tcp(PROM, FE1, 9090)],
      world,
    });
    expect(r.policies[0]!.ingress.map((x) => [x.peers, x.ports])).toEqual([
      [
        [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
              matchExpressions: [],
            },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' }, matchExpressions: [] },
          },
        ],
        [{ protocol: 'TCP', port: 9090 }],
      ],
      [
        [{ ipBlock: { cidr: '0.0.0.0/0', except: [] } }, { ipBlock: { cidr: '::/0', except: [] } }],
        [
          { protocol: 'TCP', port: 80 },
          { protocol: 'TCP', port: 443 },
        ],
      ],
    ]);
    expect(r.notes).toContain(
      'production/frontend ingress from 17 addresses outside the pods Weft knows: more than 16, so any address is allowed on TCP 80, TCP 443',
    );
  });

  it('names a pod of another workload that a generated selector also picks', () => {
    const w: World = {
      ...world,
      pods: [
        ...world.pods,
        {
          namespace: 'production',
          name: 'api-canary',
          labels: { app: 'api', tier: 'be' },
          ips: ['10.0.0.20'],
        },
      ],
    };
    const r = generatePolicies({ namespace: 'production', workload: 'api', connections, world: w });
    expect(r.notes).toContain('production/api-least-privilege also selects pod api-canary');
  });
});
