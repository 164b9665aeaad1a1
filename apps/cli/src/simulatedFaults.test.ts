import { existsSync } from 'node:fs';
import { applyScenario, defaultTopology, type FaultSpec, planLab, scenarioFaults } from '@weft/lab';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addSimulatedFault,
  clearSimulatedFaults,
  listSimulatedFaults,
  restoreSimulatedFault,
  serveSimulatedFaults,
  simulatedFaultsPath,
  simulatedLabRunning,
} from './simulatedFaults.js';

const prefix = `wsf${process.pid % 1000}`;
let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe('the simulated lab fault switch', () => {
  it('hands faults added and cleared from another process to the running sources', async () => {
    const seen: FaultSpec[][] = [];
    const changed = () =>
      new Promise<void>((r) => {
        const n = seen.length;
        const t = setInterval(() => {
          if (seen.length === n) return;
          clearInterval(t);
          r();
        }, 20);
      });
    expect(simulatedLabRunning(prefix)).toBe(false);
    stop = serveSimulatedFaults(prefix, (f) => seen.push(f));
    expect(simulatedLabRunning(prefix)).toBe(true);

    let next = changed();
    const fault = addSimulatedFault(prefix, {
      kind: 'policy-drop',
      from: 'production/frontend',
      to: 'production/api',
    });
    await next;
    expect(fault.id).toBe('f1');
    expect(seen.at(-1)).toMatchObject([
      { kind: 'policy-drop', from: 'production/frontend', to: 'production/api' },
    ]);
    expect(listSimulatedFaults(prefix)).toHaveLength(1);

    expect(() => clearSimulatedFaults(prefix, 'f9')).toThrow(
      /no active fault "f9" \(active: f1 \(policy-drop\)\)/,
    );
    next = changed();
    expect(clearSimulatedFaults(prefix).map((f) => f.id)).toEqual(['f1']);
    await next;
    expect(seen.at(-1)).toEqual([]);

    stop();
    stop = undefined;
    expect(existsSync(simulatedFaultsPath(prefix))).toBe(false);
  });

  it('refuses a malformed fault with the lab’s own message', () => {
    stop = serveSimulatedFaults(prefix, () => {});
    expect(() => addSimulatedFault(prefix, { kind: 'melt' } as unknown as FaultSpec)).toThrow(
      /unknown fault "melt"/,
    );
    expect(listSimulatedFaults(prefix)).toEqual([]);
  });

  it("starts with the scenario's faults, clears one by id and puts it back by id", async () => {
    const plan = planLab(applyScenario(defaultTopology(), 'default'));
    const seen: string[][] = [];
    stop = serveSimulatedFaults(prefix, (f) => seen.push(f.map((x) => x.id)), scenarioFaults(plan));
    const ids = ['s1', 's2', 's3', 's4', 's5', 's6'];
    expect(listSimulatedFaults(prefix).map((f) => [f.id, f.origin])).toEqual(
      ids.map((id) => [id, 'scenario']),
    );
    expect(clearSimulatedFaults(prefix, 's4').map((f) => f.id)).toEqual(['s4']);
    await waitUntil(() => seen.at(-1)?.join() === 's1,s2,s3,s5,s6');
    expect(restoreSimulatedFault(prefix, 's4').id).toBe('s4');
    await waitUntil(() => seen.at(-1)?.join() === 's1,s2,s3,s5,s6,s4');
    expect(() => restoreSimulatedFault(prefix, 's4')).toThrow(/fault s4 is already on/);
    expect(addSimulatedFault(prefix, { kind: 'refused', target: 'production/db', port: 5432 }).id).toBe('f1');
  });
});

async function waitUntil(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(cond()).toBe(true);
}
