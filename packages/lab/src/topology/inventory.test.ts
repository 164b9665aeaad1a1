import { Inventory } from '@weft/protocol';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { planLab } from './addressPlan.js';
import { defaultTopology } from './defaultTopology.js';
import { buildInventory, simulatedInventory } from './inventory.js';

describe('inventory', () => {
  it('is a valid protocol Inventory with host-side veths and headless services', () => {
    const inv = buildInventory(planLab(defaultTopology(), 'wlt'));
    expect(Value.Check(Inventory, inv)).toBe(true);
    expect(inv.simulated).toBeUndefined();
    expect(inv.pods).toHaveLength(9);
    for (const p of inv.pods) expect(p.hostIfname).toMatch(/^wlt[12]-\d+$/);
    // the nodes share this kernel: each pod names its namespace, so a collector places drops
    for (const p of inv.pods) expect(p.netns).toBe(`wlt-${p.namespace}-${p.name}`);
    const api = inv.pods.find((p) => p.name === 'api-5c8d7f9b6-h4j2k')!;
    expect(api).toMatchObject({
      namespace: 'production',
      workloadKind: 'Deployment',
      workload: 'api',
      node: 'lab-node-1',
    });
    expect(inv.services.every((s) => s.clusterIPs.length === 0)).toBe(true);
    expect(inv.nodes.map((n) => n.podCIDRs?.length)).toEqual([2, 2]);
    // Namespaces carry the label namespaceSelectors name them by.
    expect(inv.namespaces).toContainEqual({
      name: 'monitoring',
      labels: { 'kubernetes.io/metadata.name': 'monitoring' },
    });
  });

  it('marks the simulated lab and uses the default addresses', () => {
    const inv = simulatedInventory(defaultTopology());
    expect(Value.Check(Inventory, inv)).toBe(true);
    expect(inv.simulated).toBe(true);
    expect(inv.pods.some((p) => p.netns !== undefined)).toBe(false);
    expect(inv.pods[0]!.ips[0]).toMatch(/^10\.244\.[12]\./);
    expect(
      simulatedInventory(defaultTopology(), 'clean').pods.some((p) => p.workload === 'legacy-worker'),
    ).toBe(false);
  });
});
