import { describe, expect, it } from 'vitest';
import { fixtures } from '../api/fixtures.js';
import { filterFlows, sortFlows } from './flowTable.js';

const rows = fixtures.flows.flows;

describe('flow table', () => {
  it('sorts by number and by text, both ways, stable on ties', () => {
    expect(sortFlows(rows, { column: 'bytes', desc: true }).map((r) => r.bytes)).toEqual([
      15_000_000, 1_000_000, 270,
    ]);
    expect(sortFlows(rows, { column: 'dport', desc: false }).map((r) => r.dport)).toEqual([80, 443, 5432]);
    expect(sortFlows(rows, { column: 'dst', desc: false })[0]!.dst.name).toBe('api-5c6b7-def34');
    const ties = sortFlows(rows, { column: 'proto', desc: false });
    expect(ties).toEqual(rows);
  });
  it('filters on every term', () => {
    expect(filterFlows(rows, 'policy_drop')).toHaveLength(1);
    expect(filterFlows(rows, 'production/api :5432')).toHaveLength(1);
    expect(filterFlows(rows, '192.0.2.10')).toHaveLength(1);
    expect(filterFlows(rows, '  ')).toHaveLength(3);
    expect(filterFlows(rows, 'nothing-like-this')).toHaveLength(0);
  });
});
