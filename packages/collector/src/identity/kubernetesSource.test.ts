import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../fixtures/cleanups.js';
import { FakeKubeApi } from '../fixtures/fakeKubeApi.js';
import { until } from '../fixtures/until.js';
import type { IdentitySource } from './identitySource.js';
import { IdentityTable } from './identityTable.js';
import { KubeConnection } from './kubeConnection.js';
import { keepPod, podInfo, startKubernetesSource } from './kubernetesSource.js';

const PODS = '/api/v1/pods';
const SVCS = '/api/v1/services';
const NODES = '/api/v1/nodes';
const RS = '/apis/apps/v1/replicasets';

function pod(
  name: string,
  ip: string,
  node: string,
  opts: { rs?: string; app?: string; ns?: string; uid?: string; phase?: string } = {},
) {
  const ns = opts.ns ?? 'production';
  return {
    metadata: {
      name,
      namespace: ns,
      uid: opts.uid ?? `uid-${name}`,
      labels: { app: opts.app ?? name.split('-')[0]! },
      ...(opts.rs
        ? {
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: opts.rs,
                uid: `uid-${opts.rs}`,
                controller: true,
              },
            ],
          }
        : {}),
    },
    spec: { nodeName: node, containers: [{ name: 'main', image: 'registry.invalid/app:1' }] },
    status: { phase: opts.phase ?? 'Running', ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}) },
  };
}

function replicaSet(name: string, deployment: string) {
  return {
    metadata: {
      name,
      namespace: 'production',
      uid: `uid-${name}`,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: deployment,
          uid: `uid-${deployment}`,
          controller: true,
        },
      ],
    },
    spec: { selector: { matchLabels: { app: deployment } } },
  };
}

function service(name: string, ip: string, app: string) {
  return {
    metadata: { name, namespace: 'production', uid: `uid-svc-${name}` },
    spec: { clusterIP: ip, clusterIPs: [ip], selector: { app }, ports: [{ port: 80, protocol: 'TCP' }] },
  };
}

function node(name: string, ip: string) {
  return {
    metadata: { name, uid: `uid-node-${name}` },
    status: { addresses: [{ type: 'InternalIP', address: ip }] },
  };
}

const cleanups = cleanupsAfterEach();

async function setup(remoteContext = false) {
  const api = new FakeKubeApi();
  await api.start();
  cleanups.push(() => api.stop());
  api.put(RS, replicaSet('api-7f9c', 'api'));
  api.put(PODS, pod('api-7f9c-aaaaa', '10.244.1.20', 'node-a', { rs: 'api-7f9c' }));
  api.put(PODS, pod('db-0', '10.244.2.30', 'node-b'));
  api.put(SVCS, service('api-service', '10.96.0.80', 'api'));
  api.put(NODES, node('node-a', '192.168.50.1'));
  const table = new IdentityTable({ node: 'node-a' });
  const errors: string[] = [];
  const src: IdentitySource = startKubernetesSource({
    table,
    connection: new KubeConnection(api.kubeConfig()),
    node: 'node-a',
    remoteContext,
    backoff: { initialMs: 20, maxMs: 100 },
    onError: (e) => errors.push(e.message),
  });
  cleanups.push(() => src.stop());
  await src.synced;
  await until(() => api.openWatches === 4, 'four watches');
  return { api, table, errors };
}

const watchesOf = (api: FakeKubeApi, path: string) => api.requests.filter((r) => r.path === path && r.watch);
const listsOf = (api: FakeKubeApi, path: string) => api.requests.filter((r) => r.path === path && !r.watch);

