import {
  DEFAULT_FLOW_SEARCH,
  type FilterState,
  type FlowSearch,
  type FlowsResponse,
  type TimeWindow,
} from '@weft/protocol';
import { searchFlows } from './flowSearch/searchFlows.js';
import type { Store } from './store.js';

/**
 * Flow rows in the window, newest first (or by the search's sort), one page of them; `total` counts
 * every match the ring holds. Live, the window is the rate window (the last ~10 s every collector has
 * delivered): the rows behind the edges the live map draws. Collectors send a row per active flow every
 * interval, so anything talking now is there, several times; an empty table means nothing matching is
 * flowing right now, and an earlier flow is one `at=` or `from=` away, as on the map.
 */
export function queryFlows(
  store: Store,
  f: FilterState,
  win: TimeWindow,
  search: FlowSearch | number,
): FlowsResponse {
  const s = typeof search === 'number' ? { ...DEFAULT_FLOW_SEARCH, limit: search } : search;
  return searchFlows(store.flows, f, s, win);
}
