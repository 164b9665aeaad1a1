import { describe, expect, it } from 'vitest';
import { TopRows } from './topRows.js';

describe('TopRows', () => {
  it('keeps the largest (key, seq) pairs of any order offered, largest first', () => {
    const offered = Array.from({ length: 500 }, (_, seq) => ({ key: (seq * 7919) % 97, seq }));
    const top = new TopRows(25);
    for (const r of offered) top.offer(r.key, r.seq);
    const want = [...offered].sort((a, b) => b.key - a.key || b.seq - a.seq).slice(0, 25);
    expect(top.sorted()).toEqual(want);
    expect([top.floorKey, top.floorSeq]).toEqual([want[24]!.key, want[24]!.seq]);
  });
});
