import { describe, expect, it } from 'vitest';
import { guardRuleset, podPolicyRuleset } from '../netfilter/netfilterRules.js';
import { applyScenario } from '../scenario/scenario.js';
import { scenarioFaults } from '../scenario/scenarioFaults.js';
import { planLab } from '../topology/addressPlan.js';
import { defaultTopology } from '../topology/defaultTopology.js';
import { agentFaults, checkFaultTargets, netnsFaults, resolvePodRef } from './faultPlan.js';
import { describeFault, type Fault } from './faultSpec.js';

const plan = planLab(defaultTopology(), 'wlt');
const f = (x: Record<string, unknown>, id = 'f1'): Fault => ({ ...x, id, since: 0 }) as Fault;

describe('resolvePodRef', () => {
  it('finds pods by name, workload or service', () => {
    expect(resolvePodRef(plan, 'production/db-0').map((p) => p.name)).toEqual(['db-0']);
    expect(resolvePodRef(plan, 'production/frontend')).toHaveLength(2);
    expect(resolvePodRef(plan, 'kube-system/kube-dns').map((p) => p.workload)).toEqual(['coredns']);
    expect(resolvePodRef(plan, 'redis')).toHaveLength(1);
  });

  it('says what exists when nothing matches', () => {
    expect(() => resolvePodRef(plan, 'production/ghost')).toThrow(
      /no pod, workload or service matches "production\/ghost".*production\/api/,
    );
    expect(() =>
      checkFaultTargets(plan, {
        kind: 'bandwidth-spike',
        from: 'api',
        to: 'nowhere',
        port: null,
        bytesPerSec: 1,
      }),
    ).toThrow(/not a service or external name/);
  });
});

describe('fault plans', () => {
  const faults = [
    f({ kind: 'policy-drop', from: 'production/frontend', to: 'production/db' }),
    f({ kind: 'timeout', target: 'production/redis', port: 6379 }, 'f2'),
    f({ kind: 'refused', target: 'production/api', port: 80 }, 'f3'),
    f({ kind: 'dns-slow', name: null, delayMs: 700, every: 1 }, 'f4'),
    f(
      {
        kind: 'bandwidth-spike',
        from: 'production/db-0',
        to: 'api.payments.example',
        port: null,
        bytesPerSec: 1_000_000,
      },
      'f5',
    ),
  ];

  it('puts drops and blackholes in the target pods', () => {
    const n = netnsFaults(plan, faults);
    const db = plan.pods.find((p) => p.name === 'db-0')!;
    const fe = plan.pods.filter((p) => p.workload === 'frontend').flatMap((p) => [p.ipv4, p.ipv6]);
    expect(n.get(db.netns)?.dropFrom).toEqual([...fe].sort());
    const redis = plan.pods.find((p) => p.workload === 'redis')!;
    expect(n.get(redis.netns)?.blackholePorts).toEqual([6379]);
  });

  it('tells each agent its part', () => {
    const a = agentFaults(plan, faults);
    for (const p of plan.pods.filter((x) => x.workload === 'api'))
      expect(a.get(p.netns)?.closedPorts).toEqual([80]);
    expect(a.get(plan.pods.find((p) => p.name === 'db-0')!.netns)?.generators).toMatchObject([
      { host: 'api.payments.example', port: 443, requestBytes: 100_000, ratePerSec: 10 },
    ]);
    expect(a.get(plan.world!.netns)?.dns).toEqual([{ mode: 'slow', name: null, delayMs: 700, every: 1 }]);
  });

  it('writes nft rulesets that replace their table', () => {
    const r = podPolicyRuleset('wlt_fault', ['10.244.1.10', 'fd00:244:1::a']);
    expect(r).toContain('delete table inet wlt_fault');
    expect(r).toContain('ip saddr { 10.244.1.10 } counter drop');
    expect(r).toContain('ip6 saddr { fd00:244:1::a } counter drop');
    expect(podPolicyRuleset('wlt_fault', [])).not.toContain('chain');
    const g = guardRuleset(plan);
    expect(g).toContain(`table inet wlt_guard`);
    for (const range of [...plan.ranges4, ...plan.ranges6]) expect(g).toContain(range);
    expect(g).toContain('oifname != "wlt*" counter drop');
  });
});

describe('describeFault', () => {
  it('says each fault in one line, without its id (the CLI prints that)', () => {
    expect(describeFault(f({ kind: 'policy-drop', from: 'production/frontend', to: 'production/db' }))).toBe(
      'policy-drop production/frontend -> production/db',
    );
    expect(describeFault(f({ kind: 'dns-slow', name: null, delayMs: 500, every: 1 }))).toBe(
      'dns-slow (every name) +500 ms',
    );
    expect(describeFault(f({ kind: 'timeout', target: 'redis', port: 6379 }))).toBe('timeout redis:6379');
  });
});

describe("the default scenario's faults", () => {
  const plan = planLab(applyScenario(defaultTopology(), 'default'), 'wlt');
  const faults = scenarioFaults(plan, 1);
  const fe = plan.pods.find((p) => p.workload === 'frontend')!;
  const coredns = plan.pods.find((p) => p.workload === 'coredns')!;

  it('are six faults with ids, one of each common kind, none a bare netfilter drop', () => {
    expect(faults.map((f) => `${f.id} ${describeFault(f)}`)).toEqual([
      "s1 policy-drop production/legacy-worker -> production/api (NetworkPolicy production/api-allow-frontend)  (built in: the scenario's)",
      "s2 refused production/redis:9121  (built in: the scenario's)",
      "s3 timeout production/db:9187  (built in: the scenario's)",
      "s4 dns-nxdomain recommendations.production.svc.cluster.local  (built in: the scenario's)",
      "s5 dns-servfail ledger.payments.example  (built in: the scenario's)",
      "s6 dns-slow (every name) +300 ms, 1 answer in 50  (built in: the scenario's)",
    ]);
    // s1 is the NetworkPolicy (scenarioPolicies.ts); s3 blackholes db's exporter port.
    const n = netnsFaults(plan, faults);
    expect([...n.values()].some((v) => v.dropFrom.length > 0)).toBe(false);
    expect(n.get(plan.pods.find((p) => p.workload === 'db')!.netns)?.blackholePorts).toEqual([9187]);
  });

  it("run their own clients while on: clearing s4 stops the frontend's lookups of the deleted name", () => {
    const lookups = (on: readonly Fault[]) =>
      agentFaults(plan, on)
        .get(fe.netns)!
        .generators.map((g) => [g.kind, g.host]);
    expect(lookups(faults)).toEqual([['lookup', 'recommendations.production.svc.cluster.local']]);
    expect(lookups(faults.filter((f) => f.id !== 's4'))).toEqual([]);
    expect(agentFaults(plan, faults).get(coredns.netns)!.dns).toEqual([
      { mode: 'nxdomain', name: 'recommendations.production.svc.cluster.local', delayMs: 0, every: 1 },
      { mode: 'servfail', name: 'ledger.payments.example', delayMs: 0, every: 1 },
      { mode: 'slow', name: null, delayMs: 300, every: 50 },
    ]);
  });
});
