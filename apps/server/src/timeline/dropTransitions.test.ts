import { describe, expect, it } from 'vitest';
import { dropTransitions } from './dropTransitions.js';

describe('dropTransitions', () => {
  it('finds where drops start after quiet steps and stop after dropping ones', () => {
    expect(dropTransitions([0, 0, 3, 4, 0, 0, 1, 0])).toEqual([
      { kind: 'drops_started', step: 2, evidence: 2 },
      { kind: 'drops_stopped', step: 4, evidence: 3 },
      { kind: 'drops_started', step: 6, evidence: 6 },
      { kind: 'drops_stopped', step: 7, evidence: 6 },
    ]);
  });

  it('reports no start for drops already under way at the first point, nor anything for steady ones', () => {
    expect(dropTransitions([5, 5, 0])).toEqual([{ kind: 'drops_stopped', step: 2, evidence: 1 }]);
    expect(dropTransitions([2, 2, 2])).toEqual([]);
    expect(dropTransitions([0, 0])).toEqual([]);
    expect(dropTransitions([])).toEqual([]);
  });
});
