import { PolicyEvaluator, parsePolicies } from '@weft/policy';
import { describe, expect, it } from 'vitest';
import { labWorld } from '../lifecycle/labWorld.js';
import { planLab } from '../topology/addressPlan.js';
import { defaultTopology } from '../topology/defaultTopology.js';
import { simulatedInventory } from '../topology/inventory.js';
import { applyScenario } from './scenario.js';
import { scenarioFaults } from './scenarioFaults.js';
import { scenarioPolicies } from './scenarioPolicies.js';

describe('scenarioPolicies', () => {
  const plan = planLab(applyScenario(defaultTopology(), 'default'), 'wlt');
  const pod = (workload: string) => plan.pods.find((p) => p.workload === workload)!;
  const flow = (from: string, port = 80) => ({
    src: { namespace: pod(from).namespace, name: pod(from).name },
    dst: { namespace: 'production', name: pod('api').name },
    protocol: 'TCP' as const,
    port,
  });

  it("writes the default scenario's policy as a NetworkPolicy refusing legacy-worker only", () => {
    const policies = scenarioPolicies(plan, scenarioFaults(plan));
    expect(policies.map((p) => `${p.namespace}/${p.name}`)).toEqual(['production/api-allow-frontend']);
    const ev = new PolicyEvaluator(policies, labWorld(plan));
    const denied = ev.evaluate(flow('legacy-worker'));
    expect(denied.allowed).toBe(false);
    expect(denied.ingress.policies).toEqual([{ namespace: 'production', name: 'api-allow-frontend' }]);
    expect(ev.evaluate(flow('frontend')).allowed).toBe(true);
    expect(ev.evaluate(flow('prometheus', 9090)).allowed).toBe(true);
  });

  it('is the fault s1: in force while s1 is on, gone when it is cleared', () => {
    const faults = scenarioFaults(plan);
    expect(faults.find((f) => f.id === 's1')).toMatchObject({
      kind: 'policy-drop',
      policy: 'production/api-allow-frontend',
    });
    expect(
      scenarioPolicies(
        plan,
        faults.filter((f) => f.id !== 's1'),
      ),
    ).toEqual([]);
    const inv = simulatedInventory(
      defaultTopology(),
      'default',
      faults.filter((f) => f.id !== 's1'),
    );
    expect(inv.policies).toBeUndefined();
  });

  it('has none in the clean scenario, and the simulated inventory lists them as API objects', () => {
    const clean = planLab(applyScenario(defaultTopology(), 'clean'), 'wlt');
    expect(scenarioPolicies(clean, scenarioFaults(clean))).toEqual([]);
    const inv = simulatedInventory(defaultTopology(), 'default');
    expect(parsePolicies(JSON.stringify({ kind: 'List', items: inv.policies })).map((p) => p.name)).toEqual([
      'api-allow-frontend',
    ]);
  });
});
