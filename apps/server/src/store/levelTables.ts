import type { Level } from '@weft/protocol';
import type { MemoryShare } from '../memoryBudget.js';
import type { LevelNode } from './levelNode.js';

export const LEVEL_INDEX: Record<Level, number> = { node: 0, namespace: 1, workload: 2, pod: 3 };

/**
 * Graph nodes numbered per level, so a query folds 50,000 series with array indexes and numeric map
 * keys instead of hashing id strings for every series. Series cache their two numbers per level
 * (EdgeSeries.c0..s3) together with the generation they were taken in.
 */
export class LevelTables {
  /** Bumped when the tables start over; series' cached numbers from an older generation are stale. */
  generation = 0;
  private ids: Map<string, number>[] = [new Map(), new Map(), new Map(), new Map()];
  nodes: LevelNode[][] = [[], [], [], []];
  /** Estimated bytes held: per node its object, its strings and its map entry. */
  bytes = 0;

  /** Bounded by `max` nodes and by `maxBytes`; starting over is counted in `share.evicted`. */
  constructor(
    private readonly max: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
    private readonly share?: MemoryShare,
  ) {}

  /** Number of `n` at `level`, added on first sight. */
  idOf(level: number, n: LevelNode): number {
    const ids = this.ids[level]!;
    let id = ids.get(n.id);
    if (id === undefined) {
      id = this.nodes[level]!.length;
      this.nodes[level]!.push(n);
      ids.set(n.id, id);
      this.bytes += 200 + 3 * n.id.length + n.label.length + n.namespace.length;
    }
    return id;
  }

  /** Pods come and go: past the bound, start over. Called between queries, never during one. */
  trim(): void {
    let size = 0;
    for (const ids of this.ids) size += ids.size;
    if (size <= this.max && this.bytes <= this.maxBytes) return;
    if (this.share) this.share.evicted += size;
    this.bytes = 0;
    this.ids = [new Map(), new Map(), new Map(), new Map()];
    this.nodes = [[], [], [], []];
    this.generation++;
  }
}
