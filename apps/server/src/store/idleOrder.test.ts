import { describe, expect, it } from 'vitest';
import { type IdleLinked, IdleOrder } from './idleOrder.js';

interface S extends IdleLinked {
  name: string;
}
const series = (name: string, owner: number): S => ({ name, owner, idlePrev: null, idleNext: null });

function names(order: IdleOrder<S>, owner: number): string[] {
  const out: string[] = [];
  for (let s = order.first(owner); s !== null; s = order.next(s)) out.push(s.name);
  return out;
}

describe('IdleOrder', () => {
  it('keeps each owner its series least recently touched first', () => {
    const order = new IdleOrder<S>();
    const [a, b, c] = [series('a', 0), series('b', 0), series('c', 0)];
    const x = series('x', 1);
    for (const s of [a, b, x, c]) order.touch(s);
    expect(names(order, 0)).toEqual(['a', 'b', 'c']);
    expect(names(order, 1)).toEqual(['x']);
    order.touch(a);
    expect(names(order, 0)).toEqual(['b', 'c', 'a']);
    order.touch(c);
    expect(names(order, 0)).toEqual(['b', 'a', 'c']);
    // Touching the newest changes nothing.
    order.touch(c);
    expect(names(order, 0)).toEqual(['b', 'a', 'c']);
  });

  it('takes out what leaves, from the front, the middle and the back', () => {
    const order = new IdleOrder<S>();
    const all = ['a', 'b', 'c', 'd'].map((n) => series(n, 2));
    for (const s of all) order.touch(s);
    order.remove(all[1]!);
    expect(names(order, 2)).toEqual(['a', 'c', 'd']);
    order.remove(all[0]!);
    order.remove(all[3]!);
    expect(names(order, 2)).toEqual(['c']);
    // Removing twice, or what was never in, is nothing.
    order.remove(all[3]!);
    order.remove(series('z', 2));
    expect(names(order, 2)).toEqual(['c']);
    order.remove(all[2]!);
    expect(order.first(2)).toBeNull();
    order.touch(all[0]!);
    expect(names(order, 2)).toEqual(['a']);
  });

  it('ignores series owned by no node', () => {
    const order = new IdleOrder<S>();
    order.touch(series('totals', -1));
    expect(order.first(0)).toBeNull();
  });
});
