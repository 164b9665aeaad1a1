import { PolicyEvaluator } from '@weft/policy';
import { describe, expect, it } from 'vitest';
import { planLab } from './addressPlan.js';
import { defaultTopology } from './defaultTopology.js';
import { agentFaults, checkFaultTargets, faultPolicy, netnsFaults, resolvePodRef } from './faultPlan.js';
import { describeFault, type Fault } from './faultSpec.js';
import { labWorld } from './labWorld.js';
import { guardRuleset } from './netfilterRules.js';

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

  it('puts blackholes in the target pods', () => {
    const n = netnsFaults(plan, faults);
    const redis = plan.pods.find((p) => p.workload === 'redis')!;
    expect(n.get(redis.netns)?.blackholePorts).toEqual([6379]);
  });

  it('writes a policy drop as a NetworkPolicy at the target letting in every address but the source', () => {
    const p = faultPolicy(plan, faults[0] as Fault & { kind: 'policy-drop' });
    const fe = plan.pods.filter((x) => x.workload === 'frontend');
    expect(p).toMatchObject({
      namespace: 'production',
      name: 'lab-fault-f1',
      podSelector: { matchLabels: { app: 'db' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          peers: [
            { ipBlock: { cidr: '0.0.0.0/0', except: fe.map((x) => `${x.ipv4}/32`) } },
            { ipBlock: { cidr: '::/0', except: fe.map((x) => `${x.ipv6}/128`) } },
          ],
        },
      ],
    });
    const ev = new PolicyEvaluator([p], labWorld(plan));
    const flow = (from: string) => ({
      src: { namespace: 'production', name: from },
      dst: { namespace: 'production', name: 'db-0' },
      protocol: 'TCP' as const,
      port: 5432,
    });
    expect(ev.evaluate(flow(fe[0]!.name)).allowed).toBe(false);
    expect(ev.evaluate(flow(plan.pods.find((x) => x.workload === 'api')!.name)).allowed).toBe(true);
  });

  it('refuses a policy drop at one replica of several: a policy selects by label', () => {
    const api0 = plan.pods.find((x) => x.workload === 'api')!;
    expect(() =>
      faultPolicy(
        plan,
        f({ kind: 'policy-drop', from: 'production/frontend', to: `production/${api0.name}` }) as Fault & {
          kind: 'policy-drop';
        },
      ),
    ).toThrow(/labels of .* also select api-.*: name the workload instead/);
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

  it('writes the guard ruleset over the lab ranges', () => {
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
