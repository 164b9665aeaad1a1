import { type FilterState, type GraphResponse, resolveCompare, type TimeWindow } from '@weft/protocol';
import { compareTables } from './compareTables.js';
import { compareGraphs } from './graphCompare.js';
import { type GraphOptions, graphTable, nameDnsFailures, tableGraph } from './graphQuery.js';
import type { Store } from './store.js';

/**
 * The graph a request or a live subscription asks for: over `window`, and with `compare` also over the
 * baseline window (resolveCompare against `now`), marked as compareGraphs marks. An unusable `compare`
 * was refused by parseFilter already; one that still resolves to nothing answers the plain graph. The
 * answer says it came from the store (the REST route may answer from Prometheus instead).
 */
export function graphAnswer(
  store: Store,
  f: FilterState,
  window: TimeWindow,
  now: number,
  opts: GraphOptions,
): GraphResponse {
  const baseWindow = f.compare === '' ? undefined : resolveCompare(f.compare, window, now);
  const current = graphTable(store, f, window, opts);
  let answer: GraphResponse;
  if (!baseWindow) answer = tableGraph(current, f, opts);
  else {
    const baseline = graphTable(store, f, baseWindow, opts);
    answer =
      baseline.generation === current.generation
        ? compareTables(current, baseline, f, opts, baseWindow)
        : // The level tables started over between the two (past their bound): node numbers don't
          // match, ids do (each table keeps the node list it was numbered by).
          compareGraphs(tableGraph(current, f, opts), tableGraph(baseline, f, opts), baseWindow, {
            current: current.seconds,
            baseline: baseline.seconds,
          });
  }
  nameDnsFailures(store, f.level, answer.edges, current.win);
  answer.source = 'store';
  return answer;
}
