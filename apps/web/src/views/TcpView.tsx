import { withFilter } from '@weft/protocol';
import { useGraph, useTimeseries } from '../api/queries.js';
import { useUrl } from '../app/UrlContext.js';
import { ErrorState } from '../components/ErrorState/ErrorState.js';
import { Name } from '../components/Name/Name.js';
import { Panel } from '../components/Panel/Panel.js';
import { QueryChart } from '../components/QueryChart/QueryChart.js';
import { useWindowWords } from '../components/WindowWords/useWindowWords.js';
import { formatByteRate, formatCount, formatLatency, formatRate } from '../domain/format.js';

export default function TcpView() {
  const { state } = useUrl();
  const connects = useTimeseries(state, 'tcp_connects', 'none');
  const failures = useTimeseries(state, 'tcp_failures', 'none');
  const latency = useTimeseries(state, 'tcp_latency', 'quantile');
  const podState = withFilter(state, { level: 'pod' });
  const graph = useGraph(podState, true);
  const edges = graph.data?.edges ?? [];
  const over = useWindowWords(graph.data);
  const failing = edges
    .filter((e) => e.tcpFailures > 0)
    .sort((a, b) => b.tcpFailures - a.tcpFailures)
    .slice(0, 15);
  const labels = new Map((graph.data?.nodes ?? []).map((n) => [n.id, n.label]));
  const talkers = [...(graph.data?.nodes ?? [])]
    .filter((n) => n.kind === 'pod' && n.bytesPerSec > 0)
    .sort((a, b) => b.bytesPerSec - a.bytesPerSec)
    .slice(0, 10);
  return (
    <div className="grid gap-4 lg:grid-cols-2" data-testid="tcp-view">
      <Panel title={`TCP connects and failures (per second), ${over.range}`}>
        <QueryChart
          query={connects}
          what="TCP connects"
          format={formatRate}
          series={[
            ...(connects.data?.series ?? []).map((s) => ({
              ...s,
              key: s.key === 'total' ? 'connects' : s.key,
            })),
            ...(failures.data?.series ?? []).map((s) => ({
              ...s,
              key: s.key === 'total' ? 'failures' : `failures ${s.key}`,
            })),
          ]}
        />
      </Panel>
      <Panel title={`TCP connect latency p50 / p95 / p99, ${over.range}`}>
        <QueryChart query={latency} what="TCP latency" format={formatLatency} />
      </Panel>
      <Panel title={`Failing connections (pod pairs), ${over.window}`} testId="tcp-failing">
        {graph.error && !graph.data ? (
          <ErrorState error={graph.error} what="the pod graph" onRetry={() => graph.refetch()} />
        ) : failing.length === 0 ? (
          <p className="text-sm text-muted">No failed TCP connection in this window.</p>
        ) : (
          <table className="tabular w-full table-fixed text-left text-sm">
            <thead className="text-xs text-muted">
              <tr>
                <th className="w-[35%] px-1">Source</th>
                <th className="w-[35%] px-1">Destination</th>
                <th className="px-1 text-right">Failed</th>
                <th className="px-1 text-right">of</th>
              </tr>
            </thead>
            <tbody>
              {failing.map((e) => (
                <tr key={e.id} className="border-t border-line">
                  <td className="px-1">
                    <Name value={labels.get(e.source) ?? e.source} />
                  </td>
                  <td className="px-1">
                    <Name value={labels.get(e.target) ?? e.target} />
                  </td>
                  <td className="px-1 text-right text-warn">{formatCount(e.tcpFailures)}</td>
                  <td className="px-1 text-right">{formatCount(e.tcpConnects)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      <Panel title={`Top talkers (pods by traffic), ${over.window}`} testId="top-talkers">
        {talkers.length === 0 ? (
          <p className="text-sm text-muted">No traffic in this window.</p>
        ) : (
          <ol className="tabular space-y-1 text-sm">
            {talkers.map((n) => (
              <li key={n.id} className="flex justify-between gap-2">
                <Name value={n.namespace ? `${n.namespace}/${n.label}` : n.label} />
                <span className="text-muted">{formatByteRate(n.bytesPerSec)}</span>
              </li>
            ))}
          </ol>
        )}
      </Panel>
    </div>
  );
}
