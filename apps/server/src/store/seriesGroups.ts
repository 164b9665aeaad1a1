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
 * Valid while the level tables keep their generation and the list keeps its places (it only moves
 * series when it closes up: `compactions`); series added since are grouped on the next query, and a
 * removed series leaves a hole the queries skip.
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
  private readonly ids = new Map<string, number>();

  constructor(private readonly l: number) {}

  /** Times this grouping started from scratch (tests: a closing up must not make it). */
  rebuilds = 0;

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
   * The list closed up since the last update (its moves all kept): each grouped series' group goes to its new place,
   * and the groups are numbered again in the order of their first series left, those left empty
   * dropped with their keys, so groups do not pile up while series come and go.
   */
  private follow(list: SeriesList): void {
    const moves: Int32Array[] = [];
    for (let c = this.compactions; c < list.compactions; c++) moves.push(list.movesAfter(c)!);
    const groupOf = new Int32Array(this.groupOf.length);
    const renumber = new Int32Array(this.count).fill(-1);
    const size = this.src.length;
    const src = new Int32Array(size);
    const dst = new Int32Array(size);
    const portId = new Int32Array(size);
    let count = 0;
    let built = 0;
    for (let n = 0; n < this.built; n++) {
      let to = n;
      for (let k = 0; k < moves.length && to >= 0; k++) to = moves[k]![to]!;
      if (to < 0) continue;
      built = to + 1;
      const g = this.groupOf[n]!;
      if (g < 0) {
        groupOf[to] = -1;
        continue;
      }
      let h = renumber[g]!;
      if (h < 0) {
        h = renumber[g] = count++;
        src[h] = this.src[g]!;
        dst[h] = this.dst[g]!;
        portId[h] = this.portId[g]!;
      }
      groupOf[to] = h;
    }
    for (const [key, g] of this.ids) {
      const h = renumber[g]!;
      if (h < 0) this.ids.delete(key);
      else this.ids.set(key, h);
    }
    this.groupOf = groupOf;
    this.src = src;
    this.dst = dst;
    this.portId = portId;
    this.count = count;
    this.built = built;
    this.compactions = list.compactions;
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
