import type { PolicyContext } from '@weft/protocol/core';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../fixtures/cleanups.js';
import { FakeKubeApi } from '../fixtures/fakeKubeApi.js';
import { until } from '../fixtures/until.js';
import { IdentityTable } from './identityTable.js';
import { KubeConnection } from './kubeConnection.js';
import { startKubernetesSource } from './kubernetesSource.js';
import { PolicyContextFeed } from './policyContextFeed.js';

const PODS = '/api/v1/pods';
const NAMESPACES = '/api/v1/namespaces';
const POLICIES = '/apis/networking.k8s.io/v1/networkpolicies';

const cleanups = cleanupsAfterEach();

function pod(name: string, ip: string, node: string, app: string) {
  return {
    metadata: { name, namespace: 'production', uid: `uid-${name}`, labels: { app } },
    spec: { nodeName: node },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
  };
}

const policy = (name: string, app: string) => ({
  metadata: {
    name,
    namespace: 'production',
    uid: `uid-${name}`,
    creationTimestamp: '2026-12-07T06:00:00Z',
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'x'.repeat(1000) },
    managedFields: [{ manager: 'kubectl' }],
  },
  spec: { podSelector: { matchLabels: { app } }, policyTypes: ['Ingress'] },
});

const read = (feed: PolicyContextFeed) => JSON.parse(feed.message() ?? 'null') as PolicyContext;

describe('PolicyContextFeed from the Kubernetes source', () => {
  it('lists and watches namespaces and NetworkPolicies, with this node pods, and follows their changes', async () => {
    const api = new FakeKubeApi();
    await api.start();
    cleanups.push(() => api.stop());
    api.put(PODS, pod('api-1', '10.244.1.20', 'node-a', 'api'));
    api.put(NAMESPACES, {
      metadata: {
        name: 'production',
        uid: 'uid-ns',
        labels: { 'kubernetes.io/metadata.name': 'production' },
      },
    });
    api.put(POLICIES, policy('api-ingress', 'api'));
    const feed = new PolicyContextFeed('node-a');
    const src = startKubernetesSource({
      table: new IdentityTable({ node: 'node-a' }),
      connection: new KubeConnection(api.kubeConfig()),
      node: 'node-a',
      remoteContext: true,
      context: feed,
      backoff: { initialMs: 20, maxMs: 100 },
    });
    cleanups.push(() => src.stop());
    await until(() => api.openWatches === 10 && feed.message() !== null, 'ten watches and the context');
    const first = read(feed);
    expect(first.namespaces).toEqual([
      { name: 'production', labels: { 'kubernetes.io/metadata.name': 'production' } },
    ]);
    expect(first.pods).toEqual([
      { namespace: 'production', name: 'api-1', ips: ['10.244.1.20'], labels: { app: 'api' } },
    ]);
    // Kept: what the parser reads and the creation time, not the annotations' kilobytes.
    expect(first.policies).toEqual([
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: {
          name: 'api-ingress',
          namespace: 'production',
          uid: 'uid-api-ingress',
          creationTimestamp: '2026-12-07T06:00:00Z',
        },
        spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'] },
      },
    ]);
    const text = feed.message();
    expect(feed.message()).toBe(text);
    // Another node's pod is that node's collector's to send.
    api.put(PODS, pod('db-0', '10.244.2.30', 'node-b', 'db'));
    api.put(POLICIES, policy('db-ingress', 'db'));
    api.delete(POLICIES, 'production', 'api-ingress');
    api.put(NAMESPACES, { metadata: { name: 'monitoring', uid: 'uid-mon', labels: { team: 'obs' } } });
    await until(() => read(feed).namespaces.length === 2 && read(feed).policies.length === 1, 'the changes');
    const after = read(feed);
    expect((after.policies[0] as { metadata: { name: string } }).metadata.name).toBe('db-ingress');
    expect(after.pods.map((p) => p.name)).toEqual(['api-1']);
    expect(after.changes).toBeUndefined();

    // A restart rides along, to a server that takes changes only.
    const restarted = pod('api-1', '10.244.1.20', 'node-a', 'api');
    api.put(PODS, {
      ...restarted,
      status: { ...restarted.status, containerStatuses: [{ restartCount: 1 }] },
    });
    await until(() => read(feed).changes?.length === 1, 'the restart');
    expect(read(feed).changes?.[0]).toMatchObject({ kind: 'Pod', change: 'restarted', name: 'api-1' });
    expect(JSON.parse(feed.message(false) ?? 'null').changes).toBeUndefined();
  });

  it('has no message until the namespaces and policies were listed: a starting collector never says all are gone', async () => {
    const api = new FakeKubeApi();
    await api.start();
    cleanups.push(() => api.stop());
    api.put(POLICIES, policy('api-ingress', 'api'));
    // Every list is refused (a wrong token here; an older role without the grant in a cluster).
    const feed = new PolicyContextFeed('node-a');
    expect(feed.message()).toBeNull();
    const errors: string[] = [];
    const src = startKubernetesSource({
      table: new IdentityTable({ node: 'node-a' }),
      connection: new KubeConnection({ ...api.kubeConfig(), token: 'wrong' }),
      node: 'node-a',
      remoteContext: false,
      context: feed,
      backoff: { initialMs: 20, maxMs: 50 },
      onError: (e) => errors.push(e.message),
    });
    cleanups.push(() => src.stop());
    await until(() => errors.some((e) => e.includes('networkpolicies')), 'the refused policy list');
    expect(feed.message()).toBeNull();
  });
});
