import type { LiveSummary, TimeWindow } from '@weft/protocol';
import type { Store } from '../store/store.js';
import { StoreRead } from '../store/storeRead.js';
import { observedSeconds, round } from '../store/window.js';

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
  const read = new StoreRead(store);
  const win = read.window(window);
  const sum = read.edgeSum(store.totals, win);
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
