import { describe, expect, it } from 'vitest';
import { overlaps } from '../lifecycle/labNetwork.js';
import { planLab } from './addressPlan.js';
import { defaultTopology } from './defaultTopology.js';
import { checkPrefix, prefixSlot } from './prefix.js';

describe('planLab', () => {
  const plan = planLab(defaultTopology());

  it('gives the default prefix the documented ranges', () => {
    expect(plan.nodes.map((n) => [n.cidr4, n.cidr6, n.gateway4])).toEqual([
      ['10.244.1.0/24', 'fd00:244:1::/64', '10.244.1.1'],
      ['10.244.2.0/24', 'fd00:244:2::/64', '10.244.2.1'],
    ]);
    expect(plan.world?.cidr4).toBe('203.0.113.0/28');
    expect(plan.world?.externals[0]?.ipv4).toBe('203.0.113.10');
  });

  it('puts every pod in its node subnet with a per-node veth prefix within 15 bytes', () => {
    for (const p of plan.pods) {
      const n = plan.nodes.find((x) => x.name === p.node)!;
      expect(overlaps(p.ipv4, n.cidr4)).toBe(true);
      expect(overlaps(p.ipv6, n.cidr6)).toBe(true);
      expect(p.hostIfname.startsWith(n.ifacePrefix)).toBe(true);
      expect(p.hostIfname.length).toBeLessThanOrEqual(15);
      expect(p.netns).toBe(`weft-${p.namespace}-${p.name}`);
    }
    const ips = plan.pods.flatMap((p) => [p.ipv4, p.ipv6]);
    expect(new Set(ips).size).toBe(ips.length);
    expect(new Set(plan.pods.map((p) => p.hostIfname)).size).toBe(plan.pods.length);
  });

  it('spreads replicas over both nodes', () => {
    const nodesOf = (w: string) => new Set(plan.pods.filter((p) => p.workload === w).map((p) => p.node));
    expect(nodesOf('frontend').size).toBe(2);
    expect(nodesOf('api').size).toBe(2);
  });

  it('keeps bridges and the world link out of the per-node veth prefix', () => {
    const names = [...plan.nodes.map((n) => n.bridge), plan.world!.hostIfname];
    for (const n of plan.nodes) for (const name of names) expect(name.startsWith(n.ifacePrefix)).toBe(false);
  });

  it('gives another prefix ranges that do not overlap the default ones', () => {
    const other = planLab(defaultTopology(), 'wlt');
    expect(other.slot).toBe(prefixSlot('wlt'));
    expect(other.slot).not.toBe(0);
    for (const a of [...other.ranges4, ...other.ranges6])
      for (const b of [...plan.ranges4, ...plan.ranges6]) expect(overlaps(a, b)).toBe(false);
    expect(other.pods[0]!.hostIfname).toMatch(/^wlt1-0$/);
  });

  it('refuses prefixes that would break interface names or matching', () => {
    expect(() => checkPrefix('Weft')).toThrow(/lower-case/);
    expect(() => checkPrefix('w')).toThrow();
    expect(() => checkPrefix('waytoolongprefix')).toThrow();
    expect(() => checkPrefix('we-ft')).toThrow();
    expect(() => planLab(defaultTopology(), 'ok1', 15)).toThrow(/slot/);
  });
});

describe('overlaps', () => {
  it('compares CIDRs of one family', () => {
    expect(overlaps('10.244.0.0/16', '10.244.3.0/24')).toBe(true);
    expect(overlaps('10.244.3.0/24', '10.244.4.0/24')).toBe(false);
    expect(overlaps('0.0.0.0/0', '10.0.0.0/8')).toBe(true);
    expect(overlaps('fd00::/64', 'fd00:244:1::/64')).toBe(false);
    expect(overlaps('fd00::/8', 'fd00:244:1::/64')).toBe(true);
    expect(overlaps('10.0.0.0/8', 'fd00::/8')).toBe(false);
  });
});
