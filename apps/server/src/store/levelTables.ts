import { type Endpoint, type Level, nodeIdOf } from '@weft/protocol';
import type { MemoryShare } from '../memoryBudget.js';

export const LEVEL_INDEX: Record<Level, number> = { node: 0, namespace: 1, workload: 2, pod: 3 };
const LEVELS: Level[] = ['node', 'namespace', 'workload', 'pod'];

/** Estimated bytes of one numbered node besides its id string: its map entry and its slots here. */
export const LEVEL_NODE_BYTES = 100;

/**
 * Graph nodes numbered per level, so a query folds 50,000 series with array indexes and numeric map
 * keys instead of hashing id strings for every series. Series cache their two numbers per level
 * (EdgeSeries.c0..s3) together with the generation they were taken in, and hold them: each number
 * counts the series ends that hold it, and one no series holds any more is let go and given again to
 * the next new node. So the tables hold the nodes of the series held and no more, and their memory
 * follows the store's series bound (two nodes per series and level at most). Starting over (a new
 * generation, every series numbered again) happens only past `max` numbers, which the series bound
 * keeps them under; before, the tables started over whenever their bytes passed a fixed part of the
 * budget, which a pod-level query over a store at its bound did every time (the soak's flood: every
 * live round numbered ~90,000 series again).
 */
export class LevelTables {
  /** Bumped when the tables start over; series' cached numbers from an older generation are stale. */
  generation = 0;
  private ids: Map<string, number>[] = [new Map(), new Map(), new Map(), new Map()];
  /**
   * Per level and number: the endpoint its node was first seen from (null: a free number). A node is
   * made from it only when an answer shows it (node()).
   */
  ends: (Endpoint | null)[][] = [[], [], [], []];
  /** Per level and number: the node's id (null: a free number). */
  keys: (string | null)[][] = [[], [], [], []];
  private refs: Int32Array[] = [new Int32Array(0), new Int32Array(0), new Int32Array(0), new Int32Array(0)];
  private free: number[][] = [[], [], [], []];
  /** Estimated bytes held: per node its id, its map entry and its slots. */
  bytes = 0;

  /** Bounded by `max` numbers held; starting over is counted in `share.evicted`. */
  constructor(
    private readonly max: number,
    private readonly share?: MemoryShare,
  ) {}

  /** Number of the node `e` rolls up to at level index `level`, held once more (release gives it back). */
  hold(level: number, e: Endpoint): number {
    const ids = this.ids[level]!;
    const key = nodeIdOf(e, LEVELS[level]!);
    let id = ids.get(key);
    if (id === undefined) {
      const free = this.free[level]!;
      if (free.length > 0) {
        id = free.pop()!;
        this.ends[level]![id] = e;
        this.keys[level]![id] = key;
      } else {
        id = this.ends[level]!.length;
        this.ends[level]!.push(e);
        this.keys[level]!.push(key);
        if (id >= this.refs[level]!.length) {
          const grown = new Int32Array(Math.max(1024, id * 2));
          grown.set(this.refs[level]!);
          this.refs[level] = grown;
        }
      }
      ids.set(key, id);
      this.bytes += LEVEL_NODE_BYTES + 2 * key.length;
    }
    this.refs[level]![id]!++;
    return id;
  }

  /** Gives back one hold of number `id` at `level`; the last one lets the node go. */
  release(level: number, id: number): void {
    const refs = this.refs[level]!;
    if (id < 0 || id >= this.ends[level]!.length || refs[id]! <= 0) return;
    if (--refs[id]! > 0) return;
    const key = this.keys[level]![id]!;
    this.ids[level]!.delete(key);
    this.ends[level]![id] = null;
    this.keys[level]![id] = null;
    this.free[level]!.push(id);
    this.bytes -= LEVEL_NODE_BYTES + 2 * key.length;
  }

  /** Series ends holding number `id` at `level`. */
  holders(level: number, id: number): number {
    return this.refs[level]![id] ?? 0;
  }

  /** Nodes numbered at `level` now (numbers given back are not counted). */
  count(level: number): number {
    return this.ids[level]!.size;
  }

  /** Past the bound (never reached while the series bound holds): start over. Called between queries, never during one. */
  trim(): void {
    let size = 0;
    for (const ids of this.ids) size += ids.size;
    if (size <= this.max) return;
    if (this.share) this.share.evicted += size;
    this.bytes = 0;
    this.ids = [new Map(), new Map(), new Map(), new Map()];
    // New arrays: a graph table made before keeps the ones it was numbered by.
    this.ends = [[], [], [], []];
    this.keys = [[], [], [], []];
    this.refs = [new Int32Array(0), new Int32Array(0), new Int32Array(0), new Int32Array(0)];
    this.free = [[], [], [], []];
    this.generation++;
  }
}
