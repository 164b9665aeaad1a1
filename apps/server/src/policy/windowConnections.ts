import type { TimeWindow } from '@weft/protocol';
import type { EdgeBucket } from '../store/edgeBucket.js';
import type { PairMatcher } from '../store/match.js';
import type { EdgeSeries } from '../store/series.js';
import type { Store } from '../store/store.js';
import { StoreRead } from '../store/storeRead.js';

/** A connection (client, server, protocol, server port) and what it did over a window. */
export interface WindowConnection {
  series: EdgeSeries;
  sum: EdgeBucket;
}

/**
 * The store's connections active in a window (any packet, drop or connect), summed over it, as the
 * drops view walks them; `match` keeps those of the shared filter. The window is the one the tiers
 * answer exactly (tierWindow).
 */
export function windowConnections(
  store: Store,
  asked: TimeWindow,
  match: PairMatcher | null = null,
): { window: TimeWindow; connections: WindowConnection[] } {
  const read = new StoreRead(store);
  const win = read.window(asked);
  const connections: WindowConnection[] = [];
  for (const s of store.edges.values()) {
    if (s.lastSeen < win.start - 120_000) continue;
    if (match && !match(s.client, s.server, s.proto, s.port)) continue;
    const sum = read.edgeSum(s, win);
    if (sum.packets === 0 && sum.bytes === 0 && sum.connects === 0 && sum.dropPackets === 0) continue;
    connections.push({ series: s, sum });
  }
  return { window: win, connections };
}

/**
 * Whether the connection carried traffic rather than only being refused or dropped: a TCP connect
 * that succeeded (or, with no connect in the window, bytes of an older connection), a UDP packet more
 * than the drops.
 */
export function carriedTraffic(c: WindowConnection): boolean {
  const { sum } = c;
  if (c.series.proto === 'tcp')
    return sum.connects > 0 ? sum.connects > sum.failures : sum.bytes > 0 && sum.dropPackets < sum.packets;
  return sum.packets > sum.dropPackets;
}

/**
 * A note when the window begins before the oldest traffic the store holds (Prometheus keeps only
 * aggregates, no connection by connection): what is evaluated starts later than asked.
 */
export function heldFromNote(store: Store, win: TimeWindow): string | null {
  if (!Number.isFinite(store.dataStart) || win.start >= store.dataStart) return null;
  return `the server holds connections from ${new Date(store.dataStart).toISOString()} on: the window's earlier part has none to evaluate`;
}
