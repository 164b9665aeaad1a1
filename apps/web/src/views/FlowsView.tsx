import { MAX_FLOWS_LIMIT } from '@weft/protocol';
import { useFlows, useStatus } from '../api/queries.js';
import { useUrl } from '../app/UrlContext.js';
import { Breadcrumbs } from '../components/Breadcrumbs/Breadcrumbs.js';
import { EmptyState, NoCollectorHelp } from '../components/EmptyState/EmptyState.js';
import { ErrorState } from '../components/ErrorState/ErrorState.js';
import { FlowsTable } from '../components/FlowsTable/FlowsTable.js';
import { Link } from '../components/Link/Link.js';
import { Loading } from '../components/Loading/Loading.js';
import { useWindowWords } from '../components/WindowWords/useWindowWords.js';
import { formatCount } from '../domain/format.js';

export default function FlowsView() {
  const { state } = useUrl();
  const { data, error, refetch, isPending } = useFlows(state, MAX_FLOWS_LIMIT);
  const status = useStatus();
  const noCollector = status.data && status.data.collectors.length === 0;
  const over = useWindowWords();
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
      {isPending ? (
        <Loading label="flows" height={560} />
      ) : error && !data ? (
        <ErrorState error={error} what="flows" onRetry={() => refetch()} />
      ) : data && data.flows.length === 0 && noCollector ? (
        <EmptyState title="No flows yet">
          <NoCollectorHelp />
        </EmptyState>
      ) : (
        <>
          {data && data.total > data.flows.length && (
            <p className="text-xs text-muted">
              Showing the newest {formatCount(data.flows.length)} of {formatCount(data.total)} matching flows;
              narrow the filter or the time range to see older ones.
            </p>
          )}
          <FlowsTable rows={data?.flows ?? []} height={560} initialText={state.q} />
        </>
      )}
    </div>
  );
}
