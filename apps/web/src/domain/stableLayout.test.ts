import { describe, expect, it } from 'vitest';
import { type LayoutNode, StableLayout } from './stableLayout.js';

function podsIn(ns: string, n: number): LayoutNode[] {
  return Array.from({ length: n }, (_, i) => ({ id: `pod:${ns}/p${i}`, parent: `ns:${ns}` }));
}

describe('StableLayout', () => {
  it('keeps every existing position when new nodes arrive', () => {
    const layout = new StableLayout();
    const first = [...podsIn('a', 5), ...podsIn('b', 3), { id: 'world', outside: true }];
    const before = layout.positions(first);
    const after = layout.positions([
      ...first,
      { id: 'pod:c/p0', parent: 'ns:c' },
      { id: 'host:n1', outside: true },
    ]);
    for (const [id, p] of before) expect(after.get(id)).toEqual(p);
    expect(after.has('pod:c/p0')).toBe(true);
  });
  it('keeps positions when nodes leave and come back', () => {
    const layout = new StableLayout();
    const all = podsIn('a', 6);
    const before = layout.positions(all);
    layout.positions(all.slice(0, 2));
    const back = layout.positions(all);
    expect(back).toEqual(before);
  });
  it('gives distinct positions, and does not depend on input order at first sight', () => {
    const nodes = [...podsIn('a', 30), ...podsIn('b', 12)];
    const p1 = new StableLayout().positions(nodes);
    const p2 = new StableLayout().positions([...nodes].reverse());
    const keys = new Set([...p1.values()].map((p) => `${p.x},${p.y}`));
    expect(keys.size).toBe(nodes.length);
    // Groups are placed in sorted order, so both runs put each namespace in the same column.
    expect(p1.get('pod:b/p0')!.x - p1.get('pod:a/p0')!.x).toBe(p2.get('pod:b/p0')!.x - p2.get('pod:a/p0')!.x);
  });
  it('lays flat graphs (namespace level) on a grid, outside nodes in a band above', () => {
    const layout = new StableLayout();
    const pos = layout.positions([{ id: 'ns:a' }, { id: 'ns:b' }, { id: 'world', outside: true }]);
    expect(pos.get('world')!.y).toBeLessThan(Math.min(pos.get('ns:a')!.y, pos.get('ns:b')!.y));
  });
  it('places 2,000 nodes, each exactly once', () => {
    const nodes = Array.from({ length: 50 }, (_, n) => podsIn(`ns${n}`, 40)).flat();
    const pos = new StableLayout().positions(nodes);
    expect(pos.size).toBe(2000);
  });
});

describe('StableLayout, flat', () => {
  it('keeps namespaces and the outside band in place as namespaces are added', () => {
    const layout = new StableLayout();
    const first = [{ id: 'ns:a' }, { id: 'ns:b' }, { id: 'ns:c' }, { id: 'world', outside: true }];
    const before = layout.positions(first);
    const extra = Array.from({ length: 40 }, (_, i) => ({ id: `ns:n${i}` }));
    const after = layout.positions([...first, ...extra, { id: 'host:n1', outside: true }]);
    for (const [id, p] of before) expect(after.get(id)).toEqual(p);
    expect(new Set([...after.values()].map((p) => `${p.x},${p.y}`)).size).toBe(after.size);
  });
});

describe('StableLayout, growth', () => {
  it('a namespace gaining a few pods moves no other namespace', () => {
    const layout = new StableLayout();
    const nodes = [...podsIn('a', 9), ...podsIn('b', 9), ...podsIn('c', 9), ...podsIn('d', 9)];
    const before = layout.positions(nodes);
    const after = layout.positions([...nodes, ...podsIn('a', 12).slice(9)]);
    for (const [id, p] of before) expect(after.get(id)).toEqual(p);
  });
});

describe('StableLayout, pins', () => {
  it('keeps a dropped node where it was dropped, through later models, and moves nothing else', () => {
    const layout = new StableLayout();
    const nodes = [...podsIn('a', 5), { id: 'world', outside: true }];
    const before = layout.positions(nodes);
    layout.pin('pod:a/p2', { x: 900, y: -40 });
    const after = layout.positions([...nodes, ...podsIn('b', 2)]);
    expect(after.get('pod:a/p2')).toEqual({ x: 900, y: -40 });
    for (const [id, p] of before) if (id !== 'pod:a/p2') expect(after.get(id)).toEqual(p);
    // A pinned node that left and came back is still where it was dropped; a new layout has no pins.
    layout.positions(podsIn('b', 2));
    expect(layout.positions(nodes).get('pod:a/p2')).toEqual({ x: 900, y: -40 });
    expect(new StableLayout().positions(nodes).get('pod:a/p2')).toEqual(before.get('pod:a/p2'));
  });
});
