import { describe, expect, it } from 'vitest';
import { BoundedLineQueue } from './BoundedLineQueue.js';

describe('BoundedLineQueue', () => {
  it('keeps the newest lines up to its capacity and counts the rest', async () => {
    const q = new BoundedLineQueue(3);
    for (const l of ['a', 'b', 'c', 'd', 'e']) q.push(l);
    q.close();
    const got: string[] = [];
    for await (const l of q) got.push(l);
    expect(got).toEqual(['c', 'd', 'e']);
    expect(q.dropped).toBe(2);
  });

  it('hands a line straight to a waiting reader', async () => {
    const q = new BoundedLineQueue(1);
    const it = q[Symbol.asyncIterator]();
    const next = it.next();
    q.push('x');
    expect(await next).toEqual({ value: 'x', done: false });
    q.close();
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('ignores lines after close', async () => {
    const q = new BoundedLineQueue();
    q.close();
    q.push('late');
    expect(q.snapshot()).toEqual([]);
  });
});
