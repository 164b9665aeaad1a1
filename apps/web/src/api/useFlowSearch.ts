import { useInfiniteQuery } from '@tanstack/react-query';
import type { FilterState, FlowsResponse } from '@weft/protocol';
import { useLive } from '../app/LiveContext.js';
import { type FlowsUrl, flowSearchOf } from '../domain/flowsUrl.js';
import { apiParams } from '../domain/focus.js';
import { getJson } from './client.js';

/** Rows per request: a few screens of the table. */
export const FLOW_PAGE = 200;

/** The query key of a flow search (tests seed it). */
export function flowSearchKey(state: FilterState, flows: FlowsUrl): unknown[] {
  return [
    'flowSearch',
    new URLSearchParams({ ...Object.fromEntries(apiParams(state)), ...flowSearchOf(flows) }).toString(),
  ];
}

/**
 * The server's flow search (/api/v1/flows), a page at a time by its cursor. Live, the first page
 * refreshes every 2 s; once more pages are loaded it stops, so rows do not move under the reader (the
 * cursor keeps the pages exact; a refresh would start again from the newest).
 */
export function useFlowSearch(state: FilterState, flows: FlowsUrl) {
  const live = useLive();
  const base = { ...Object.fromEntries(apiParams(state)), ...flowSearchOf(flows), limit: String(FLOW_PAGE) };
  return useInfiniteQuery({
    queryKey: flowSearchKey(state, flows),
    queryFn: ({ signal, pageParam }) =>
      getJson<FlowsResponse>(
        '/flows',
        new URLSearchParams({ ...base, ...(pageParam ? { cursor: pageParam } : {}) }),
        signal,
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next,
    refetchInterval: (q) => (live.follows && (q.state.data?.pages.length ?? 1) <= 1 ? 2000 : false),
  });
}
