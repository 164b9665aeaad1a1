import { describe, expect, it } from 'vitest';
import { dueTouch, IDLE_GRAIN_MS, IdleOrder, type IdleTracked } from './idleOrder.js';

interface S extends IdleTracked {
  name: string;
}
const series = (name: string, owner: number): S => ({
  name,
  owner,
  lastSeen: 0,
  idleAt: Number.NEGATIVE_INFINITY,
});

function names(order: IdleOrder<S>, owner: number): string[] {
  const out: string[] = [];
  for (let k = order.seek(owner, 0); k >= 0; k = order.seek(owner, k + 1)) out.push(order.at(owner, k).name);
  return out;
}

describe('IdleOrder', () => {
  it('keeps each owner its series least recently touched first', () => {
    const order = new IdleOrder<S>();
    const [a, b, c] = [series('a', 0), series('b', 0), series('c', 0)];
    const x = series('x', 1);
    let now = 1;
    const touch = (s: S) => {
      s.lastSeen = now++;
      order.touch(s);
    };
    for (const s of [a, b, x, c]) touch(s);
    expect(names(order, 0)).toEqual(['a', 'b', 'c']);
    expect(names(order, 1)).toEqual(['x']);
    touch(a);
    expect(names(order, 0)).toEqual(['b', 'c', 'a']);
    touch(c);
    expect(names(order, 0)).toEqual(['b', 'a', 'c']);
  });

  it('leaves out a series once it is no longer its owner’s', () => {
    const order = new IdleOrder<S>();
    const all = ['a', 'b', 'c', 'd'].map((n, i) => ({ ...series(n, 2), lastSeen: i + 1 }));
    for (const s of all) order.touch(s);
    all[1]!.owner = -1;
    expect(names(order, 2)).toEqual(['a', 'c', 'd']);
    all[0]!.owner = -1;
    all[3]!.owner = -1;
    expect(names(order, 2)).toEqual(['c']);
    all[2]!.owner = -1;
    expect(order.seek(2, 0)).toBe(-1);
    // The owner's index given to another node: only that node's series count.
    const y = { ...series('y', 2), lastSeen: 9 };
    order.touch(y);
    expect(names(order, 2)).toEqual(['y']);
  });

  it('stays in order and bounded through many touches (stale entries are closed up)', () => {
    const order = new IdleOrder<S>();
    const all = Array.from({ length: 100 }, (_, i) => series(`s${i}`, 0));
    let now = 1;
    for (let round = 0; round < 200; round++)
      for (let i = 0; i < all.length; i += round % 2 === 0 ? 1 : 3) {
        all[i]!.lastSeen = now++;
        order.touch(all[i]!);
      }
    const got = names(order, 0);
    expect(got).toHaveLength(100);
    const bySeen = [...all].sort((p, q) => p.lastSeen - q.lastSeen).map((s) => s.name);
    expect(got).toEqual(bySeen);
    expect(order.size(0)).toBe(100);
  });

  it('ignores series owned by no node', () => {
    const order = new IdleOrder<S>();
    order.touch(series('totals', -1));
    expect(order.seek(0, 0)).toBe(-1);
  });

  it('moves a series named again only once its lastSeen has moved a grain (or back)', () => {
    const order = new IdleOrder<S>();
    const [a, b] = [series('a', 0), series('b', 0)];
    const see = (s: S, at: number) => {
      s.lastSeen = at;
      if (dueTouch(s)) order.touch(s);
    };
    see(a, 1_000);
    see(b, 2_000);
    see(a, 1_000 + IDLE_GRAIN_MS - 1);
    expect(names(order, 0)).toEqual(['a', 'b']);
    see(a, 1_000 + IDLE_GRAIN_MS);
    expect(names(order, 0)).toEqual(['b', 'a']);
    // A clock set back touches it again: its idleAt never stays ahead of its lastSeen.
    see(b, 500);
    expect(names(order, 0)).toEqual(['a', 'b']);
    expect(b.idleAt).toBe(500);
  });
});
