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

  constructor(
    private readonly windowMs = 3_000,
    private readonly maxKeys = 1_000_000,
  ) {}

  isDuplicate(key: string, node: string, now: number, anyNode = false): boolean {
    if (now - this.rotatedAt >= this.windowMs || this.current.size >= this.maxKeys) {
      this.previous = this.current;
      this.current = new Map();
      this.rotatedAt = now;
    }
    const seen = this.current.get(key) ?? this.previous.get(key);
    if (seen !== undefined && (anyNode || seen !== node)) return true;
    this.current.set(key, node);
    return false;
  }
}
