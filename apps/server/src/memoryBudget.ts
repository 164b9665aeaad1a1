/**
 * One memory setting (WEFT_MEMORY_BUDGET_MB) split into shares for the parts of the server that grow
 * with what collectors send. Each part keeps a running estimate of its bytes (no heap walk), evicts or
 * refuses when over its share, and counts what went; /metrics and /api/v1/status show the figures.
 * The shares add up to 70% of the whole: the estimates run about 10% under the heap they stand for
 * (bench/server/memoryBudget.ts), and the rest is for parsing batches, answering queries and the
 * garbage collector's room.
 */
export const MEMORY_PARTS = ['flows', 'endpoints', 'series', 'details', 'dedupe', 'names'] as const;
export type MemoryPart = (typeof MEMORY_PARTS)[number];

/**
 * flows: the ring of recent flow rows and the batches it holds; endpoints: interned endpoints and the
 * graph's level tables; series: edge, rollup and DNS series with their 1 s and 1 min buckets; details:
 * the per-bucket maps and histograms (drops by reason, DNS rcodes and names, connect latencies);
 * dedupe: the keys of recent drop, connect, TCP stats and DNS events (CrossNodeDedupe); names: the DNS
 * names flows are known by (DnsNameIndex, with the names it and the flow rows hold).
 */
export const MEMORY_SHARES: Readonly<Record<MemoryPart, number>> = {
  flows: 0.12,
  endpoints: 0.08,
  series: 0.36,
  details: 0.08,
  dedupe: 0.04,
  names: 0.02,
};

/** A part's share: its limit, what it estimates it holds, and what it let go to stay within. */
export class MemoryShare {
  used = 0;
  evicted = 0;
  constructor(
    readonly part: MemoryPart,
    readonly limit: number,
  ) {}

  get over(): boolean {
    return this.used > this.limit;
  }
}

export interface MemoryPartFigures {
  part: MemoryPart;
  budgetBytes: number;
  usedBytes: number;
  evicted: number;
}

export class MemoryBudget {
  readonly totalBytes: number;
  private readonly shares: Map<MemoryPart, MemoryShare>;

  constructor(budgetMiB: number) {
    this.totalBytes = Math.max(1, budgetMiB) * 1024 * 1024;
    this.shares = new Map(
      MEMORY_PARTS.map((p) => [p, new MemoryShare(p, Math.floor(this.totalBytes * MEMORY_SHARES[p]))]),
    );
  }

  share(part: MemoryPart): MemoryShare {
    return this.shares.get(part)!;
  }

  figures(): MemoryPartFigures[] {
    return MEMORY_PARTS.map((p) => {
      const s = this.share(p);
      return { part: p, budgetBytes: s.limit, usedBytes: Math.round(s.used), evicted: s.evicted };
    });
  }
}
