import { describe, expect, it } from 'vitest';
import { planLab } from '../topology/addressPlan.js';
import { defaultTopology } from '../topology/defaultTopology.js';
import { agentConfigs, dnsZone } from './agentConfig.js';

const plan = planLab(defaultTopology(), 'wlt');
const configs = agentConfigs(plan, { controlSocket: (i) => `/s/${i}.sock`, pidFile: (i) => `/s/${i}.pid` });
const byLabel = (l: string) => configs.find((c) => c.label === l)!;

describe('agentConfigs', () => {
  it('gives every pod and the world one agent', () => {
    expect(configs).toHaveLength(plan.pods.length + 1);
    expect(configs.at(-1)!.label).toBe('world');
    expect(configs.at(-1)!.servers).toEqual([{ port: 443, proto: 'tcp', app: 'http' }]);
  });

  it('serves the ports of the services selecting the pod', () => {
    expect(byLabel('production/db-0').servers).toEqual([
      { port: 5432, proto: 'tcp', app: 'kv' },
      { port: 9090, proto: 'tcp', app: 'http' },
      { port: 9187, proto: 'tcp', app: 'http' },
    ]);
    const dns = byLabel('kube-system/coredns-5d78c9869d-q7b2v');
    expect(dns.servers).toEqual([{ port: 53, proto: 'udp', app: 'dns' }]);
    // Slow answers are the scenario's fault s6 (faultPlan.ts), not the server's own setting.
    expect(dns.dns?.slowEvery).toBe(0);
  });

  it('runs the workload’s traffic on each of its pods, through the cluster DNS', () => {
    const api = byLabel('production/api-5c8d7f9b6-h4j2k');
    expect(api.generators.map((g) => [g.name, g.kind, g.host, g.port, g.family])).toEqual([
      ['api-to-db', 'kv', 'db.production.svc.cluster.local', 5432, 4],
      ['api-to-redis', 'kv', 'redis.production.svc.cluster.local', 6379, 6],
      ['api-to-payments', 'http', 'api.payments.example', 443, 4],
    ]);
    const coredns = plan.pods.find((p) => p.workload === 'coredns')!;
    expect(configs.every((c) => c.dnsServer === coredns.ipv4)).toBe(true);
    const prom = byLabel('monitoring/prometheus-0');
    expect(prom.generators.find((g) => g.name === 'scrape-redis-exporter')).toMatchObject({
      kind: 'http',
      port: 9121,
    });
    // The lookups of a deleted name are the fault s4's own client: they run while it is on.
    expect(byLabel('production/frontend-7d9f8c6b5-x2k4p').generators.map((g) => g.kind)).toEqual(['http']);
  });

  it('puts services and externals in the DNS zone', () => {
    const zone = dnsZone(plan);
    const api = zone.find((z) => z.name === 'api.production.svc.cluster.local')!;
    expect(api.a).toHaveLength(2);
    expect(api.aaaa).toHaveLength(2);
    expect(zone.find((z) => z.name === 'api.payments.example')?.a).toEqual([plan.world!.externals[0]!.ipv4]);
  });
});
