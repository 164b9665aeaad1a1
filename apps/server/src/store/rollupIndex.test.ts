import { describe, expect, it } from 'vitest';
import { RollupIndex } from './rollupIndex.js';
import { EdgeSeries } from './series.js';

const rollup = (port: number) => new EdgeSeries(null as never, null as never, 'tcp', port);

describe('RollupIndex', () => {
  it('finds a rollup by both ends and portId, not by any two of them', () => {
    const index = new RollupIndex();
    const a = rollup(80);
    const b = rollup(443);
    index.set('ns:shop', 'ns:db', a.portId, a);
    index.set('ns:shop', 'ns:db', b.portId, b);
    // Equal strings made apart: the lookup compares contents, not string objects.
    const shop = ['ns:', 'shop'].join('');
    expect(index.get(shop, 'ns:db', a.portId)).toBe(a);
    expect(index.get('ns:shop', 'ns:db', b.portId)).toBe(b);
    expect(index.get('ns:db', 'ns:shop', a.portId)).toBeUndefined();
    expect(index.get('ns:shop', 'world', a.portId)).toBeUndefined();
    expect(index.get('ns:shop', 'ns:db', 53 * 8 + 1)).toBeUndefined();
  });

  it('forgets deleted rollups and keeps the others of the same ends', () => {
    const index = new RollupIndex();
    const a = rollup(80);
    const b = rollup(443);
    index.set('ns:shop', 'ns:db', a.portId, a);
    index.set('ns:shop', 'ns:db', b.portId, b);
    index.delete('ns:shop', 'ns:db', a.portId);
    expect(index.get('ns:shop', 'ns:db', a.portId)).toBeUndefined();
    expect(index.get('ns:shop', 'ns:db', b.portId)).toBe(b);
    index.delete('ns:shop', 'ns:db', b.portId);
    index.delete('ns:gone', 'ns:db', b.portId);
    expect(index.get('ns:shop', 'ns:db', b.portId)).toBeUndefined();
    // Made again after its ends' Maps went.
    index.set('ns:shop', 'ns:db', b.portId, b);
    expect(index.get('ns:shop', 'ns:db', b.portId)).toBe(b);
  });
});
