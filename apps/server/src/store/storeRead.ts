import type { TimeWindow } from '@weft/protocol';
import { type Tier, visitWindow, windowRow } from './buckets.js';
import { DnsBucket } from './dnsBucket.js';
import { EdgeBucket } from './edgeBucket.js';
import type { EdgeTier } from './edgeTier.js';
import type { Store } from './store.js';
import { tierWindow } from './window.js';

/** A series as the store keeps it: its 1 s tier and its 1 min tier. */
interface Tiered<B> {
  fine: Tier<B>;
  coarse: Tier<B>;
}

/**
 * One read of the store at `now`: the store's read side for diagnose, alerts, policy, the timeline
 * and the panels. It fixes which tier answers which part of a window (the 1 s tier from `fineFrom`,
 * the minute tier before it) and where the data ends (`liveEdge`: the newest data, never past now),
 * so every window sum of one answer agrees on the window's edges.
 */
export class StoreRead {
  readonly now: number;
  readonly fineFrom: number;
  readonly liveEdge: number;

  constructor(store: Store, now = store.now()) {
    this.now = now;
    this.fineFrom = store.fineFrom(now);
    this.liveEdge = Math.min(now, store.dataEnd || now);
  }

  /** The window the tiers answer exactly: `asked`, widened to whole minutes where only the minute tier reaches (tierWindow). */
  window(asked: TimeWindow): TimeWindow {
    return tierWindow(asked, this.fineFrom);
  }

  /** Each bucket of `s` that covers `win`, in time order. */
  visit<B>(s: Tiered<B>, win: TimeWindow, visit: (b: B) => void): void {
    visitWindow(s.fine, s.coarse, win.start, win.end, this.fineFrom, this.liveEdge, visit);
  }

  /** An edge series (or the cluster totals) summed over `win`, into `into` when given. */
  edgeSum(s: Tiered<EdgeBucket>, win: TimeWindow, into = new EdgeBucket(0)): EdgeBucket {
    this.visit(s, win, (b) => into.merge(b));
    return into;
  }

  /** A DNS client's series summed over `win`. */
  dnsSum(s: Tiered<DnsBucket>, win: TimeWindow, into = new DnsBucket(0)): DnsBucket {
    this.visit(s, win, (b) => into.merge(b));
    return into;
  }

  /** An edge series' scalar sums over `win` added into `row` from `at` (windowRow: no bucket objects). */
  edgeRow(s: { fine: EdgeTier; coarse: EdgeTier }, win: TimeWindow, row: Float64Array, at = 0): void {
    windowRow(s.fine, s.coarse, win.start, win.end, this.fineFrom, this.liveEdge, row, at);
  }
}
