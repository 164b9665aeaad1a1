import type { LiveSummary, TimeWindow } from '@weft/protocol';
import { visitWindow } from '../store/buckets.js';
import { EdgeBucket } from '../store/edgeBucket.js';
import type { Store } from '../store/store.js';
import { observedSeconds, round, tierWindow } from '../store/window.js';

/**
 * Cluster-wide rates over `window`: the Now panel. The server passes the live map's rate window
 * (rateWindowS, ending at liveEnd), so the panel and the map's edges are the same seconds, divided the
 * same way (observedSeconds): the panel's bytes per second is the sum of the map's edges.
 */
export function liveSummary(
  store: Store,
  window: TimeWindow,
  extra: { alertsFiring: number; alertsPending: number; collectors: number },
): LiveSummary {
  const now = store.now();
  const fineFrom = store.fineFrom(now);
  const win = tierWindow(window, fineFrom);
  const sum = new EdgeBucket(0);
  const t = store.totals;
  const liveEdge = Math.min(now, store.dataEnd || now);
  visitWindow(t.fine, t.coarse, win.start, win.end, fineFrom, liveEdge, (b) => sum.merge(b));
  const span = observedSeconds(store, win);
  return {
    bytesPerSec: round(sum.bytes / span),
    packetsPerSec: round(sum.packets / span),
    dropsPerSec: round(sum.dropPackets / span),
    dnsQueriesPerSec: round(sum.dnsQueries / span),
    dnsErrorRate: sum.dnsQueries > 0 ? round(sum.dnsErrors / sum.dnsQueries, 4) : 0,
    tcpConnectsPerSec: round(sum.connects / span),
    tcpFailuresPerSec: round(sum.failures / span),
    ...extra,
  };
}
