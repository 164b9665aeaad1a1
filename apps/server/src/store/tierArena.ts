import type { EdgeTier } from './edgeTier.js';

/** A run of an EdgeTier's rows: `size` numbers of `chunk` from `base`. */
interface Chunk {
  readonly buf: Float64Array;
  /** Regions handed out and not freed yet. */
  live: number;
  readonly size: number;
  /** Only one region (too big to share a chunk): freed, it goes back to the engine. */
  readonly dedicated: boolean;
}

/** Regions of one size: the chunk being carved, and freed regions to hand out first. */
interface SizeClass {
  readonly size: number;
  current: Chunk | null;
  /** Next free offset in `current`. */
  next: number;
  freeChunks: Chunk[];
  freeBases: number[];
  /** Regions in use: the next chunk is sized after it (so chunks double, up to MAX_CHUNK). */
  live: number;
}

/** Numbers per chunk at most: 1 MiB, so a half-used last chunk per size wastes little. */
const MAX_CHUNK = 1 << 17;
const MIN_REGIONS = 16;

/**
 * Where the store's EdgeTiers keep their rows: a few large Float64Arrays cut into equal regions per
 * size, instead of one small typed array per tier. The graph's pass over 50,000 series then reads
 * their rows from a handful of arrays, in the order the series grew (a page holds many series), not
 * from 100,000 separate allocations on separate pages, each behind its own array header: those TLB and
 * cache misses were a third of a workload query. A chunk whose regions are all freed goes back to the
 * engine, so memory follows the buckets held as before.
 */
export class TierArena {
  /** The chunk `alloc` last handed a region of (returned beside the base, to allocate nothing). */
  chunk: Float64Array = new Float64Array(0);
  /** Tiers holding deferred late additions: the store flushes them (flushLate) at the end of a batch. */
  late: EdgeTier[] = [];
  /** Side records (EdgeBucket) the tiers hold: the memory budget's per-bucket maps. */
  details = 0;
  private readonly classes = new Map<number, SizeClass>();
  private readonly chunks = new Map<Float64Array, Chunk>();

  /** A region of `size` numbers, all zero: returns its base in `this.chunk`. */
  alloc(size: number): number {
    let c = this.classes.get(size);
    if (!c) {
      c = { size, current: null, next: 0, freeChunks: [], freeBases: [], live: 0 };
      this.classes.set(size, c);
    }
    c.live++;
    const reused = c.freeChunks.pop();
    if (reused) {
      const base = c.freeBases.pop()!;
      reused.buf.fill(0, base, base + size);
      return this.handOut(reused, base);
    }
    if (size * 4 > MAX_CHUNK) return this.handOut(this.newChunk(size, true), 0);
    if (!c.current || c.next + size > c.current.size) {
      const regions = Math.max(MIN_REGIONS, Math.min(c.live, Math.floor(MAX_CHUNK / size)));
      c.current = this.newChunk(regions * size, false);
      c.next = 0;
    }
    const base = c.next;
    c.next += size;
    return this.handOut(c.current, base);
  }

  /** Gives back the region of `size` numbers at `base` in `buf`. */
  free(buf: Float64Array, base: number, size: number): void {
    const chunk = this.chunks.get(buf);
    if (!chunk) return;
    const c = this.classes.get(size)!;
    c.live--;
    chunk.live--;
    if (chunk.live > 0) {
      c.freeChunks.push(chunk);
      c.freeBases.push(base);
      return;
    }
    // Empty: let the engine have it back, with the regions of it waiting in the free list.
    this.chunks.delete(buf);
    if (chunk.dedicated) return;
    if (chunk === c.current) c.current = null;
    let kept = 0;
    for (let i = 0; i < c.freeChunks.length; i++)
      if (c.freeChunks[i] !== chunk) {
        c.freeChunks[kept] = c.freeChunks[i]!;
        c.freeBases[kept] = c.freeBases[i]!;
        kept++;
      }
    c.freeChunks.length = kept;
    c.freeBases.length = kept;
  }

  /** Chunks held and the numbers in them (tests and stats). */
  usage(): { chunks: number; numbers: number } {
    let numbers = 0;
    for (const c of this.chunks.values()) numbers += c.size;
    return { chunks: this.chunks.size, numbers };
  }

  private newChunk(size: number, dedicated: boolean): Chunk {
    const chunk: Chunk = { buf: new Float64Array(size), live: 0, size, dedicated };
    this.chunks.set(chunk.buf, chunk);
    return chunk;
  }

  private handOut(chunk: Chunk, base: number): number {
    chunk.live++;
    this.chunk = chunk.buf;
    return base;
  }
}
