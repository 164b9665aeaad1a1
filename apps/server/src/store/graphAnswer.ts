import { type FilterState, type GraphResponse, resolveCompare, type TimeWindow } from '@weft/protocol';
import { compareGraphs } from './graphCompare.js';
import { type GraphOptions, queryGraph } from './graphQuery.js';
import type { Store } from './store.js';
import { observedSeconds, tierWindow } from './window.js';

/**
 * The graph a request or a live subscription asks for: over `window`, and with `compare` also over the
 * baseline window (resolveCompare against `now`), marked by compareGraphs. An unusable `compare` was
 * refused by parseFilter already; one that still resolves to nothing answers the plain graph. The
 * answer says it came from the store (the REST route may answer from Prometheus instead).
 */
export function graphAnswer(
  store: Store,
  f: FilterState,
  window: TimeWindow,
  now: number,
  opts: GraphOptions,
): GraphResponse {
  const current = queryGraph(store, f, window, opts);
  current.source = 'store';
  const baseWindow = f.compare === '' ? undefined : resolveCompare(f.compare, window, now);
  if (!baseWindow) return current;
  const baseline = queryGraph(store, f, baseWindow, opts);
  return compareGraphs(current, baseline, baseWindow, {
    // The seconds queryGraph divided by: windows older than the 1 s tier widen to whole minutes.
    current: observedSeconds(store, tierWindow(window, store.fineFrom())),
    baseline: observedSeconds(store, tierWindow(baseWindow, store.fineFrom())),
  });
}
