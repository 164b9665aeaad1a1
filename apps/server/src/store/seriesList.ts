import type { EdgeSeries } from './series.js';

/**
 * The series of one of the store's Maps again, in a dense array in insertion order (the Map's own
 * order): a query's pass over 50,000 series then allocates nothing, where a Map iterator made a result
 * object per entry (~2 MB a query). Removal leaves a hole (null) until a quarter are holes, then the
 * array closes up, keeping the order, so queries see the series in the same order as through the Map.
 */
export class SeriesList {
  items: (EdgeSeries | null)[] = [];
  private holes = 0;
  /** Times the array closed up: places of series change only then (SeriesGroups keep them). */
  compactions = 0;

  add(s: EdgeSeries): void {
    s.listAt = this.items.length;
    this.items.push(s);
  }

  remove(s: EdgeSeries): void {
    if (s.listAt < 0 || this.items[s.listAt] !== s) return;
    this.items[s.listAt] = null;
    s.listAt = -1;
    this.holes++;
    if (this.holes * 4 > this.items.length) this.compact();
  }

  private compact(): void {
    let kept = 0;
    for (const s of this.items)
      if (s) {
        s.listAt = kept;
        this.items[kept++] = s;
      }
    this.items.length = kept;
    this.holes = 0;
    this.compactions++;
  }
}
