import { describe, expect, it } from 'vitest';
import { clusterInventory, IP } from '../fixtures/clusterFixture.js';
import { canonicalIp, IdentityTable, type PodInfo } from './identityTable.js';
import { applyInventory, parseInventory } from './inventorySource.js';

const pod = (uid: string, name: string, ip: string, extra: Partial<PodInfo> = {}): PodInfo => ({
  uid,
  namespace: 'production',
  name,
  ips: [ip],
  node: 'node-a',
  workloadKind: 'Deployment',
  workload: name.split('-')[0]!,
  labels: { app: name.split('-')[0]! },
  ...extra,
});

describe('IdentityTable', () => {
  it('names pods, services (ClusterIPs), node addresses and the world', () => {
    const t = new IdentityTable({ node: 'node-a' });
    applyInventory(t, clusterInventory(), 1000);
    const fe = t.resolve(IP.frontend, 2000);
    expect(fe).toMatchObject({
      kind: 'pod',
      namespace: 'production',
      name: 'frontend-abc123',
      workload: 'frontend',
      node: 'node-a',
    });
    expect(t.resolve(IP.api1, 2000)).toMatchObject({ kind: 'pod', service: 'api-service', node: 'node-b' });
    expect(t.resolve(IP.apiService, 2000)).toMatchObject({
      kind: 'service',
      namespace: 'production',
      name: 'api-service',
      service: 'api-service',
    });
    expect(t.resolve(IP.nodeA, 2000)).toMatchObject({ kind: 'host', node: 'node-a' });
    expect(t.resolve(IP.world, 2000)).toMatchObject({ kind: 'world', name: 'world', namespace: '' });
    expect(t.isLocal(fe)).toBe(true);
    expect(t.isLocal(t.resolve(IP.db, 2000))).toBe(false);
    expect(t.isRemotePod(t.resolve(IP.db, 2000))).toBe(true);
  });

  it('never gives a reused IP the old pod traffic, nor the new pod the old traffic', () => {
    const t = new IdentityTable({ node: 'node-a' });
    t.upsertPod(pod('uid-old', 'api-old', '10.244.1.99'), 1000);
    // Records before the informer saw the pod still belong to its first holder.
    expect(t.resolve('10.244.1.99', 500).name).toBe('api-old');
    t.deletePod('uid-old', 5000);
    t.upsertPod(pod('uid-new', 'db-new', '10.244.1.99'), 6000);
    expect(t.resolve('10.244.1.99', 4999).name).toBe('api-old');
    // After the old pod was gone only the new one can have used the address (before its informer event).
    expect(t.resolve('10.244.1.99', 5500).name).toBe('db-new');
    expect(t.resolve('10.244.1.99', 6000).name).toBe('db-new');
    expect(t.resolve('10.244.1.99', 9000).name).toBe('db-new');
  });

  it('ends the hold of a pod whose delete was missed when another pod takes its IP', () => {
    const t = new IdentityTable({ node: 'node-a' });
    t.upsertPod(pod('a', 'api-a', '10.244.1.7'), 1000);
    t.upsertPod(pod('b', 'db-b', '10.244.1.7'), 3000);
    expect(t.resolve('10.244.1.7', 2999).name).toBe('api-a');
    expect(t.resolve('10.244.1.7', 3000).name).toBe('db-b');
  });

  it('keeps the name of a deleted pod for late records, then forgets it after the history window', () => {
    const t = new IdentityTable({ node: 'node-a', historyMs: 1000 });
    t.upsertPod(pod('a', 'api-a', '10.244.1.8'), 0);
    t.deletePod('a', 100);
    expect(t.isLivePod('production', 'api-a')).toBe(false);
    expect(t.resolve('10.244.1.8', 50).name).toBe('api-a');
    t.prune(2000);
    expect(t.resolve('10.244.1.8', 50).kind).toBe('world');
  });

  it('follows a pod IP change and service selector changes', () => {
    const t = new IdentityTable({ node: 'node-a' });
    t.upsertPod(pod('a', 'api-a', '10.244.1.8'), 0);
    expect(t.resolve('10.244.1.8', 10).service).toBe('');
    t.upsertService({ namespace: 'production', name: 'zz-api', clusterIPs: [], selector: { app: 'api' } });
    t.upsertService({
      namespace: 'production',
      name: 'api',
      clusterIPs: ['10.96.0.1'],
      selector: { app: 'api' },
    });
    expect(t.resolve('10.244.1.8', 10).service).toBe('api');
    t.deleteService('production', 'api');
    expect(t.resolve('10.244.1.8', 10).service).toBe('zz-api');
    expect(t.resolve('10.96.0.1', 10).kind).toBe('world');
    t.upsertPod(pod('a', 'api-a', '10.244.1.9'), 100);
    expect(t.resolve('10.244.1.9', 200).name).toBe('api-a');
    expect(t.resolve('10.244.1.8', 200).kind).toBe('world');
    expect(t.resolve('10.244.1.8', 50).name).toBe('api-a');
  });

  it('tracks live pods, workloads and namespaces through an inventory reload', () => {
    const t = new IdentityTable({ node: 'node-a' });
    const inv = clusterInventory();
    applyInventory(t, inv, 0);
    expect(t.podCount).toBe(6);
    expect(t.isLiveWorkload('production', 'api')).toBe(true);
    inv.pods = inv.pods.filter((p) => p.workload !== 'api' && p.namespace !== 'monitoring');
    applyInventory(t, inv, 10);
    expect(t.isLiveWorkload('production', 'api')).toBe(false);
    expect(t.isLivePod('production', 'frontend-abc123')).toBe(true);
    expect(t.isLiveNamespace('monitoring')).toBe(false);
    expect(t.resolve(IP.api0, 20).kind).toBe('world');
    expect(t.resolve(IP.api0, 5).name).toBe('api-7f9c-0');
  });
});

describe('canonical addresses', () => {
  it('names an IPv6 pod however its address was written', () => {
    const t = new IdentityTable({ node: 'node-a' });
    t.upsertPod(pod('v6', 'redis-0', 'FD00:0244:0001:0000:0000:0000:0000:000A'), 0);
    t.upsertNode({ name: 'node-a', ips: ['2001:DB8::1'] });
    t.upsertService({
      namespace: 'production',
      name: 'redis',
      clusterIPs: ['fd00:96:0:0::10'],
      selector: { app: 'redis' },
    });
    expect(t.resolve('fd00:244:1::a', 1).name).toBe('redis-0');
    expect(t.resolve('2001:db8::1', 1).kind).toBe('host');
    expect(t.resolve('fd00:96::10', 1).kind).toBe('service');
    expect(canonicalIp('10.0.0.1')).toBe('10.0.0.1');
    expect(canonicalIp('::ffff:192.0.2.1')).toBe('::ffff:192.0.2.1');
    expect(canonicalIp('not-an-ip')).toBe('not-an-ip');
  });
});

describe('parseInventory', () => {
  it('accepts the lab inventory shape and refuses bad files with the field named', () => {
    expect(parseInventory(JSON.stringify(clusterInventory())).pods).toHaveLength(6);
    expect(() => parseInventory('{', 'inv.json')).toThrow(/inv\.json: not valid JSON/);
    const bad = clusterInventory() as unknown as { pods: { ips: unknown }[] };
    bad.pods[2]!.ips = 'x';
    expect(() => parseInventory(JSON.stringify(bad), 'inv.json')).toThrow(
      /inv\.json: not a Weft inventory: \/pods\/2\/ips/,
    );
  });
});
