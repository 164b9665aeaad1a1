import { GenerateResponse, type PolicyContext, WhatIfResponse } from '@weft/protocol';
import type { FastifyInstance } from 'fastify';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EP, N1, N2 } from '../fixtures/labCluster.js';
import { testApp } from '../fixtures/testApp.js';

let app: FastifyInstance;

const LABELS: Record<string, Record<string, string>> = {
  frontend: { app: 'frontend', 'pod-template-hash': '7d9f8c6b5' },
  api: { app: 'api', 'pod-template-hash': '5c8d7f9b6' },
  db: { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0' },
  redis: { app: 'redis' },
  prometheus: { 'app.kubernetes.io/name': 'prometheus' },
  coredns: { 'k8s-app': 'kube-dns' },
  'legacy-worker': { app: 'legacy-worker' },
};
const ns = (name: string) => ({ name, labels: { 'kubernetes.io/metadata.name': name } });

function context(node: string, policies: unknown[] = []): PolicyContext {
  return {
    type: 'policy_context',
    namespaces: [ns('production'), ns('monitoring'), ns('kube-system')],
    policies,
    pods: Object.values(EP)
      .filter((e) => e.kind === 'pod' && e.node === node)
      .map((e) => ({ namespace: e.namespace, name: e.name, ips: [e.ip], labels: LABELS[e.workload]! })),
  };
}

const API_FROM_FRONTEND = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-ingress, namespace: production }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
  - from: [{ podSelector: { matchLabels: { app: frontend } } }]
    ports: [{ protocol: TCP, port: 80 }]
`;

beforeAll(async () => {
  app = (await testApp({ seconds: 60, policyDropsPerSec: 3 })).app;
});
afterAll(() => app.close());

const RANGE = 'from=2026-11-27T10:00:00Z&to=2026-11-27T10:01:00Z';

async function whatIf(yaml: string, query = RANGE) {
  return app.inject({ method: 'POST', url: `/api/v1/policy/whatif?${query}`, payload: { yaml } });
}

const flowKey = (f: WhatIfResponse['flows'][number]) =>
  `${f.client.name} -> ${f.server.name} ${f.proto} ${f.port}`;

describe('what if: the observed connections a pasted NetworkPolicy would deny', () => {
  it('says nothing can be evaluated before a collector sent the pods and policies', async () => {
    const res = await whatIf(API_FROM_FRONTEND);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      policies: [{ namespace: 'production', name: 'api-ingress' }],
      flows: [],
      notes: ['no collector has sent the pods and policies yet, so nothing can be evaluated'],
    });
  });

  it('lists the window connections it would deny, each with the policy, rule and counts', async () => {
    const w = app.weft;
    for (const n of [N1, N2]) w.policyContexts.take(n, context(n), w.now());
    const res = await whatIf(API_FROM_FRONTEND);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as WhatIfResponse;
    expect(Compile(WhatIfResponse).Errors(r)).toEqual([]);
    expect(r.flows.map(flowKey)).toEqual([
      'prometheus-0 -> api-5c8d7f9b6-t7w9r tcp 9090',
      'legacy-worker-84f6d9c7b-z5n3m -> api-5c8d7f9b6-h4j2k tcp 80',
    ]);
    expect(r).toMatchObject({ evaluated: 9, denied: 2 });
    expect(r.flows[0]).toMatchObject({ packets: 354, bytes: 247800, connections: 0 });
    expect(r.flows[0]!.finding).toEqual({
      verdict: 'denied',
      policy: { namespace: 'production', name: 'api-ingress' },
      direction: 'ingress',
      rule: 'production/api-ingress selects app=api and allows ingress only from app=frontend on TCP 80',
      flow: 'TCP 9090 from monitoring/prometheus-0 to production/api-5c8d7f9b6-t7w9r',
      explanation:
        'ingress denied: production/api-ingress selects app=api and allows ingress only from app=frontend on TCP 80; prometheus-0 in monitoring matches no allowed peer',
    });
    // The shared filter narrows the connections evaluated.
    const mon = (await whatIf(API_FROM_FRONTEND, `${RANGE}&namespace=monitoring`)).json() as WhatIfResponse;
    expect(mon.flows.map(flowKey)).toEqual(['prometheus-0 -> api-5c8d7f9b6-t7w9r tcp 9090']);
  });

  it('leaves out what the current policies deny already, and a pasted policy replaces its namesake', async () => {
    const w = app.weft;
    const current = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'api-ingress', namespace: 'production' },
      spec: { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: {} }] }] },
    };
    // Today: api takes anything from production (legacy included), nothing from monitoring.
    for (const n of [N1, N2]) w.policyContexts.take(n, context(n, [current]), w.now());
    try {
      const r = (await whatIf(API_FROM_FRONTEND)).json() as WhatIfResponse;
      expect(r.flows.map(flowKey)).toEqual(['legacy-worker-84f6d9c7b-z5n3m -> api-5c8d7f9b6-h4j2k tcp 80']);
      expect(r.notes).toEqual(['production/api-ingress replaces the current policy of that name']);
    } finally {
      for (const n of [N1, N2]) w.policyContexts.take(n, context(n), w.now());
    }
  });

  it("says that a named port cannot be matched (pods' container ports are not sent)", async () => {
    const r = (await whatIf(API_FROM_FRONTEND.replace('port: 80', 'port: http'))).json() as WhatIfResponse;
    expect(r.notes).toEqual([
      "production/api-ingress name ports: the collectors do not send pods' container ports, so a named port matches no connection here and what it would allow is listed as denied",
    ]);
    expect(r.flows.map(flowKey)).toContain('frontend-7d9f8c6b5-x2k4p -> api-5c8d7f9b6-h4j2k tcp 80');
  });

  it('refuses YAML it cannot read, naming the field, and an oversized body', async () => {
    const bad = await whatIf(API_FROM_FRONTEND.replace('port: 80', 'port: 99999'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^yaml: .*spec\.ingress\[0\]\.ports\[0\]\.port/);
    const none = await whatIf('# nothing\n');
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toMatch(/^yaml: pasted: no NetworkPolicy found/);
    const big = await whatIf(`# ${'x'.repeat(600 * 1024)}\n${API_FROM_FRONTEND}`);
    expect(big.statusCode).toBe(400);
    expect(big.json().message).toContain('yaml');
    const time = await whatIf(API_FROM_FRONTEND, 'from=yesterday');
    expect(time.statusCode).toBe(400);
    expect(time.json().message).toMatch(/^from: /);
  });
});

