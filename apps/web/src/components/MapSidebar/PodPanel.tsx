import { type GraphResponse, podNodeId } from '@weft/protocol';
import { useFlows } from '../../api/queries.js';
import { useUrl } from '../../app/UrlContext.js';
import { formatByteRate, formatRate } from '../../domain/format.js';
import { ErrorState } from '../ErrorState/ErrorState.js';
import { FlowsTable } from '../FlowsTable/FlowsTable.js';
import { Link } from '../Link/Link.js';
import { Name } from '../Name/Name.js';
import { Panel } from '../Panel/Panel.js';

/** The end of the drill-down: one pod's numbers and its own flows. */
export default function PodPanel({
  namespace,
  pod,
  graph,
}: {
  namespace: string;
  pod: string;
  graph: GraphResponse | null;
}) {
  const { state } = useUrl();
  const flows = useFlows(state, 500);
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
        {flows.error && !flows.data ? (
          <ErrorState error={flows.error} what="this pod's flows" onRetry={() => flows.refetch()} />
        ) : (
          <FlowsTable rows={flows.data?.flows ?? []} height={260} />
        )}
      </div>
    </Panel>
  );
}
