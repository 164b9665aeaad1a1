import { describe, expect, it } from 'vitest';
import { addFault, clearFaults, isScenarioFaultId, restoreFault, startingFaults } from './faultBook.js';
import type { Fault } from './faultSpec.js';

const s1: Fault = {
  kind: 'refused',
  target: 'production/redis',
  port: 9121,
  id: 's1',
  since: 1,
  origin: 'scenario',
};
const s2: Fault = { kind: 'dns-nxdomain', name: 'gone.example', id: 's2', since: 1, origin: 'scenario' };

describe('the fault book', () => {
  it('starts with the scenario’s faults on, clears one by id and puts it back by id', () => {
    let file = startingFaults([s1, s2]);
    expect(file.faults.map((f) => f.id)).toEqual(['s1', 's2']);
    const cleared = clearFaults(file, 's1');
    expect(cleared.cleared).toEqual([s1]);
    file = cleared.file;
    expect(file.faults.map((f) => f.id)).toEqual(['s2']);
    const back = restoreFault(file, 's1', 50);
    expect(back.fault).toEqual({ ...s1, since: 50 });
    expect(back.file.faults.map((f) => f.id)).toEqual(['s2', 's1']);
    expect(() => restoreFault(back.file, 's1', 60)).toThrow(/fault s1 is already on/);
    expect(() => restoreFault(back.file, 's9', 60)).toThrow(
      /no built-in fault "s9" \(the scenario's: s1, s2\)/,
    );
  });

  it('numbers added faults f1, f2, ... and clears by id, kind or all', () => {
    let file = startingFaults([s1]);
    const a = addFault(file, { kind: 'timeout', target: 'production/db', port: 5432 }, 7);
    expect(a.fault).toEqual({ kind: 'timeout', target: 'production/db', port: 5432, id: 'f1', since: 7 });
    file = addFault(a.file, { kind: 'refused', target: 'production/api', port: 80 }, 8).file;
    expect(file.faults.map((f) => f.id)).toEqual(['s1', 'f1', 'f2']);
    expect(clearFaults(file, 'refused').cleared.map((f) => f.id)).toEqual(['s1', 'f2']);
    expect(clearFaults(file, undefined).file.faults).toEqual([]);
    expect(() => clearFaults(file, 'f9')).toThrow(
      /no active fault "f9" \(active: s1 \(refused\), f1 \(timeout\), f2 \(refused\)\)/,
    );
    expect(startingFaults([]).scenario).toEqual([]);
  });

  it('tells a scenario fault id from the rest', () => {
    expect(['s1', 's12', 'f1', 's0', 'refused', 's123'].map(isScenarioFaultId)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
