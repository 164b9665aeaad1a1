import type { CollectorStatus, IngestHello } from '@weft/protocol';
import { IngestCloseCode } from '@weft/protocol';
import { type SeqVerdict, SeqWindow } from './seqWindow.js';

/** Hooks kept per collector for /api/v1/status (a hello may list 4096: a node's veths). */
export const MAX_KEPT_HOOKS = 64;
/** UTF-16 units of hook names kept per collector. */
export const MAX_KEPT_HOOK_CHARS = 4096;
/**
 * Bytes the disconnected collectors may take: past this, the one disconnected longest ago is forgotten.
 * Connected ones are bounded by their connections.
 */
export const MAX_DISCONNECTED_BYTES = 1024 * 1024;
/**
 * A node's connection counts as gone once it has been silent this long (no message, no ping: a live
 * collector sends a batch each interval, 60 s at most, and pings every 15 s). A new hello for the node
 * then replaces it: what a collector needs after a half-open TCP connection, which the server can't
 * see closed.
 */
export const INGEST_STALE_MS = 45_000;
/** Estimate of what an entry costs beyond its strings: the object, its map slots, the seq window. */
const ENTRY_OVERHEAD_BYTES = 1024;

/** How the registry closes a connection it replaces. */
export interface CollectorConnection {
  close(code: number, reason: string): void;
}

export type ConnectResult = { ok: true; lastSeq: number } | { ok: false; code: number; reason: string };

interface Entry {
  status: CollectorStatus;
  owner: CollectorConnection | undefined;
  /** Last message or ping on the owning connection. */
  heardAt: number;
  seq: SeqWindow;
  /** Newest batch end stored. */
  end: number;
  bytes: number;
}

function keptHooks(hooks: readonly string[]): string[] {
  const kept: string[] = [];
  let chars = 0;
  for (const h of hooks) {
    if (kept.length >= MAX_KEPT_HOOKS || chars + h.length > MAX_KEPT_HOOK_CHARS) break;
    kept.push(h);
    chars += h.length;
  }
  return kept;
}

function entryBytes(s: CollectorStatus): number {
  let chars = s.node.length + s.boot.length + s.version.length;
  for (const h of s.hooks) chars += h.length + 16;
  return ENTRY_OVERHEAD_BYTES + 2 * chars;
}

const saturating = (a: number, b: number): number => Math.min(Number.MAX_SAFE_INTEGER, a + b);

/**
 * What the server knows about every collector: its status for /api/v1/status, which nodes are watched
 * (for the counting rule), and the sequence numbers stored for each node's boot so a resent batch is
 * not counted twice. A node is streamed by one live connection at a time and a boot belongs to one
 * node, so a client holding the token can neither stand in for a node that is streaming nor claim
 * another node's boot (public in /api/v1/status) to mark its future batches as seen. Bounded in bytes:
 * hooks are capped per collector and disconnected collectors are forgotten oldest first.
 */
export class CollectorRegistry {
  private readonly byNode = new Map<string, Entry>();
  /** Boot -> the node that announced it. */
  private readonly bootNode = new Map<string, string>();
  private observed = new Set<string>();
  private disconnectedBytes = 0;
  /** Disconnected collectors forgotten to stay within MAX_DISCONNECTED_BYTES. */
  evicted = 0;
  /** Hellos refused: the node streams from another live connection, or the boot is another node's. */
  refused = 0;
  /** Live connections closed because a new one for their node replaced them. */
  replaced = 0;
  onChange: (observed: ReadonlySet<string>) => void = () => {};
  /** Called after each stored batch (the live schedule sends a round once an interval is complete). */
  onBatch: () => void = () => {};

  connect(hello: IngestHello, now: number, conn?: CollectorConnection): ConnectResult {
    const prev = this.byNode.get(hello.node);
    const bootOwner = this.bootNode.get(hello.boot);
    if (bootOwner !== undefined && bootOwner !== hello.node) {
      this.refused++;
      return {
        ok: false,
        code: IngestCloseCode.identityConflict,
        reason: `boot ${hello.boot} was announced by another node`,
      };
    }
    if (prev?.status.connected) {
      if (now - prev.heardAt < INGEST_STALE_MS) {
        this.refused++;
        return {
          ok: false,
          code: IngestCloseCode.identityConflict,
          reason: `node ${hello.node} streams from another live connection`,
        };
      }
      this.replaced++;
      const old = prev.owner;
      prev.owner = undefined;
      old?.close(IngestCloseCode.replaced, 'replaced by a new connection for this node');
    }
    const sameBoot = prev?.status.boot === hello.boot;
    if (prev) {
      this.remove(hello.node, prev);
    }
    const status: CollectorStatus = {
      node: hello.node,
      boot: hello.boot,
      version: hello.collectorVersion,
      hooks: keptHooks(hello.hooks),
      hooksTotal: hello.hooks.length,
      simulated: hello.simulated,
      connected: true,
      connectedAt: now,
      lastSeen: now,
      lagMs: sameBoot ? prev.status.lagMs : 0,
      batches: sameBoot ? prev.status.batches : 0,
      rejected: sameBoot ? prev.status.rejected : 0,
      recordsLost: sameBoot ? prev.status.recordsLost : 0,
    };
    const entry: Entry = {
      status,
      owner: conn,
      heardAt: now,
      seq: sameBoot ? prev.seq : new SeqWindow(),
      end: prev?.end ?? 0,
      bytes: entryBytes(status),
    };
    this.byNode.set(hello.node, entry);
    this.bootNode.set(hello.boot, hello.node);
    this.refresh();
    return { ok: true, lastSeq: entry.seq.highest };
  }

