import { describe, expect, it } from 'vitest';
import { defaultTopology } from './defaultTopology.js';
import { applyScenario } from './scenario.js';
import { validateTopology } from './validateTopology.js';

describe('applyScenario', () => {
  it('default keeps one of each trouble', () => {
    const t = applyScenario(defaultTopology(), 'default');
    expect(t.policies).toHaveLength(1);
    expect(t.lookups).toHaveLength(1);
    expect(t.dns?.slowEvery).toBeGreaterThan(0);
    expect(t.traffic.filter((f) => f.trouble).map((f) => f.name)).toEqual([
      'legacy-worker-to-api',
      'scrape-redis-exporter',
    ]);
  });

  it('clean has none, and is still a valid topology', () => {
    const t = applyScenario(defaultTopology(), 'clean');
    expect(t.pods.some((p) => p.trouble)).toBe(false);
    expect(t.traffic.some((f) => f.trouble)).toBe(false);
    expect(t.policies).toEqual([]);
    expect(t.lookups).toEqual([]);
    expect(t.dns).toBeUndefined();
    expect(validateTopology(t)).toBe(t);
  });
});
