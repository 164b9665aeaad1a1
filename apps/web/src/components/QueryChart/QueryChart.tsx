import type { Series, TimeseriesResponse } from '@weft/protocol';
import { ErrorState } from '../ErrorState/ErrorState.js';
import { TimeChart } from '../TimeChart/TimeChart.js';

/** What QueryChart reads of a timeseries query (a react-query result fits). */
interface TimeseriesQuery {
  data: TimeseriesResponse | undefined;
  error: unknown;
  refetch: () => unknown;
}

/**
 * A timeseries query as a chart. Only a failure with nothing loaded yet replaces the chart: after a
 * failed refresh the last good series stay on screen.
 */
export function QueryChart({
  query,
  what,
  format,
  series,
}: {
  query: TimeseriesQuery;
  /** Named in the error: "Could not load {what}." */
  what: string;
  format: (v: number) => string;
  /** Drawn instead of the query's own series (one chart merging two queries). */
  series?: Series[];
}) {
  if (query.error && !query.data)
    return <ErrorState error={query.error} what={what} onRetry={() => query.refetch()} />;
  return <TimeChart series={series ?? query.data?.series ?? []} format={format} />;
}
