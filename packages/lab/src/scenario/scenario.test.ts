import { describe, expect, it } from 'vitest';
import { defaultTopology } from '../topology/defaultTopology.js';
import { validateTopology } from '../topology/validateTopology.js';
import { applyScenario } from './scenario.js';

describe('applyScenario', () => {
  it('default keeps one of each common fault, each a fault with its id, and their clients', () => {
    const t = applyScenario(defaultTopology(), 'default');
    expect((t.faults ?? []).map((f) => [f.id, f.fault.kind])).toEqual([
      ['s1', 'policy-drop'],
      ['s2', 'refused'],
      ['s3', 'timeout'],
      ['s4', 'dns-nxdomain'],
      ['s5', 'dns-servfail'],
      ['s6', 'dns-slow'],
    ]);
    expect(t.policies).toHaveLength(1);
    expect(t.lookups?.map((l) => l.fault)).toEqual(['s4', 's5']);
    expect(t.traffic.filter((f) => f.trouble).map((f) => f.name)).toEqual([
      'legacy-worker-to-api',
      'scrape-redis-exporter',
      'scrape-db-exporter',
    ]);
  });

  it('clean has none, and is still a valid topology', () => {
    const t = applyScenario(defaultTopology(), 'clean');
    expect(t.pods.some((p) => p.trouble)).toBe(false);
    expect(t.traffic.some((f) => f.trouble)).toBe(false);
    expect(t.policies).toEqual([]);
    expect(t.lookups).toEqual([]);
    expect(t.faults).toEqual([]);
    expect(t.dns).toBeUndefined();
    expect(validateTopology(t)).toBe(t);
  });
});
