import { setTimeout as sleep } from 'node:timers/promises';
import { parseCollectorConfig, startCollector } from '@weft/collector';
import { FakeKubeApi } from '@weft/collector/testing/fakeKubeApi';
import { createSimulatedSource, defaultTopology } from '@weft/lab';
import type { TimelineResponse } from '@weft/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServerConfig } from '../config.js';
import { startServer } from '../server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until<T>(get: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 1500; i++) {
    const v = await get();
    if (v !== undefined) return v;
    await sleep(20);
  }
  throw new Error(`never saw ${what}`);
}

const SERVICES = '/api/v1/services';
const PODS = '/api/v1/pods';

const service = (app: string) => ({
  metadata: { name: 'api', namespace: 'production', uid: 'uid-svc-api' },
  spec: { type: 'ClusterIP', clusterIP: '10.96.0.20', selector: { app }, ports: [{ port: 80 }] },
});

const pod = (restarts: number) => ({
  metadata: {
    name: 'api-5d9c7b-x2x4q',
    namespace: 'production',
    uid: 'uid-pod-api',
    labels: { app: 'api' },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-5d9c7b', uid: 'rs', controller: true },
    ],
  },
  spec: { nodeName: 'lab-node-1', containers: [{ name: 'api', image: 'api:1' }] },
  status: {
    phase: 'Running',
    podIP: '10.244.1.20',
    podIPs: [{ ip: '10.244.1.20' }],
    containerStatuses: [{ name: 'api', restartCount: restarts, ready: true }],
  },
});

describe('what changed, from the Kubernetes API to the timeline', () => {
  it("marks a Service's change and a pod's restart, seen by a collector's watches, on a real server's timeline", async () => {
    const api = new FakeKubeApi();
    await api.start();
    cleanups.push(() => api.stop());
    api.put('/api/v1/namespaces', {
      metadata: {
        name: 'production',
        uid: 'uid-ns',
        labels: { 'kubernetes.io/metadata.name': 'production' },
      },
    });
    api.put('/apis/apps/v1/replicasets', {
      metadata: {
        name: 'api-5d9c7b',
        namespace: 'production',
        uid: 'rs',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'd', controller: true },
        ],
      },
    });
    api.put(SERVICES, service('api'));
    api.put(PODS, pod(0));

    const server = await startServer(parseServerConfig({ WEFT_PORT: '0', WEFT_LOG_LEVEL: 'silent' }));
    cleanups.push(() => server.close());
    const parsed = parseCollectorConfig(
      [
        ...[
          '--node',
          'lab-node-1',
          '--identity',
          'kubernetes',
          '--metrics-port',
          '0',
          '--interval-ms',
          '200',
        ],
        ...['--metrics-host', '127.0.0.1', '--server', `${server.url.replace(/^http/, 'ws')}/api/v1/ingest`],
      ],
      {},
    );
    if (parsed.kind !== 'config') throw new Error(JSON.stringify(parsed));
    const source = createSimulatedSource({
      topology: defaultTopology(),
      scenario: 'clean',
      node: 'lab-node-1',
      intervalMs: 200,
    });
    const c = await startCollector(parsed.config, { source, kubeConfig: api.kubeConfig(), log: () => {} });
    cleanups.push(() => c.stop());
    const start = Date.now();
    // Every kind listed and watched (its first list is state, not change), and the context at the server.
    await until(
      () =>
        api.openWatches === 10 && server.app.weft.policyContexts.world().pods.length === 1 ? true : undefined,
      'ten watches and the pod at the server',
    );

    api.put(SERVICES, service('api-v2'));
    api.put(PODS, pod(1));
    // A status-only update is no change.
    api.put(SERVICES, { ...service('api-v2'), status: { loadBalancer: {} } });

    const timeline = async () => {
      const q = new URLSearchParams({
        from: new Date(start - 60_000).toISOString(),
        to: new Date(Date.now()).toISOString(),
      });
      const res = await fetch(`${server.url}/api/v1/timeline?${q}`);
      expect(res.status).toBe(200);
      return (await res.json()) as TimelineResponse;
    };
    const marks = await until(async () => {
      const changes = (await timeline()).incidents.filter((i) => i.object);
      return changes.length >= 2 ? changes : undefined;
    }, 'the two change markers');
    expect(marks.map((i) => [i.kind, i.label, i.object])).toEqual([
      [
        'service_changed',
        'Service production/api updated (type, selector or ports)',
        { kind: 'Service', namespace: 'production', name: 'api' },
      ],
      [
        'pod_restarted',
        'Pod production/api-5d9c7b-x2x4q restarted (restarts 0 -> 1)',
        { kind: 'Pod', namespace: 'production', name: 'api-5d9c7b-x2x4q' },
      ],
    ]);
    // The pod's change names its Deployment, through its ReplicaSet (what Diagnose matches a workload by).
    expect(server.app.weft.policyContexts.objects.changes().map((ch) => ch.owner)).toEqual(['api', 'api']);
    // Another namespace's timeline has none of them.
    const q = new URLSearchParams({ from: new Date(start - 60_000).toISOString(), namespace: 'monitoring' });
    const other = (await (await fetch(`${server.url}/api/v1/timeline?${q}`)).json()) as TimelineResponse;
    expect(other.incidents.filter((i) => i.object)).toEqual([]);
  });
});
