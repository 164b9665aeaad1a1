import { describe, expect, it } from 'vitest';
import { RunSums } from './runSums.js';

const drained = (sums: RunSums) => {
  const out: number[][] = [];
  sums.drain((k, bytes, packets) => out.push([k, bytes, packets]));
  return out;
};

describe('RunSums', () => {
  it('sums per index in first-touch order, zero-traffic touches included, then starts over', () => {
    const sums = new RunSums();
    sums.add(3, 100, 2);
    sums.add(0, 0, 0);
    sums.add(3, 50, 1);
    sums.add(1, 7, 1);
    expect(drained(sums)).toEqual([
      [3, 150, 3],
      [0, 0, 0],
      [1, 7, 1],
    ]);
    expect(drained(sums)).toEqual([]);
    sums.add(3, 1, 1);
    expect(drained(sums)).toEqual([[3, 1, 1]]);
  });

  it('grows past its first size and keeps what was summed before', () => {
    const sums = new RunSums();
    sums.add(5, 10, 1);
    sums.add(1000, 20, 2);
    sums.add(5, 1, 1);
    expect(drained(sums)).toEqual([
      [5, 11, 2],
      [1000, 20, 2],
    ]);
  });
});
