import { describe, expect, it } from 'vitest';
import { changeBetween, trackEndpointSlice, trackPod, trackService, trackWorkload } from './objectChanges.js';

const meta = (name: string, rv: string) => ({
  name,
  namespace: 'production',
  uid: `uid-${name}`,
  resourceVersion: rv,
});
const AT = 1_000;

describe('change detection', () => {
  const svc = (rv: string, selector: Record<string, string>, status?: unknown) =>
    trackService({
      metadata: meta('api', rv),
      spec: { type: 'ClusterIP', selector, ports: [{ port: 80, targetPort: 8080 }] },
      ...(status ? { status } : {}),
    } as Parameters<typeof trackService>[0])!;

  it('counts a Service created, its selector changed and deleted, not a resend or status-only update', () => {
    const a = svc('1', { app: 'api' });
    expect(changeBetween(undefined, a, AT)).toMatchObject({
      kind: 'Service',
      change: 'created',
      id: 'uid-api@1:created',
    });
    expect(changeBetween(a, svc('2', { app: 'api' }, { loadBalancer: {} }), AT)).toBeNull();
    // Selector keys in another order are the same selector.
    expect(
      changeBetween(svc('1', { app: 'api', tier: 'b' }), svc('2', { tier: 'b', app: 'api' }), AT),
    ).toBeNull();
    expect(changeBetween(a, svc('3', { app: 'api-v2' }), AT)).toMatchObject({
      change: 'updated',
      namespace: 'production',
      name: 'api',
      owner: 'api',
      at: AT,
    });
    expect(changeBetween(a, undefined, AT)).toMatchObject({ change: 'deleted' });
  });

  it("counts an EndpointSlice's ready endpoints changing, under its Service's name", () => {
    const slice = (rv: string, ready: boolean[]) =>
      trackEndpointSlice({
        metadata: { ...meta('api-x7k2p', rv), labels: { 'kubernetes.io/service-name': 'api' } },
        endpoints: ready.map((r, i) => ({ addresses: [`10.0.0.${i}`], conditions: { ready: r } })),
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      })!;
    const three = slice('1', [true, true, true]);
    expect(changeBetween(three, slice('2', [true, true, true]), AT)).toBeNull();
    expect(changeBetween(three, slice('2', [true, false, true]), AT)).toMatchObject({
      kind: 'EndpointSlice',
      change: 'updated',
      owner: 'api',
      detail: 'ready endpoints 3 -> 2',
    });
    // An absent ready condition means ready.
    const unknown = trackEndpointSlice({
      metadata: meta('s', '1'),
      endpoints: [{ addresses: ['10.0.0.9'] }],
    })!;
    expect(unknown.count).toBe(1);
    expect(unknown.owner).toBe('s');
  });

  it("counts a workload's template change as a rollout, not scaling or status", () => {
    const dep = (rv: string, image: string, replicas: number, status = {}) =>
      trackWorkload('Deployment', {
        metadata: meta('api', rv),
        spec: { replicas, template: { spec: { containers: [{ name: 'api', image }] } } },
        status,
      } as Parameters<typeof trackWorkload>[1])!;
    const v1 = dep('1', 'api:1', 3);
    expect(changeBetween(v1, dep('2', 'api:1', 5), AT)).toBeNull();
    expect(changeBetween(v1, dep('3', 'api:1', 3, { readyReplicas: 2 }), AT)).toBeNull();
    expect(changeBetween(v1, dep('4', 'api:2', 3), AT)).toMatchObject({
      kind: 'Deployment',
      change: 'rolled_out',
      id: 'uid-api@4:rolled_out',
    });
    expect(trackWorkload('StatefulSet', { metadata: meta('db', '1') })!.kind).toBe('StatefulSet');
  });

  it('counts a pod restarting (its restarts rising) and deleted, not created nor other updates', () => {
    const pod = (rv: string, restarts: number[]) =>
      trackPod(
        {
          metadata: meta('api-5d9-x2', rv),
          status: { containerStatuses: restarts.map((r) => ({ restartCount: r })) },
        },
        'api',
      )!;
    expect(changeBetween(undefined, pod('1', [0]), AT)).toBeNull();
    expect(changeBetween(pod('1', [0, 1]), pod('2', [0, 1]), AT)).toBeNull();
    expect(changeBetween(pod('1', [0, 1]), pod('2', [1, 1]), AT)).toMatchObject({
      kind: 'Pod',
      change: 'restarted',
      owner: 'api',
      detail: 'restarts 1 -> 2',
    });
    expect(changeBetween(pod('2', [1, 1]), undefined, AT)).toMatchObject({ change: 'deleted', owner: 'api' });
    // A pod with no workload is its own owner.
    expect(trackPod({ metadata: meta('debug', '1') }, '')!.owner).toBe('debug');
    expect(trackPod({ metadata: { name: 'no-namespace' } }, '')).toBeNull();
  });
});
