import type { CollectorStatus, IngestHello } from '@weft/protocol';

/** Sequence numbers remembered per boot for dedupe, beyond the highest one. */
const SEQ_WINDOW = 4096;
const MAX_BOOTS = 1024;
const MAX_COLLECTORS = 1024;

interface BootState {
  maxSeq: number;
  recent: Set<number>;
}

/**
 * What the server knows about every collector: its status for /api/v1/status, which nodes are watched
 * (for the counting rule), and the sequence numbers stored per boot so a resent batch is not counted twice.
 */
export class CollectorRegistry {
  private readonly byNode = new Map<string, CollectorStatus & { connections: number }>();
  private readonly boots = new Map<string, BootState>();
  private observed = new Set<string>();
  onChange: (observed: ReadonlySet<string>) => void = () => {};
  /** Called after each stored batch (the live schedule sends a round once an interval is complete). */
  onBatch: () => void = () => {};
  /** Newest batch end per node. */
  private readonly ends = new Map<string, number>();

  connect(hello: IngestHello, now: number): number {
    const prev = this.byNode.get(hello.node);
    const sameBoot = prev?.boot === hello.boot;
    this.byNode.delete(hello.node);
    this.byNode.set(hello.node, {
      node: hello.node,
      boot: hello.boot,
      version: hello.collectorVersion,
      hooks: hello.hooks,
      simulated: hello.simulated,
      connected: true,
      connectedAt: now,
      lastSeen: now,
      lagMs: sameBoot ? prev.lagMs : 0,
      batches: sameBoot ? prev.batches : 0,
      rejected: sameBoot ? prev.rejected : 0,
      recordsLost: sameBoot ? prev.recordsLost : 0,
      connections: (sameBoot || prev?.connected ? (prev?.connections ?? 0) : 0) + 1,
    });
    this.trim();
    this.refresh();
    return this.boots.get(hello.boot)?.maxSeq ?? -1;
  }

  disconnect(node: string, boot: string, now: number): void {
    const s = this.byNode.get(node);
    if (!s || s.boot !== boot) return;
    s.connections = Math.max(0, s.connections - 1);
    if (s.connections === 0) {
      s.connected = false;
      s.lastSeen = now;
      this.refresh();
    }
  }

  /** True when (boot, seq) was already stored; otherwise records it. */
  seen(boot: string, seq: number): boolean {
    let b = this.boots.get(boot);
    if (!b) {
      if (this.boots.size >= MAX_BOOTS) {
        const oldest = this.boots.keys().next().value;
        if (oldest !== undefined) this.boots.delete(oldest);
      }
      b = { maxSeq: -1, recent: new Set() };
      this.boots.set(boot, b);
    }
    if (seq <= b.maxSeq - SEQ_WINDOW || b.recent.has(seq)) return true;
    b.recent.add(seq);
    if (seq > b.maxSeq) {
      b.maxSeq = seq;
      if (b.recent.size > SEQ_WINDOW) for (const s of b.recent) if (s <= seq - SEQ_WINDOW) b.recent.delete(s);
    }
    return false;
  }

  batch(node: string, end: number, lost: number, now: number): void {
    const s = this.byNode.get(node);
    if (!s) return;
    s.batches++;
    s.recordsLost += lost;
    s.lastSeen = now;
    s.lagMs = Math.max(0, now - end);
    if (end > (this.ends.get(node) ?? 0)) this.ends.set(node, end);
    this.onBatch();
  }

  /** True when every connected collector has delivered a batch ending at or after `t`. */
  caughtUp(t: number): boolean {
    for (const node of this.observed) if ((this.ends.get(node) ?? 0) < t) return false;
    return true;
  }

  rejected(node: string, now: number): void {
    const s = this.byNode.get(node);
    if (!s) return;
    s.rejected++;
    s.lastSeen = now;
  }

  list(): CollectorStatus[] {
    return [...this.byNode.values()]
      .map(({ connections: _, ...s }) => ({ ...s, hooks: [...s.hooks] }))
      .sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  }

  connectedCount(): number {
    return this.observed.size;
  }

  observedNodes(): ReadonlySet<string> {
    return this.observed;
  }

  anySimulated(): boolean {
    for (const s of this.byNode.values()) if (s.connected && s.simulated) return true;
    return false;
  }

  maxLagMs(): number {
    let m = 0;
    for (const s of this.byNode.values()) if (s.connected && s.lagMs > m) m = s.lagMs;
    return m;
  }

  private refresh(): void {
    this.observed = new Set([...this.byNode.values()].filter((s) => s.connected).map((s) => s.node));
    this.onChange(this.observed);
  }

  private trim(): void {
    if (this.byNode.size <= MAX_COLLECTORS) return;
    for (const [node, s] of this.byNode) {
      if (this.byNode.size <= MAX_COLLECTORS) break;
      if (!s.connected) {
        this.byNode.delete(node);
        this.ends.delete(node);
      }
    }
  }
}
