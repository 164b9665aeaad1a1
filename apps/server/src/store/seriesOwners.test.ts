import { describe, expect, it } from 'vitest';
import { SeriesOwners } from './seriesOwners.js';

describe('SeriesOwners', () => {
  it('counts series per node and frees an index with its last series, for another node to reuse', () => {
    const owners = new SeriesOwners();
    const a = owners.index('node-a');
    const b = owners.index('node-b');
    expect(owners.index('node-a')).toBe(a);
    owners.add(a);
    owners.add(a);
    owners.add(b);
    expect([owners.owned('node-a'), owners.owned('node-b')]).toEqual([2, 1]);
    owners.remove(b);
    expect(owners.name(b)).toBeNull();
    expect(owners.owned('node-b')).toBe(0);
    // A freed index is reused; the old name does not come back with it.
    const c = owners.index('node-c');
    expect(c).toBe(b);
    expect(owners.name(c)).toBe('node-c');
    owners.remove(a);
    expect(owners.name(a)).toBe('node-a');
    // release() keeps an index that still owns something.
    owners.release(a);
    expect(owners.owned('node-a')).toBe(1);
    owners.release(c);
    expect(owners.name(c)).toBeNull();
    expect(owners.size).toBe(2);
  });

  it('takes inherited property names as plain node names', () => {
    const owners = new SeriesOwners();
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      owners.add(owners.index(name));
    expect(owners.owned('constructor')).toBe(1);
    expect(owners.owned('__proto__')).toBe(1);
    expect(owners.owned('valueOf')).toBe(0);
  });

  it('grows past its first table', () => {
    const owners = new SeriesOwners();
    for (let i = 0; i < 100; i++) owners.add(owners.index(`n${i}`));
    expect(owners.owned('n99')).toBe(1);
    expect(owners.size).toBe(100);
  });
});
