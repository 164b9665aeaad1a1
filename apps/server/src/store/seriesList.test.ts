import { describe, expect, it } from 'vitest';
import { EdgeSeries } from './series.js';
import { SeriesList } from './seriesList.js';

const series = (n: number) =>
  Array.from({ length: n }, (_, i) => new EdgeSeries(null as never, null as never, 'tcp', i));

describe('SeriesList', () => {
  it('keeps insertion order through removals and the compaction they trigger', () => {
    const list = new SeriesList();
    const all = series(20);
    for (const s of all) list.add(s);
    const removed = new Set([1, 2, 3, 7, 11, 12, 19]);
    for (const i of removed) list.remove(all[i]!);
    list.remove(all[1]!);
    const kept = all.filter((_, i) => !removed.has(i));
    expect(list.items.filter((s) => s !== null)).toEqual(kept);
    // Seven removals of twenty passed a quarter: closed up, every position up to date.
    expect(list.items.length).toBeLessThan(20);
    for (const [at, s] of list.items.entries()) expect(s?.listAt ?? at).toBe(at);
    for (const i of removed) expect(all[i]!.listAt).toBe(-1);
    const later = series(1)[0]!;
    list.add(later);
    expect(list.items.at(-1)).toBe(later);
  });
});
