import type { LevelTables } from './levelTables.js';
import type { EdgeSeries } from './series.js';
import type { SeriesList } from './seriesList.js';

/**
 * Sets the graph node numbers of both ends of `s` at level index `l`, once per tables generation;
 * `s` holds them until releaseEnds.
 */
export function numberEnds(s: EdgeSeries, l: number, tables: LevelTables): void {
  if (s.levelGen !== tables.generation) {
    s.c0 = s.s0 = s.c1 = s.s1 = s.c2 = s.s2 = s.c3 = s.s3 = -1;
    s.levelGen = tables.generation;
  }
  if (endId(s, l, 0) >= 0) return;
  const c = tables.hold(l, s.client);
  const v = tables.hold(l, s.server);
  if (l === 0) [s.c0, s.s0] = [c, v];
  else if (l === 1) [s.c1, s.s1] = [c, v];
  else if (l === 2) [s.c2, s.s2] = [c, v];
  else [s.c3, s.s3] = [c, v];
}

/** Gives back the numbers `s` holds (a series leaving the store), at every level it was numbered at. */
export function releaseEnds(s: EdgeSeries, tables: LevelTables): void {
  if (s.levelGen === tables.generation)
    for (let l = 0; l < 4; l++) {
      const c = endId(s, l, 0);
      if (c < 0) continue;
      tables.release(l, c);
      tables.release(l, endId(s, l, 1));
    }
  s.c0 = s.s0 = s.c1 = s.s1 = s.c2 = s.s2 = s.c3 = s.s3 = -1;
}

/** The number of the client (side 0) or server (side 1) end of `s` at level index `l`. */
export function endId(s: EdgeSeries, l: number, side: number): number {
  switch (l * 2 + side) {
    case 0:
      return s.c0;
    case 1:
      return s.s0;
    case 2:
      return s.c1;
    case 3:
      return s.s1;
    case 4:
      return s.c2;
    case 5:
      return s.s2;
    case 6:
      return s.c3;
    default:
      return s.s3;
  }
}

/**
 * The series of one SeriesList grouped at one level by what a graph edge and its port list tell apart
 * (client node, server node, service port and protocol), kept between queries: a query then sums each
 * series into its group's numbers and folds a few thousand groups into edges rather than 50,000
 * series (at workload level ~6,000 groups). Groups are numbered in the order of their first series,
 * so a query that meets them in list order meets them in group order too.
 * Valid while the level tables keep their generation (the series hold their numbers); when the list
 * closes up (`compactions`) the groups follow its moves. Series added since are grouped on the next
 * query, and a removed series leaves a hole the queries skip.
 */
export class SeriesGroups {
  /** Per list place: the series' group, -1 for a hole. */
  groupOf: Int32Array<ArrayBuffer> = new Int32Array(0);
  /** Per group: its client's and server's graph node numbers and its portId. */
  src: Int32Array<ArrayBuffer> = new Int32Array(0);
  dst: Int32Array<ArrayBuffer> = new Int32Array(0);
  portId: Int32Array<ArrayBuffer> = new Int32Array(0);
  count = 0;
  private built = 0;
  private generation = -1;
  private compactions = -1;
  private ids = new Map<string, number>();
  /** Per group: its key in `ids`. */
  private keys: string[] = [];

  constructor(private readonly l: number) {}

  /** Times this grouping started from scratch (tests: a closing up must not make it). */
  rebuilds = 0;
  /** Times the groups left empty were dropped. */
  emptied = 0;
  /** Per group, scratch for follow(). */
  private marks = new Int32Array(0);

