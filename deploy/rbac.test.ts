import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// The collector's own Kubernetes identity source (its list/watch client), unchanged.
import { IdentityTable } from '../packages/collector/src/identity/identityTable.js';
import { KubeConnection } from '../packages/collector/src/identity/kubeConnection.js';
import { startKubernetesSource } from '../packages/collector/src/identity/kubernetesSource.js';
import { PolicyContextFeed } from '../packages/collector/src/identity/policyContextFeed.js';
import { smallCluster } from './checks/clusterObjects.js';
import { renderKustomization } from './checks/kustomize.js';
import { allows, type PolicyRule, RbacApiServer, requestAttributes } from './checks/rbacApiServer.js';
import { findObject } from './checks/workloads.js';

const here = dirname(fileURLToPath(import.meta.url));
const NODE = 'aks-nodepool1-12345678-vmss000000';
const CLUSTER = smallCluster(NODE);
const base = renderKustomization(join(here, 'kubernetes', 'base'));
/** The user the API server sees the collector's pods as: its ServiceAccount, in the collector's namespace. */
const subject = (
  findObject(base, 'ClusterRoleBinding', 'weft-collector').subjects as { name: string; namespace: string }[]
)[0]!;
const USER = `system:serviceaccount:${subject.namespace}:${subject.name}`;
const role = findObject(base, 'ClusterRole', 'weft-collector');
const rules = role.rules as PolicyRule[];

function connection(url: string): KubeConnection {
  return new KubeConnection({ server: url, token: 'service-account-token', source: 'rbac test' });
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function runCollectorIdentity(withRules: readonly PolicyRule[]) {
  const api = new RbacApiServer(withRules, USER, CLUSTER);
  await api.start();
  cleanups.push(() => api.stop());
  const errors: string[] = [];
  const table = new IdentityTable({ node: NODE });
  // As the collector starts it: with the policy context (namespaces and NetworkPolicies) on.
  const context = new PolicyContextFeed(NODE);
  const source = startKubernetesSource({
    table,
    connection: connection(api.url),
    node: NODE,
    remoteContext: false,
    context,
    backoff: { initialMs: 50, maxMs: 200 },
    onError: (e) => errors.push(e.message),
  });
  cleanups.unshift(() => source.stop());
  return { api, table, errors, source, context };
}

describe('the RBAC authorizer model', () => {
  it('maps requests to verbs the way the API server does', () => {
    const u = (p: string) => new URL(p, 'http://x');
    expect(requestAttributes('GET', u('/api/v1/pods?fieldSelector=spec.nodeName%3Dn'))).toMatchObject({
      verb: 'list',
      group: '',
      resource: 'pods',
    });
    expect(requestAttributes('GET', u('/apis/apps/v1/replicasets?watch=true'))).toMatchObject({
      verb: 'watch',
      group: 'apps',
      resource: 'replicasets',
    });
    expect(requestAttributes('GET', u('/api/v1/namespaces/shop/pods/web-1'))).toMatchObject({
      verb: 'get',
      namespace: 'shop',
      name: 'web-1',
    });
    expect(requestAttributes('DELETE', u('/api/v1/namespaces/shop/pods/web-1'))?.verb).toBe('delete');
  });

  it("lets the collector's role read its six kinds and nothing else", () => {
    const can = (verb: string, group: string, resource: string) =>
      allows(rules, { verb, group, resource, namespace: '', name: '' });
    for (const [g, r] of [
      ['', 'pods'],
      ['', 'services'],
      ['', 'nodes'],
      ['apps', 'replicasets'],
      ['', 'namespaces'],
      ['networking.k8s.io', 'networkpolicies'],
      ['discovery.k8s.io', 'endpointslices'],
      ['apps', 'deployments'],
      ['apps', 'statefulsets'],
      ['apps', 'daemonsets'],
    ] as const) {
      for (const v of ['get', 'list', 'watch']) expect(can(v, g, r), `${v} ${g}/${r}`).toBe(true);
      for (const v of ['create', 'update', 'patch', 'delete', 'deletecollection']) {
        expect(can(v, g, r), `${v} ${g}/${r}`).toBe(false);
      }
    }
    for (const [g, r] of [
      ['', 'secrets'],
      ['', 'configmaps'],
      ['', 'pods/exec'],
      ['', 'pods/log'],
      ['apps', 'deployments/scale'],
      ['rbac.authorization.k8s.io', 'clusterroles'],
    ] as const) {
      expect(can('get', g, r), `get ${g}/${r}`).toBe(false);
      expect(can('list', g, r), `list ${g}/${r}`).toBe(false);
    }
  });
});

describe("the collector's informers under the weft-collector ClusterRole", () => {
  it('sync without a single refused request, and name the pod by its Deployment', async () => {
    const { api, table, errors, source, context } = await runCollectorIdentity(rules);
    await source.synced;
    const policiesListed = () =>
      (JSON.parse(context.message() ?? '{"policies":[]}') as { policies: unknown[] }).policies.length === 1;
    for (let i = 0; i < 500 && !policiesListed(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(context.message() ?? 'null')).toMatchObject({
      namespaces: [{ name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } }],
      policies: [{ metadata: { name: 'web-ingress', namespace: 'shop' } }],
    });
    expect(errors).toEqual([]);
    expect(api.requests.filter((r) => !r.allowed)).toEqual([]);
    expect(table.podCount).toBe(1);
    const pod = table.resolve('10.244.1.7', Date.now());
    expect(pod).toMatchObject({ namespace: 'shop', workload: 'web' });

    // The role grants no resource the informers leave unused (get is kept for debugging tools).
    const used = new Set(api.requests.map((r) => `${r.group}/${r.resource}`));
    const granted = new Set(
      rules.flatMap((r) => (r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).map((x) => `${g}/${x}`))),
    );
    expect([...granted].sort()).toEqual([...used].sort());
    expect(new Set(api.requests.map((r) => r.verb))).toEqual(new Set(['list', 'watch']));
  });

  it('are refused, and say so, when the role lacks one of its grants (the check above can fail)', async () => {
    const narrowed = rules.map((r) =>
      r.apiGroups?.includes('apps') ? { ...r, verbs: r.verbs.filter((v) => v !== 'list') } : r,
    );
    // Whether the first sync settles or keeps retrying is the collector's business; the refusal must surface.
    const { api, errors } = await runCollectorIdentity(narrowed);
    for (let i = 0; i < 500 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(errors.join('\n')).toContain('replicasets');
    const refused = api.requests.filter((r) => !r.allowed);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatchObject({ verb: 'list', group: 'apps', resource: 'replicasets' });
  });
});