describe('Kubernetes identity source', () => {
  it('lists this node pods by field selector, then watches from the list resourceVersion', async () => {
    const { api, table } = await setup();
    const now = Date.now();
    expect(table.resolve('10.244.1.20', now)).toMatchObject({
      kind: 'pod',
      name: 'api-7f9c-aaaaa',
      workloadKind: 'Deployment',
      workload: 'api',
      service: 'api-service',
      node: 'node-a',
    });
    // node-b's pod is not this collector's: not listed without remote context.
    expect(table.resolve('10.244.2.30', now).kind).toBe('world');
    expect(table.resolve('10.96.0.80', now)).toMatchObject({ kind: 'service', name: 'api-service' });
    expect(table.resolve('192.168.50.1', now)).toMatchObject({ kind: 'host', node: 'node-a' });
    const [list] = listsOf(api, PODS);
    expect(list?.fieldSelector).toBe('spec.nodeName=node-a');
    const [watch] = watchesOf(api, PODS);
    expect(watch?.fieldSelector).toBe('spec.nodeName=node-a');
    expect(Number(watch?.resourceVersion)).toBe(api.resourceVersion);
  });

  it('watches every pod with remote context on', async () => {
    const { table, api } = await setup(true);
    expect(table.resolve('10.244.2.30', Date.now())).toMatchObject({ name: 'db-0', node: 'node-b' });
    expect(listsOf(api, PODS)[0]?.fieldSelector).toBe('');
  });

  it('follows ADDED, MODIFIED and DELETED, and never gives a reused IP the old pod traffic', async () => {
    const { api, table } = await setup();
    // A pod appears without an IP, then gets one (MODIFIED).
    api.put(PODS, pod('web-1', '', 'node-a'));
    api.put(PODS, pod('web-1', '10.244.1.40', 'node-a'));
    await until(() => table.resolve('10.244.1.40', Date.now()).name === 'web-1', 'web-1 named');
    const beforeDelete = Date.now();
    await sleep(5);
    api.delete(PODS, 'production', 'web-1');
    await until(() => !table.isLivePod('production', 'web-1'), 'web-1 gone');
    await sleep(5);
    // A new pod takes the same IP.
    api.put(PODS, pod('cache-0', '10.244.1.40', 'node-a', { uid: 'uid-cache-0' }));
    await until(() => table.resolve('10.244.1.40', Date.now()).name === 'cache-0', 'cache-0 named');
    expect(table.resolve('10.244.1.40', beforeDelete).name).toBe('web-1');
    // A finished pod holds no IP any more.
    api.put(PODS, pod('cache-0', '10.244.1.40', 'node-a', { uid: 'uid-cache-0', phase: 'Succeeded' }));
    await until(() => !table.isLivePod('production', 'cache-0'), 'cache-0 finished');
  });

  it('folds a ReplicaSet that arrives after its pods into its Deployment', async () => {
    const { api, table } = await setup();
    api.put(PODS, pod('worker-5d8-x1', '10.244.1.50', 'node-a', { rs: 'worker-5d8' }));
    await until(() => table.resolve('10.244.1.50', Date.now()).name === 'worker-5d8-x1', 'worker pod');
    expect(table.resolve('10.244.1.50', Date.now())).toMatchObject({
      workloadKind: 'ReplicaSet',
      workload: 'worker-5d8',
    });
    api.put(RS, replicaSet('worker-5d8', 'worker'));
    await until(() => table.resolve('10.244.1.50', Date.now()).workload === 'worker', 'Deployment folded in');
    expect(table.resolve('10.244.1.50', Date.now()).workloadKind).toBe('Deployment');
  });

  for (const goneAs of ['event', 'http'] as const) {
    it(`answers 410 Gone (${goneAs === 'event' ? 'ERROR event with code 410' : 'HTTP 410'}) with a relist`, async () => {
      const { api, table } = await setup();
      api.goneAs = goneAs;
      const listsBefore = listsOf(api, PODS).length;
      // While the watch is down, things change and the server forgets the history.
      api.dropWatches();
      api.delete(PODS, 'production', 'api-7f9c-aaaaa');
      api.put(PODS, pod('late-0', '10.244.1.77', 'node-a'));
      api.compact();
      await until(() => listsOf(api, PODS).length > listsBefore, 'a relist');
      expect(api.goneSent).toBeGreaterThan(0);
      await until(() => table.resolve('10.244.1.77', Date.now()).name === 'late-0', 'late-0 from the relist');
      await until(
        () => !table.isLivePod('production', 'api-7f9c-aaaaa'),
        'deleted pod gone after the relist',
      );
      await until(() => api.openWatches === 4, 'watches back');
      const last = watchesOf(api, PODS).at(-1)!;
      expect(Number(last.resourceVersion)).toBeGreaterThanOrEqual(api.resourceVersion);
    });
  }

  it('answers a dropped connection with a watch resumed from the last resourceVersion, no relist', async () => {
    const { api, table } = await setup();
    api.put(PODS, pod('seen-0', '10.244.1.60', 'node-a'));
    await until(() => table.isLivePod('production', 'seen-0'), 'seen-0');
    const seenRv = api.resourceVersion;
    const listsBefore = listsOf(api, PODS).length;
    const watchesBefore = watchesOf(api, PODS).length;
    api.dropWatches();
    api.put(PODS, pod('missed-0', '10.244.1.61', 'node-a'));
    await until(() => table.isLivePod('production', 'missed-0'), 'missed-0 after the resume');
    const resumed = watchesOf(api, PODS).slice(watchesBefore);
    expect(resumed.length).toBeGreaterThanOrEqual(1);
    expect(resumed[0]?.resourceVersion).toBe(String(seenRv));
    expect(listsOf(api, PODS).length).toBe(listsBefore);
  });
});

describe('podInfo', () => {
  it('skips host-network pods and pods without an IP', () => {
    const none = () => null;
    expect(
      podInfo({ ...pod('a', '10.0.0.1', 'n'), spec: { hostNetwork: true, containers: [] } } as never, none),
    ).toBeNull();
    expect(podInfo(pod('a', '', 'n') as never, none)).toBeNull();
    expect(podInfo(pod('bare', '10.0.0.2', 'n') as never, none)).toMatchObject({
      workloadKind: 'Pod',
      workload: 'bare',
    });
  });
});

describe('keepPod', () => {
  it('keeps what podInfo reads and drops the rest of the pod', () => {
    const owners = (_ns: string, rs: string) =>
      rs === 'api-7f9c' ? { kind: 'Deployment', name: 'api' } : null;
    const full = pod('api-7f9c-aaaaa', '10.244.1.20', 'node-a', { rs: 'api-7f9c' });
    const kept = keepPod(full);
    expect(podInfo(kept, owners)).toEqual(podInfo(full, owners));
    expect(podInfo(kept, owners)?.workload).toBe('api');
    expect(JSON.stringify(kept)).not.toContain('registry.invalid');
    expect(kept.metadata?.ownerReferences).toEqual([
      { kind: 'ReplicaSet', name: 'api-7f9c', controller: true },
    ]);
  });
});
