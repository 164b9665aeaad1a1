import { describe, expect, it } from 'vitest';
import { planLab } from './addressPlan.js';
import { defaultTopology } from './defaultTopology.js';
import { agentFaults, checkFaultTargets, netnsFaults, resolvePodRef } from './faultPlan.js';
import { describeFault, type Fault } from './faultSpec.js';
import { guardRuleset, podPolicyRuleset } from './netfilterRules.js';

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
    f({ kind: 'dns-slow', name: null, delayMs: 700 }, 'f4'),
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
    expect(a.get(plan.pods.find((p) => p.name === 'db-0')!.netns)?.spikes).toMatchObject([
      { host: 'api.payments.example', port: 443, requestBytes: 100_000, ratePerSec: 10 },
    ]);
    expect(a.get(plan.world!.netns)?.dns).toEqual([{ mode: 'slow', name: null, delayMs: 700 }]);
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
    expect(describeFault(f({ kind: 'dns-slow', name: null, delayMs: 500 }))).toBe(
      'dns-slow (every name) +500 ms',
    );
    expect(describeFault(f({ kind: 'timeout', target: 'redis', port: 6379 }))).toBe('timeout redis:6379');
  });
});
