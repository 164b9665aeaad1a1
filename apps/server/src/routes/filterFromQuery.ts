import { type FilterState, parseFilter, type ResolvedTime, type TimeWindow } from '@weft/protocol';
import { resolveLiveTime } from '../live/liveEnd.js';
import { badParams } from './badRequestError.js';

/**
 * The shared filter from a route's query string. `extra` are the route's own parameters. Any issue is a
 * 400: an API caller wants to know, unlike the web app which shows a notice and carries on. `liveEnd`
 * (the context's liveEnd(): the newest second every collector has delivered) ends the live window, and
 * bounds an `at` one, so every route answers live over the same seconds as the live map.
 */
export function filterFromQuery(
  query: Record<string, string | string[] | undefined>,
  extra: readonly string[],
  now: number,
  rateWindowMs: number,
  liveEnd: number,
): { filter: FilterState; window: TimeWindow; time: ResolvedTime } {
  const { state, issues } = parseFilter(query, extra);
  if (issues.length > 0) throw badParams(issues);
  const time = resolveLiveTime(state, now, rateWindowMs, liveEnd);
  return { filter: state, window: time.window, time };
}
