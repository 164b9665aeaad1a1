import type { Endpoint } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { MemoryShare } from '../memoryBudget.js';
import { LEVEL_INDEX, LevelTables } from './levelTables.js';

const pod = (ns: string, name: string): Endpoint => ({
  ip: '10.0.0.1',
  kind: 'pod',
  namespace: ns,
  name,
  workloadKind: '',
  workload: '',
  service: '',
  node: 'n1',
});

const P = LEVEL_INDEX.pod;

describe('LevelTables', () => {
  it('numbers each graph node once per level', () => {
    const t = new LevelTables(100);
    const a = t.hold(P, pod('prod', 'api-0'));
    const b = t.hold(P, pod('prod', 'db-0'));
    expect(t.hold(P, pod('prod', 'api-0'))).toBe(a);
    expect(b).not.toBe(a);
    expect(t.keys[P]![b]).toBe('pod:prod/db-0');
    expect(t.ends[P]![b]!.name).toBe('db-0');
    expect(t.holders(P, a)).toBe(2);
    // Another level has its own numbers.
    expect(t.hold(LEVEL_INDEX.namespace, pod('prod', 'api-0'))).toBe(0);
    expect(t.keys[LEVEL_INDEX.namespace]![0]).toBe('ns:prod');
  });

  it('lets a node go with its last holder and gives its number to the next new node', () => {
    const t = new LevelTables(100);
    const a = t.hold(P, pod('prod', 'api-0'));
    t.hold(P, pod('prod', 'api-0'));
    const b = t.hold(P, pod('prod', 'db-0'));
    const bytes = t.bytes;
    t.release(P, a);
    expect(t.count(P)).toBe(2);
    expect(t.bytes).toBe(bytes);
    t.release(P, a);
    expect(t.count(P)).toBe(1);
    expect(t.keys[P]![a]).toBeNull();
    expect(t.ends[P]![a]).toBeNull();
    expect(t.bytes).toBeLessThan(bytes);
    // Released once too often: nothing happens to the number's next owner.
    t.release(P, a);
    const c = t.hold(P, pod('prod', 'cache-0'));
    expect(c).toBe(a);
    t.release(P, a);
    expect(t.holders(P, c)).toBe(0);
    expect(t.count(P)).toBe(1);
    t.release(P, b);
    expect(t.count(P)).toBe(0);
    expect(t.bytes).toBe(0);
    // The numbers stay within what was ever held at once.
    for (let i = 0; i < 10; i++) t.release(P, t.hold(P, pod('ns', `p-${i}`)));
    expect(t.ends[P]!.length).toBe(2);
  });

  it('holds the nodes of what holds them however many come and go, and never starts over for it', () => {
    const t = new LevelTables(50);
    const held: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      held.push(t.hold(P, pod('ns', `p-${i}`)));
      if (held.length > 20) t.release(P, held.shift()!);
      t.trim();
    }
    expect(t.generation).toBe(0);
    expect(t.count(P)).toBe(20);
    expect(t.ends[P]!.length).toBe(21);
  });

  it('starts over past its bound with new arrays, and only between queries', () => {
    const t = new LevelTables(10);
    for (let i = 0; i < 25; i++) t.hold(P, pod('ns', `p-${i}`));
    const keys = t.keys[P]!;
    // Growing past the bound during a query keeps every number valid.
    expect(t.keys[P]!.length).toBe(25);
    expect(t.generation).toBe(0);
    t.trim();
    expect(t.generation).toBe(1);
    expect(t.keys[P]!.length).toBe(0);
    // A graph table made before keeps the names it was numbered by.
    expect(keys[3]).toBe('pod:ns/p-3');
    t.hold(P, pod('ns', 'p-0'));
    t.trim();
    expect(t.generation).toBe(1);
  });
});

describe('LevelTables memory share', () => {
  it('counts its bytes by the ids held, and what starting over let go', () => {
    const share = new MemoryShare('series', 1_000_000);
    const t = new LevelTables(150, share);
    const ids: number[] = [];
    for (let k = 0; k < 200; k++) ids.push(t.hold(P, pod('ns', `p${k}-${'y'.repeat(1_000)}`)));
    expect(t.bytes).toBeGreaterThan(200 * 2_000);
    for (const id of ids.slice(0, 100)) t.release(P, id);
    expect(t.bytes).toBeGreaterThan(100 * 2_000);
    expect(t.bytes).toBeLessThan(101 * 2_200);
    t.hold(P, pod('ns', 'one-more'));
    t.trim();
    expect(t.generation).toBe(0);
    expect(share.evicted).toBe(0);
    for (let k = 0; k < 200; k++) t.hold(P, pod('ns', `q${k}`));
    t.trim();
    expect(t.generation).toBe(1);
    expect(t.bytes).toBe(0);
    expect(share.evicted).toBe(301);
  });
});
