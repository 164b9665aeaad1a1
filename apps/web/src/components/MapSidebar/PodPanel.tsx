import { type FlowRow, type GraphResponse, podNodeId } from '@weft/protocol';
import { useCallback, useMemo } from 'react';
import { useFlowSearch } from '../../api/useFlowSearch.js';
import { useUrl } from '../../app/UrlContext.js';
import { EMPTY_FLOWS_URL } from '../../domain/flowsUrl.js';
import { formatByteRate, formatCount, formatRate } from '../../domain/format.js';
import { ErrorState } from '../ErrorState/ErrorState.js';
import { FlowSearchTable } from '../FlowSearchTable/FlowSearchTable.js';
import { Link } from '../Link/Link.js';
import { Name } from '../Name/Name.js';
import { Panel } from '../Panel/Panel.js';

/**
 * The end of the drill-down: one pod's numbers and its own flows, searched by the server as the Flows
 * view does (every match in the window, a page at a time); a click opens that row in the Flows view.
 */
export default function PodPanel({
  namespace,
  pod,
  graph,
}: {
  namespace: string;
  pod: string;
  graph: GraphResponse | null;
}) {
  const { state, navigate } = useUrl();
  const flows = useFlowSearch(state, EMPTY_FLOWS_URL);
  const { data, hasNextPage, isFetchingNextPage, fetchNextPage } = flows;
  const rows = useMemo<FlowRow[]>(() => data?.pages.flatMap((p) => p.flows) ?? [], [data]);
  const more = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const node = graph?.nodes.find((n) => n.id === podNodeId(namespace, pod));
  return (
    <Panel
      title="Pod"
      testId="pod-panel"
      actions={
        <Link patch={{ view: 'flows' }} className="text-xs text-accent hover:underline">
          All its flows →
        </Link>
      }
    >
      <p className="text-sm font-semibold">
        <Name value={`${namespace}/${pod}`} max={44} />
      </p>
      {node && (
        <p className="tabular text-sm text-muted">
          {formatByteRate(node.bytesPerSec)}
          {node.dropsPerSec > 0 && (
            <span className="text-danger">, {formatRate(node.dropsPerSec)} drops</span>
          )}
          {node.node && <> · on {node.node}</>}
        </p>
      )}
      <div className="mt-2">
        {flows.error && !data ? (
          <ErrorState error={flows.error} what="this pod's flows" onRetry={() => flows.refetch()} />
        ) : (
          <>
            <p className="tabular mb-1 text-xs text-muted" data-testid="flows-count">
              {formatCount(rows.length)} of {formatCount(data?.pages[0]?.total ?? 0)} flows
            </p>
            <FlowSearchTable
              rows={rows}
              sort="time"
              onSort={(sort) => navigate({ view: 'flows' }, {}, { sort: sort === 'time' ? '' : sort })}
              selected={null}
              onSelect={(seq) => seq !== null && navigate({ view: 'flows' }, {}, { row: String(seq) })}
              hasMore={hasNextPage}
              onMore={more}
              height={260}
            />
          </>
        )}
      </div>
    </Panel>
  );
}
