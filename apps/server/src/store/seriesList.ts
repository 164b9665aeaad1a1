import type { EdgeSeries } from './series.js';

/** Closings up whose moves are kept (each an Int32Array as long as the list was). */
const MOVES_KEPT = 8;

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
  /**
   * The last MOVES_KEPT closings up's moves, the newest last: per place before it, the place after (-1
   * for a hole). SeriesGroups a few closings up behind move their groups along instead of grouping
   * every series again.
   */
  private readonly moves: Int32Array[] = [];

  /** The moves of the closing up that made `compactions` go from `c` to `c + 1`; null when not kept. */
  movesAfter(c: number): Int32Array | null {
    const k = this.moves.length - (this.compactions - c);
    return c >= 0 && k >= 0 && k < this.moves.length ? this.moves[k]! : null;
  }

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
    const moves = new Int32Array(this.items.length);
    for (let n = 0; n < this.items.length; n++) {
      const s = this.items[n];
      if (s) {
        moves[n] = kept;
        s.listAt = kept;
        this.items[kept++] = s;
      } else moves[n] = -1;
    }
    this.moves.push(moves);
    if (this.moves.length > MOVES_KEPT) this.moves.shift();
    this.items.length = kept;
    this.holes = 0;
    this.compactions++;
  }
}
