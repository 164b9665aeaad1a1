import { useDrops, useTimeseries } from '../api/queries.js';
import { useUrl } from '../app/UrlContext.js';
import { BarList } from '../components/BarList/BarList.js';
import { ErrorState } from '../components/ErrorState/ErrorState.js';
import { Link } from '../components/Link/Link.js';
import { Loading } from '../components/Loading/Loading.js';
import { Name } from '../components/Name/Name.js';
import { Panel } from '../components/Panel/Panel.js';
import { findingLabel, PolicyFinding } from '../components/PolicyFinding/PolicyFinding.js';
import { QueryChart } from '../components/QueryChart/QueryChart.js';
import { useWindowWords } from '../components/WindowWords/useWindowWords.js';
import { formatBytes, formatCount, formatRate } from '../domain/format.js';

export default function DropsView() {
  const { state } = useUrl();
  const drops = useDrops(state);
  const byReason = useTimeseries(state, 'drops', 'reason');
  const byDirection = useTimeseries(state, 'drops', 'direction');
  const over = useWindowWords(drops.data);
  return (
    <div className="grid gap-4 lg:grid-cols-2" data-testid="drops-view">
      <Panel title={`Drops by reason (packets/s), ${over.range}`} testId="drops-by-reason-chart">
        <QueryChart query={byReason} what="drops over time" format={formatRate} />
      </Panel>
      <Panel title={`Drops by direction (packets/s), ${over.range}`}>
        <QueryChart query={byDirection} what="drops by direction" format={formatRate} />
      </Panel>
      {drops.isPending ? (
        <Loading label="drops" />
      ) : !drops.data ? (
        <ErrorState error={drops.error} what="drops" onRetry={() => drops.refetch()} />
      ) : (
        <>
          <Panel
            title={`Drop reasons, ${over.window} (${formatCount(drops.data.packets)} packets, ${formatBytes(drops.data.bytes)})`}
            testId="drops-by-reason"
            actions={
              state.reason ? (
                <Link patch={{ reason: '' }} className="text-xs text-accent hover:underline">
                  all reasons
                </Link>
              ) : undefined
            }
          >
            <BarList
              empty="No packet was dropped in this window."
              items={drops.data.byReason.map((r) => ({
                key: r.reason,
                label: r.reason,
                value: r.packets,
                display: `${formatCount(r.packets)} pkts`,
                tone: 'danger',
              }))}
            />
            {drops.data.byDirection.length > 0 && (
              <p className="tabular mt-2 text-xs text-muted">
                {drops.data.byDirection.map((d) => `${d.direction}: ${formatCount(d.packets)}`).join(' · ')}
              </p>
            )}
          </Panel>
          {drops.data.byPolicy && drops.data.byPolicy.length > 0 && (
            <Panel title={`Policy drops by NetworkPolicy, ${over.window}`} testId="drops-by-policy">
              <BarList
                empty="No policy drops in this window."
                items={drops.data.byPolicy.map((b) => ({
                  key: findingLabel(b),
                  label: findingLabel(b),
                  value: b.packets,
                  display: `${formatCount(b.packets)} pkts, ${formatCount(b.pairs)} ${b.pairs === 1 ? 'pair' : 'pairs'}`,
                  tone: b.verdict === 'denied' ? 'danger' : 'warn',
                }))}
              />
            </Panel>
          )}
          <Panel title={`Top dropped pairs, ${over.window}`} testId="drops-top-pairs">
            {drops.data.topPairs.length === 0 ? (
              <p className="text-sm text-muted">No dropped pairs in this window.</p>
            ) : (
              <table className="tabular w-full table-fixed text-left text-sm">
                <thead className="text-xs text-muted">
                  <tr>
                    <th className="w-[32%] px-1">Source</th>
                    <th className="w-[32%] px-1">Destination</th>
                    <th className="px-1">Reason</th>
                    <th className="px-1 text-right">Packets</th>
                  </tr>
                </thead>
                <tbody>
                  {drops.data.topPairs.map((p) => (
                    <tr
                      key={`${p.source}|${p.destination}|${p.reason}|${p.direction}`}
                      className="border-t border-line"
                    >
                      <td className="px-1">
                        <Name value={p.source} />
                      </td>
                      <td className="px-1">
                        <Name value={p.destination} />
                      </td>
                      <td className="px-1 text-danger">
                        <Link patch={{ reason: p.reason }} className="hover:underline">
                          <Name value={p.reason} max={20} />
                        </Link>{' '}
                        <span className="text-xs text-muted">{p.direction}</span>
                        {p.policy && <PolicyFinding finding={p.policy} compact />}
                      </td>
                      <td className="px-1 text-right">{formatCount(p.packets)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Panel>
        </>
      )}
    </div>
  );
}
