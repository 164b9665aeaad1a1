import { describe, expect, it } from 'vitest';
import { buildSimModel, simulateInterval } from '../simulate/simulate.js';
import { planLab } from '../topology/addressPlan.js';
import { defaultTopology } from '../topology/defaultTopology.js';
import { LAB_ALERT_PROFILE } from './labAlertProfile.js';
import { applyScenario, type Scenario } from './scenario.js';

/** What the alert rules measure, per second over ten simulated minutes of the scenario on every node. */
function alertInputs(scenario: Scenario) {
  const plan = planLab(applyScenario(defaultTopology(), scenario));
  const model = buildSimModel(plan);
  const seconds = 600;
  let drops = 0;
  let lookups = 0;
  let failedLookups = 0;
  let failedConnects = 0;
  for (let k = 0; k < seconds; k++)
    for (const node of plan.nodes)
      for (const r of simulateInterval(model, k, node.name)) {
        if (r.type === 'drop') drops += r.packets;
        else if (r.type === 'dns') {
          lookups++;
          if (r.rcode !== 'NOERROR') failedLookups++;
        } else if (r.type === 'tcp' && r.event === 'connect_fail') failedConnects++;
      }
  return {
    dropsPerSec: drops / seconds,
    dnsFailureRatio: failedLookups / lookups,
    failedConnectsPerSec: failedConnects / seconds,
  };
}

describe('the lab alert profile', () => {
  it('is crossed by the default scenario’s faults, twice over, and not by the clean one', () => {
    const faulty = alertInputs('default');
    const p = LAB_ALERT_PROFILE;
    expect(faulty.dropsPerSec).toBeGreaterThanOrEqual(2 * p.alertDropRate);
    expect(faulty.dnsFailureRatio).toBeGreaterThanOrEqual(2 * p.alertDnsFailureRatio);
    expect(faulty.failedConnectsPerSec).toBeGreaterThanOrEqual(2 * p.alertTcpFailureRate);
    const clean = alertInputs('clean');
    expect(clean.dropsPerSec).toBeLessThan(p.alertDropRate);
    expect(clean.dnsFailureRatio).toBeLessThan(p.alertDnsFailureRatio);
    expect(clean.failedConnectsPerSec).toBeLessThan(p.alertTcpFailureRate);
  });

  it('fires well inside five minutes of the lab coming up', () => {
    const p = LAB_ALERT_PROFILE;
    // The value is a rate over the data seen so far (it needs no full window), so a fault present from
    // the start goes pending at the first evaluation and fires `for` later: two minutes leave the lab
    // its build time.
    expect(p.alertIntervalS + p.alertForS + p.alertIntervalS).toBeLessThanOrEqual(120);
  });
});
