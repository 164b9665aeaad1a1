import { existsSync } from 'node:fs';
import type { FaultSpec } from '@weft/lab';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addSimulatedFault,
  clearSimulatedFaults,
  listSimulatedFaults,
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
});
