import type { LiveSummary } from '@weft/protocol';
import { visitWindow } from '../store/buckets.js';
import { EdgeBucket } from '../store/edgeBucket.js';
import type { Store } from '../store/store.js';
import { round } from '../store/window.js';

const SUMMARY_WINDOW_MS = 10_000;

/** Cluster-wide rates over the last 10 seconds of data: what "right now" looks like. */
export function liveSummary(
  store: Store,
  extra: { alertsFiring: number; alertsPending: number; collectors: number },
): LiveSummary {
  const now = store.now();
  const end = Math.min(now, store.dataEnd || now);
  const start = end - SUMMARY_WINDOW_MS;
  const sum = new EdgeBucket(0);
  const t = store.totals;
  visitWindow(t.fine, t.coarse, start, end + 1, store.fineFrom(now), end, (b) => sum.merge(b));
  const span = Math.max(1, Math.min(SUMMARY_WINDOW_MS, end - store.dataStart) / 1000);
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
