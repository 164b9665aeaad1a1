import type { FilterState, FlowRow, FlowsResponse, TimeWindow } from '@weft/protocol';
import { pairMatcher } from './match.js';
import type { Store } from './store.js';

/**
 * Recent flow rows in the window, newest first; `total` counts every match before the limit. Live,
 * that is the rate window (the last ~10 s every collector has delivered): the rows behind the edges
 * the live map draws. Collectors send a row per active flow every interval, so anything talking now
 * is there, several times; an empty table means nothing matching is flowing right now, and an earlier
 * flow is one `at=` or `from=` away, as on the map.
 */
export function queryFlows(store: Store, f: FilterState, win: TimeWindow, limit: number): FlowsResponse {
  const match = pairMatcher({ ...f, port: null });
  const flows: FlowRow[] = [];
  let total = 0;
  store.recentFlows((r) => {
    if (r.ts < win.start || r.ts >= win.end) return true;
    if (f.port !== null && r.sport !== f.port && r.dport !== f.port) return true;
    if (f.verdict && r.verdict !== f.verdict) return true;
    if (f.reason && r.reason !== f.reason) return true;
    if (!match(r.src, r.dst, r.proto, r.dport)) return true;
    total++;
    if (flows.length < limit) flows.push(r);
    return true;
  });
  // The ring is in arrival order; batches from several nodes interleave, so sort by record time.
  flows.sort((a, b) => b.ts - a.ts);
  return { flows, total, start: win.start, end: win.end };
}