describe('generate: least-privilege policies from the observed traffic', () => {
  it('answers JSON and YAML', async () => {
    const res = await app.inject(`/api/v1/policy/generate?namespace=production&${RANGE}`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as GenerateResponse;
    expect(Compile(GenerateResponse).Errors(r)).toEqual([]);
    expect(r.policies.map((p) => (p as { metadata: { name: string } }).metadata.name)).toEqual([
      'api-least-privilege',
      'db-least-privilege',
      'frontend-least-privilege',
      'redis-least-privilege',
    ]);
    expect(r.notes).toContain(
      'left out production/legacy-worker-84f6d9c7b-z5n3m -> production/api-5c8d7f9b6-h4j2k TCP 80: it carried no traffic in the window (refused or dropped)',
    );
    const yaml = await app.inject(`/api/v1/policy/generate?namespace=production&${RANGE}&format=yaml`);
    expect(yaml.headers['content-type']).toBe('application/yaml; charset=utf-8');
    expect(yaml.headers['content-disposition']).toBe(
      'attachment; filename="production-networkpolicies.yaml"',
    );
    expect(yaml.body).toBe(r.yaml);
    // Applied (as what-if), they deny no connection that carried traffic: only the refused one.
    const w = (await whatIf(r.yaml)).json() as WhatIfResponse;
    expect(w.flows.map(flowKey)).toEqual(['legacy-worker-84f6d9c7b-z5n3m -> api-5c8d7f9b6-h4j2k tcp 80']);
  });

  it('for one workload, given as name or namespace/name; bad parameters are named', async () => {
    for (const wl of ['db', 'production/db']) {
      const r = (
        await app.inject(`/api/v1/policy/generate?namespace=production&workload=${wl}&${RANGE}`)
      ).json();
      expect(r.policies.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([
        'db-least-privilege',
      ]);
    }
    const other = await app.inject(
      `/api/v1/policy/generate?namespace=production&workload=monitoring/prometheus`,
    );
    expect(other.statusCode).toBe(400);
    expect(other.json().message).toMatch(/^workload: is not in namespace production/);
    const ns = await app.inject('/api/v1/policy/generate?namespace=Prod_1');
    expect(ns.json().message).toMatch(/^namespace: must be a namespace name/);
    expect((await app.inject('/api/v1/policy/generate')).statusCode).toBe(400);
  });
});
