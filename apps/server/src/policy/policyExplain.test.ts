import {
  DiagnoseResponse,
  DropsResponse,
  FlowsResponse,
  type PolicyContext,
  TimelineResponse,
} from '@weft/protocol';
import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EP, N1, N2 } from '../fixtures/labCluster.js';
import { testApp } from '../fixtures/testApp.js';

let app: FastifyInstance;
const legacy = `production/${EP.legacy.name}`;
const api = `production/${EP.api1.name}`;

const pod = (e: { namespace: string; name: string; ip: string }, labels: Record<string, string>) => ({
  namespace: e.namespace,
  name: e.name,
  ips: [e.ip],
  labels,
});

const namespaces = [
  { name: 'production', labels: { 'kubernetes.io/metadata.name': 'production' } },
  { name: 'monitoring', labels: { 'kubernetes.io/metadata.name': 'monitoring' } },
];

const apiIngress = (from: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'api-ingress', namespace: 'production', creationTimestamp: '2026-11-27T09:59:00Z' },
  spec: {
    podSelector: { matchLabels: { app: 'api' } },
    ingress: [{ from: [{ podSelector: { matchLabels: { app: from } } }], ports: [{ port: 80 }] }],
  },
});

function context(node: string, policies: unknown[]): PolicyContext {
  return {
    type: 'policy_context',
    namespaces,
    policies,
    pods:
      node === N1
        ? [
            pod(EP.api1, { app: 'api' }),
            pod(EP.legacy, { app: 'legacy-worker' }),
            pod(EP.frontend1, { app: 'frontend' }),
          ]
        : [pod(EP.api2, { app: 'api' })],
  };
}

beforeAll(async () => {
  const t = await testApp({ seconds: 60, policyDropsPerSec: 3 });
  app = t.app;
});
afterAll(() => app.close());

async function get<T>(url: string, schema: TSchema): Promise<T> {
  const res = await app.inject(url);
  expect(res.statusCode, res.body).toBe(200);
  expect(Compile(schema).Errors(res.json())).toEqual([]);
  return res.json() as T;
}

const policyStep = (r: DiagnoseResponse) => r.steps.find((s) => s.id === 'policy_drops')!;

describe('NetworkPolicy explanations', () => {
  it('says no policy can be named before a collector sent the policies', async () => {
    const r = await get<DiagnoseResponse>(`/api/v1/diagnose?src=${legacy}&dst=${api}`, DiagnoseResponse);
    expect(r.verdict).toBe('blocked');
    expect(policyStep(r).policyFinding).toMatchObject({ verdict: 'unknown' });
  });

  it('names the policy that denies a dropped pair, in Diagnose, the drops and the flow rows', async () => {
    const w = app.weft;
    w.policyContexts.take(N2, context(N2, [apiIngress('frontend')]), w.now());
    w.policyContexts.take(N1, context(N1, [apiIngress('frontend')]), w.now());
    const r = await get<DiagnoseResponse>(`/api/v1/diagnose?src=${legacy}&dst=${api}`, DiagnoseResponse);
    const step = policyStep(r);
    expect(step.policyFinding).toEqual({
      verdict: 'denied',
      policy: { namespace: 'production', name: 'api-ingress' },
      direction: 'ingress',
      rule: 'production/api-ingress selects app=api and allows ingress only from app=frontend on TCP 80',
      flow: `TCP 80 from ${legacy} to ${api}`,
      explanation:
        'ingress denied: production/api-ingress selects app=api and allows ingress only from app=frontend on TCP 80; legacy-worker-84f6d9c7b-z5n3m in production matches no allowed peer',
    });
    expect(step.summary).toContain('denied by NetworkPolicy production/api-ingress');
    expect(step.evidence.slice(-2)).toEqual([
      {
        label: 'NetworkPolicy',
        value: expect.stringContaining('denied by production/api-ingress (ingress)'),
      },
      // What changed: the policy appeared a minute before the pair began failing (10:00:01).
      {
        label: 'what changed',
        value: 'production/api-ingress was created 1 min 1 s before these drops began',
      },
    ]);

    const drops = await get<DropsResponse>('/api/v1/drops', DropsResponse);
    expect(drops.byPolicy).toEqual([
      {
        policy: { namespace: 'production', name: 'api-ingress' },
        verdict: 'denied',
        packets: drops.byReason.find((b) => b.reason === 'policy_drop')!.packets,
        pairs: 1,
      },
    ]);
    const pair = drops.topPairs.find((p) => p.reason === 'policy_drop')!;
    expect(pair.policy?.policy).toEqual({ namespace: 'production', name: 'api-ingress' });

    const flows = await get<FlowsResponse>('/api/v1/flows?verdict=dropped', FlowsResponse);
    expect(flows.flows.length).toBeGreaterThan(0);
    for (const row of flows.flows.filter((f) => f.reason === 'policy_drop'))
      expect(row.policy?.policy?.name).toBe('api-ingress');
  });

  it('says none explains the drop when the policies allow the pair', async () => {
    const w = app.weft;
    // The cluster's policies are the first sender's view (N2 here): N1's alone changes nothing yet.
    w.policyContexts.take(N1, context(N1, [apiIngress('legacy-worker')]), w.now());
    expect(w.policyContexts.changes()).toHaveLength(1);
    w.policyContexts.take(N2, context(N2, [apiIngress('legacy-worker')]), w.now());
    const r = await get<DiagnoseResponse>(`/api/v1/diagnose?src=${legacy}&dst=${api}`, DiagnoseResponse);
    const f = policyStep(r).policyFinding!;
    expect(f.verdict).toBe('not_denied');
    expect(f.policy).toBeUndefined();
    expect(f.explanation).toMatch(
      /^dropped by netfilter, and no NetworkPolicy denies this pair: look at the CNI or host firewall \(/,
    );
    const drops = await get<DropsResponse>('/api/v1/drops', DropsResponse);
    expect(drops.byPolicy?.map((b) => b.verdict)).toEqual(['not_denied']);
  });

  it('marks policy changes on the timeline, in the filter namespaces', async () => {
    const t = await get<TimelineResponse>('/api/v1/timeline', TimelineResponse);
    const changes = t.incidents.filter((i) => i.kind.startsWith('policy_'));
    expect(changes.map((i) => [i.kind, i.label, i.policy])).toEqual([
      [
        'policy_created',
        'NetworkPolicy production/api-ingress created',
        { namespace: 'production', name: 'api-ingress' },
      ],
      [
        'policy_updated',
        'NetworkPolicy production/api-ingress updated',
        { namespace: 'production', name: 'api-ingress' },
      ],
    ]);
    expect(t.incidents.map((i) => i.at)).toEqual([...t.incidents.map((i) => i.at)].sort((a, b) => a - b));
    const other = await get<TimelineResponse>('/api/v1/timeline?namespace=monitoring', TimelineResponse);
    expect(other.incidents.filter((i) => i.kind.startsWith('policy_'))).toEqual([]);
  });

  it('records policy creations, updates and deletions', () => {
    const changes = app.weft.policyContexts.changes();
    expect(changes.map((c) => `${c.change} ${c.policy.name}`)).toEqual([
      'created api-ingress',
      'updated api-ingress',
    ]);
    expect(changes[0]!.at).toBe(Date.parse('2026-11-27T09:59:00Z'));
  });
});
