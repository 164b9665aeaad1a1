import { MemoryShare } from '../memoryBudget.js';

/**
 * Kernel-wide hooks (kfree_skb, inet_sock_set_state) on a host that runs several collectors (the lab's
 * nodes share one kernel) report the same event once per collector. An event key seen from a different
 * node within a few seconds is that same event; the same node repeating a key is a new event, except
 * where `anyNode` says one probe can see the same event twice (a DNS answer crosses two watched veths
 * when client and resolver share a node).
 */
export class CrossNodeDedupe {
  private current = new Map<string, string>();
  private previous = new Map<string, string>();
  private rotatedAt = 0;
  /** Estimated bytes of each map's keys and entries. */
  private currentBytes = 0;
  private previousBytes = 0;

  /**
   * Keys are made of collector-sent names (reasons, qnames), so the maps are bounded in bytes as well as
   * keys: a map rotates out early at half the share (two are held). Keys let go before their window
   * ends are counted in `share.evicted`.
   */
  constructor(
    private readonly windowMs = 3_000,
    private readonly maxKeys = 1_000_000,
    private readonly share = new MemoryShare('dedupe', Number.POSITIVE_INFINITY),
  ) {}

  /** The keys of the window (a snapshot keeps them: a batch replayed after it is judged as it was). */
  state(): { rotatedAt: number; current: [string, string][]; previous: [string, string][] } {
    return { rotatedAt: this.rotatedAt, current: [...this.current], previous: [...this.previous] };
  }

  restore(s: { rotatedAt: number; current: [string, string][]; previous: [string, string][] }): void {
    this.rotatedAt = s.rotatedAt;
    this.current = new Map(s.current);
    this.previous = new Map(s.previous);
    this.currentBytes = 0;
    for (const k of this.current.keys()) this.currentBytes += k.length + 64;
    this.previousBytes = 0;
    for (const k of this.previous.keys()) this.previousBytes += k.length + 64;
    this.share.used = this.currentBytes + this.previousBytes;
  }

  isDuplicate(key: string, node: string, now: number, anyNode = false): boolean {
    const bytes = key.length + 64;
    const early = this.current.size >= this.maxKeys || (this.currentBytes + bytes) * 2 > this.share.limit;
    if (now - this.rotatedAt >= this.windowMs || early) {
      if (early) this.share.evicted += this.previous.size;
      this.previous = this.current;
      this.previousBytes = this.currentBytes;
      this.current = new Map();
      this.currentBytes = 0;
      this.rotatedAt = now;
    }
    const seen = this.current.get(key) ?? this.previous.get(key);
    if (seen !== undefined && (anyNode || seen !== node)) return true;
    this.current.set(key, node);
    this.currentBytes += bytes;
    this.share.used = this.currentBytes + this.previousBytes;
    return false;
  }
}
