import type { FlowRow, FlowSort } from '@weft/protocol';
import { useCallback, useMemo } from 'react';
import { useStatus } from '../api/queries.js';
import { useFlowSearch } from '../api/useFlowSearch.js';
import { useUrl } from '../app/UrlContext.js';
import { Breadcrumbs } from '../components/Breadcrumbs/Breadcrumbs.js';
import { EmptyState, NoCollectorHelp } from '../components/EmptyState/EmptyState.js';
import { ErrorState } from '../components/ErrorState/ErrorState.js';
import { FlowExportButtons } from '../components/FlowExportButtons/FlowExportButtons.js';
import { FlowSearchTable } from '../components/FlowSearchTable/FlowSearchTable.js';
import { Link } from '../components/Link/Link.js';
import { Loading } from '../components/Loading/Loading.js';
import { useWindowWords } from '../components/WindowWords/useWindowWords.js';
import { EACH_OBSERVATION } from '../domain/flowsUrl.js';
import { formatCount } from '../domain/format.js';
import { FlowDetail } from './flows/FlowDetail.js';
import { FlowFilters } from './flows/FlowFilters.js';

/**
 * Every flow row the server holds in the window that matches the URL's filter, searched by the server
 * (/api/v1/flows) and read a page at a time as the table scrolls: "N of M" is rows loaded of all matches.
 * Filter, order and the selected row are in the URL.
 */
export default function FlowsView() {
  const { state, flows, navigate } = useUrl();
  const search = useFlowSearch(state, flows);
  const { data, error, refetch, isPending, hasNextPage, isFetchingNextPage, fetchNextPage } = search;
  const status = useStatus();
  const noCollector = status.data && status.data.collectors.length === 0;
  const over = useWindowWords();
  const rows = useMemo<FlowRow[]>(() => data?.pages.flatMap((p) => p.flows) ?? [], [data]);
  const total = data?.pages[0]?.total ?? 0;
  const sort = (flows.sort || 'time') as FlowSort;
  const selected = flows.row ? Number(flows.row) : null;
  const selectedRow = selected === null ? undefined : rows.find((r) => r.seq === selected);
  const more = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <div className="space-y-3" data-testid="flows-view">
      <div className="flex flex-wrap items-center gap-3">
        <Breadcrumbs />
        <span className="text-xs text-muted" data-testid="flows-window">
          Flows seen {over.over}
        </span>
        <span className="flex-1" />
        <span className="text-xs text-muted">Verdict:</span>
        {(['', 'forwarded', 'dropped'] as const).map((v) => (
          <Link
            key={v || 'all'}
            patch={{ verdict: v }}
            ariaCurrent={state.verdict === v}
            className={`rounded border px-2 py-0.5 text-xs ${state.verdict === v ? 'border-accent text-accent' : 'border-line'}`}
          >
            {v || 'all'}
          </Link>
        ))}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <FlowFilters
          values={{
            q: state.q,
            ip: flows.ip,
            dns: flows.dns,
            node: flows.node,
            service: flows.service,
            dir: flows.dir,
            flags: flows.flags,
          }}
          onChange={({ q, ...own }) =>
            navigate(q === undefined ? {} : { q }, { replace: true }, { ...own, row: '' })
          }
        />
        <button
          type="button"
          aria-pressed={flows.merge !== EACH_OBSERVATION}
          onClick={() =>
            navigate({}, { replace: true }, { merge: flows.merge ? '' : EACH_OBSERVATION, row: '' })
          }
          title="The sender's, the receiver's and a drop's observations of the same packets as one row (off: each as its own row)"
          className={`rounded border px-2 py-1 text-xs ${flows.merge ? 'border-line' : 'border-accent text-accent'}`}
        >
          One row per connection
        </button>
        <span className="tabular text-xs text-muted" data-testid="flows-count">
          {formatCount(rows.length)} of {formatCount(total)} flows
        </span>
        <span className="flex-1" />
        <FlowExportButtons rows={rows} />
      </div>
      {isPending ? (
        <Loading label="flows" height={560} />
      ) : error && !data ? (
        <ErrorState error={error} what="flows" onRetry={() => refetch()} />
      ) : rows.length === 0 && noCollector ? (
        <EmptyState title="No flows yet">
          <NoCollectorHelp />
        </EmptyState>
      ) : (
        <>
          <FlowSearchTable
            rows={rows}
            sort={sort}
            onSort={(s) => navigate({}, { replace: true }, { sort: s === 'time' ? '' : s, row: '' })}
            selected={selected}
            onSelect={(seq) => navigate({}, {}, { row: seq === null ? '' : String(seq) })}
            hasMore={hasNextPage}
            onMore={more}
          />
          {hasNextPage && (
            <button
              type="button"
              onClick={more}
              disabled={isFetchingNextPage}
              className="rounded border border-line px-3 py-1 text-xs hover:bg-panel-2 disabled:opacity-50"
              data-testid="flows-more"
            >
              {isFetchingNextPage ? 'Loading…' : `Load more (${formatCount(total - rows.length)} left)`}
            </button>
          )}
          {selectedRow && <FlowDetail row={selectedRow} onClose={() => navigate({}, {}, { row: '' })} />}
        </>
      )}
    </div>
  );
}