  /** The connection `conn` for `node` went away (a replaced one no longer owns its node: no-op). */
  disconnect(node: string, boot: string, now: number, conn?: CollectorConnection): void {
    const e = this.byNode.get(node);
    if (!e || e.status.boot !== boot || !e.status.connected || e.owner !== conn) return;
    e.status.connected = false;
    e.status.lastSeen = now;
    e.owner = undefined;
    // Re-inserted last: forgotten oldest first.
    this.byNode.delete(node);
    this.byNode.set(node, e);
    this.disconnectedBytes += e.bytes;
    this.trim();
    this.refresh();
  }

  /** Something arrived on `node`'s connection `conn` (a message, a ping): it is not stale. */
  heard(node: string, now: number, conn?: CollectorConnection): void {
    const e = this.byNode.get(node);
    if (e?.status.connected && e.owner === conn) e.heardAt = now;
  }

  /**
   * Whether `conn` still streams for `node` with `boot`: a connection replaced by a newer one may have
   * batches in flight, which must not be stored nor numbered against the new one's boot.
   */
  owns(node: string, boot: string, conn?: CollectorConnection): boolean {
    const e = this.byNode.get(node);
    return e?.status.connected === true && e.status.boot === boot && e.owner === conn;
  }

  /**
   * Whether batch `seq` (ending at `end`) of `node`'s current boot is new, already stored, an implausible
   * jump ahead, or shows the highest number held was forged (SeqWindow).
   */
  sequence(node: string, seq: number, end: number, now: number): SeqVerdict {
    return this.byNode.get(node)?.seq.check(seq, end, now) ?? 'new';
  }

  /** Most a sequence number of `node`'s boot may be at `now`. */
  seqLimit(node: string, now: number): number {
    return this.byNode.get(node)?.seq.limit(now) ?? Number.MAX_SAFE_INTEGER;
  }

  batch(node: string, end: number, lost: number, now: number, seq?: number): void {
    const e = this.byNode.get(node);
    if (!e) return;
    const s = e.status;
    if (seq !== undefined) e.seq.store(seq, end, now);
    s.batches = saturating(s.batches, 1);
    s.recordsLost = saturating(s.recordsLost, lost);
    s.lastSeen = now;
    s.lagMs = Math.max(0, now - end);
    if (end > e.end) e.end = end;
    this.onBatch();
  }

  /**
   * True when every connected collector has delivered a batch ending at or after `t`; those whose newest
   * batch ends before `behindFrom` (none yet, stalled, far behind) are left out.
   */
  caughtUp(t: number, behindFrom = Number.NEGATIVE_INFINITY): boolean {
    for (const node of this.observed) {
      const end = this.byNode.get(node)?.end ?? 0;
      if (end < t && end >= behindFrom) return false;
    }
    return true;
  }

  rejected(node: string, now: number): void {
    const e = this.byNode.get(node);
    if (!e) return;
    e.status.rejected = saturating(e.status.rejected, 1);
    e.status.lastSeen = now;
  }

  list(): CollectorStatus[] {
    return [...this.byNode.values()]
      .map(({ status: s }) => ({ ...s, hooks: [...s.hooks] }))
      .sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  }

  /** Bytes the disconnected collectors take (estimate). */
  get disconnectedSize(): number {
    return this.disconnectedBytes;
  }

  connectedCount(): number {
    return this.observed.size;
  }

  observedNodes(): ReadonlySet<string> {
    return this.observed;
  }

  anySimulated(): boolean {
    for (const e of this.byNode.values()) if (e.status.connected && e.status.simulated) return true;
    return false;
  }

  maxLagMs(): number {
    let m = 0;
    for (const e of this.byNode.values()) if (e.status.connected && e.status.lagMs > m) m = e.status.lagMs;
    return m;
  }

  private remove(node: string, e: Entry): void {
    this.byNode.delete(node);
    if (this.bootNode.get(e.status.boot) === node) this.bootNode.delete(e.status.boot);
    if (!e.status.connected) this.disconnectedBytes -= e.bytes;
  }

  private refresh(): void {
    this.observed = new Set(
      [...this.byNode.values()].filter((e) => e.status.connected).map((e) => e.status.node),
    );
    this.onChange(this.observed);
  }

  private trim(): void {
    if (this.disconnectedBytes <= MAX_DISCONNECTED_BYTES) return;
    for (const [node, e] of this.byNode) {
      if (this.disconnectedBytes <= MAX_DISCONNECTED_BYTES) break;
      if (e.status.connected) continue;
      this.remove(node, e);
      this.evicted++;
    }
  }
}