  /**
   * Groups the list's series not grouped yet; follows the list's closing up (moves places and drops
   * the groups no series is left in) and starts over only when node numbers changed or it missed a
   * closing up.
   */
  update(list: SeriesList, tables: LevelTables): void {
    const items = list.items;
    if (
      tables.generation === this.generation &&
      list.compactions > this.compactions &&
      list.movesAfter(this.compactions) !== null
    )
      this.follow(list);
    if (
      tables.generation !== this.generation ||
      list.compactions !== this.compactions ||
      items.length < this.built
    ) {
      this.generation = tables.generation;
      this.compactions = list.compactions;
      this.built = 0;
      this.count = 0;
      this.ids.clear();
      this.keys = [];
      this.rebuilds++;
    }
    if (this.built === items.length) return;
    if (this.groupOf.length < items.length) this.groupOf = grown(this.groupOf, items.length * 1.5);
    const l = this.l;
    for (let n = this.built; n < items.length; n++) {
      const s = items[n];
      if (!s) {
        this.groupOf[n] = -1;
        continue;
      }
      numberEnds(s, l, tables);
      const a = endId(s, l, 0);
      const b = endId(s, l, 1);
      const key = `${a},${b},${s.portId}`;
      let g = this.ids.get(key);
      if (g === undefined) {
        g = this.count++;
        this.ids.set(key, g);
        this.keys[g] = key;
        if (g >= this.src.length) {
          const size = Math.max(1024, g * 2);
          this.src = grown(this.src, size);
          this.dst = grown(this.dst, size);
          this.portId = grown(this.portId, size);
        }
        this.src[g] = a;
        this.dst[g] = b;
        this.portId[g] = s.portId;
      }
      this.groupOf[n] = g;
    }
    this.built = items.length;
  }

  /**
   * The list closed up since the last update (its moves all kept): each grouped series' group goes to
   * its new place, in place (places only move down). Once groups no series is left in are more than
   * the others (series come and go: a flood's pods), they are dropped with their keys and the rest
   * numbered again in the same order. Allocates nothing but the marks: a typed array a closing up
   * made external memory the collector had to answer.
   */
  private follow(list: SeriesList): void {
    const moves: Int32Array[] = [];
    for (let c = this.compactions; c < list.compactions; c++) moves.push(list.movesAfter(c)!);
    const groupOf = this.groupOf;
    let built = 0;
    for (let n = 0; n < this.built; n++) {
      let to = n;
      for (let k = 0; k < moves.length && to >= 0; k++) to = moves[k]![to]!;
      if (to < 0) continue;
      groupOf[to] = groupOf[n]!;
      built = to + 1;
    }
    this.built = built;
    this.compactions = list.compactions;
    if (this.marks.length < this.count) this.marks = new Int32Array(Math.ceil(this.count * 1.5));
    const renumber = this.marks;
    renumber.fill(-1, 0, this.count);
    let live = 0;
    for (let n = 0; n < built; n++) {
      const g = groupOf[n]!;
      if (g >= 0 && renumber[g]! < 0) {
        renumber[g] = 0;
        live++;
      }
    }
    if (live * 2 >= this.count) return;
    // Numbered again in the order they had: a group's new number is never above its old one.
    let h = 0;
    // A new key map: deleting most of a large one's entries cost more than filling a new one (the
    // keys' hashes are kept in the strings).
    const ids = new Map<string, number>();
    for (let g = 0; g < this.count; g++) {
      if (renumber[g]! < 0) continue;
      renumber[g] = h;
      this.src[h] = this.src[g]!;
      this.dst[h] = this.dst[g]!;
      this.portId[h] = this.portId[g]!;
      const key = this.keys[g]!;
      this.keys[h] = key;
      ids.set(key, h);
      h++;
    }
    this.keys.length = h;
    this.ids = ids;
    for (let n = 0; n < built; n++) {
      const g = groupOf[n]!;
      if (g >= 0) groupOf[n] = renumber[g]!;
    }
    this.count = live;
    this.emptied++;
  }
}

function grown(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.ceil(size));
  b.set(a);
  return b;
}

/** The groups of each list at each level. */
const cache = new WeakMap<SeriesList, SeriesGroups[]>();

/** `list`'s series grouped at level index `l`, brought up to date. */
export function seriesGroups(list: SeriesList, l: number, tables: LevelTables): SeriesGroups {
  let per = cache.get(list);
  if (!per) {
    per = [0, 1, 2, 3].map((k) => new SeriesGroups(k));
    cache.set(list, per);
  }
  const g = per[l]!;
  g.update(list, tables);
  return g;
}
