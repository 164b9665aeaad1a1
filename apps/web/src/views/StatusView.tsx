import type { LabStatusSummary } from '@weft/protocol';
import { useStatus } from '../api/queries.js';
import { EmptyState, NoCollectorHelp } from '../components/EmptyState/EmptyState.js';
import { ErrorState } from '../components/ErrorState/ErrorState.js';
import { Loading } from '../components/Loading/Loading.js';
import { Name } from '../components/Name/Name.js';
import { Panel } from '../components/Panel/Panel.js';
import { formatAgo, formatCount, formatDuration, formatLatency } from '../domain/format.js';

export default function StatusView() {
  const { data, error, refetch, isPending } = useStatus();
  if (isPending) return <Loading label="status" />;
  if (!data) return <ErrorState error={error} what="the server status" onRetry={() => refetch()} />;
  const now = Date.now();
  return (
    <div className="space-y-4" data-testid="status-view">
      <Panel title="Server">
        <dl className="tabular grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
          <dt className="text-muted">Version</dt>
          <dd>{data.version}</dd>
          <dt className="text-muted">Up for</dt>
          <dd>{formatDuration(data.uptimeS)}</dd>
          <dt className="text-muted">Data</dt>
          <dd>{data.simulated ? 'simulated (synthetic lab)' : 'from real probes'}</dd>
        </dl>
      </Panel>
      <Panel title={`Collectors (${data.collectors.filter((c) => c.connected).length} connected)`}>
        {data.collectors.length === 0 ? (
          <EmptyState title="No collector has connected" testId="status-empty">
            <NoCollectorHelp />
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="tabular w-full text-left text-sm">
              <thead className="text-xs text-muted">
                <tr>
                  <th className="px-2 py-1">Node</th>
                  <th className="px-2 py-1">State</th>
                  <th className="px-2 py-1">Version</th>
                  <th className="px-2 py-1">Probe hooks</th>
                  <th className="px-2 py-1 text-right">Lag</th>
                  <th className="px-2 py-1">Last seen</th>
                  <th className="px-2 py-1 text-right">Batches</th>
                  <th className="px-2 py-1 text-right">Rejected</th>
                  <th className="px-2 py-1 text-right">Records lost</th>
                </tr>
              </thead>
              <tbody>
                {data.collectors.map((c) => (
                  <tr key={`${c.node}-${c.boot}`} className="border-t border-line align-top">
                    <td className="max-w-60 px-2 py-1">
                      <Name value={c.node} />
                    </td>
                    <td className="px-2 py-1">
                      <span className={c.connected ? 'text-ok' : 'text-muted'}>
                        {c.connected ? 'connected' : 'gone'}
                      </span>
                      {c.simulated && (
                        <span className="ml-1 rounded bg-accent/15 px-1 text-xs text-accent">simulated</span>
                      )}
                    </td>
                    <td className="px-2 py-1">{c.version}</td>
                    <td className="max-w-80 px-2 py-1">
                      <details>
                        <summary className="cursor-pointer">{c.hooks.length} hooks</summary>
                        <ul className="mt-1 max-h-40 overflow-auto text-xs text-muted">
                          {c.hooks.map((h) => (
                            <li key={h}>
                              <Name value={h} max={60} />
                            </li>
                          ))}
                        </ul>
                      </details>
                    </td>
                    <td className={`px-2 py-1 text-right ${c.lagMs > 5000 ? 'text-warn' : ''}`}>
                      {formatLatency(c.lagMs)}
                    </td>
                    <td className="px-2 py-1">{formatAgo(c.lastSeen, now)}</td>
                    <td className="px-2 py-1 text-right">{formatCount(c.batches)}</td>
                    <td className={`px-2 py-1 text-right ${c.rejected > 0 ? 'text-warn' : ''}`}>
                      {formatCount(c.rejected)}
                    </td>
                    <td
                      className={`px-2 py-1 text-right ${c.recordsLost > 0 ? 'font-semibold text-danger' : ''}`}
                    >
                      {formatCount(c.recordsLost)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      {data.lab && <LabFaultsPanel lab={data.lab} now={now} />}
    </div>
  );
}

/** The lab's faults, built-in and added, as `weft lab fault list` shows them, with how to change them. */
function LabFaultsPanel({ lab, now }: { lab: LabStatusSummary; now: number }) {
  const rows = [...lab.faults.map((f) => ({ f, on: true })), ...lab.cleared.map((f) => ({ f, on: false }))];
  return (
    <Panel title={`Lab faults (${lab.faults.length} on)`}>
      {lab.error ? (
        <p className="text-sm text-muted" data-testid="lab-faults-error">
          {lab.error}
        </p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-muted">No fault is on. Add one with `pnpm weft lab fault add ...`.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="tabular w-full text-left text-sm" data-testid="lab-faults">
            <thead className="text-xs text-muted">
              <tr>
                <th className="px-2 py-1">Id</th>
                <th className="px-2 py-1">Fault</th>
                <th className="px-2 py-1">Source and target</th>
                <th className="px-2 py-1">Origin</th>
                <th className="px-2 py-1">State</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ f, on }) => (
                <tr key={f.id} className="border-t border-line align-top" data-testid="lab-fault">
                  <td className="px-2 py-1 font-mono">{f.id}</td>
                  <td className="px-2 py-1">{f.kind}</td>
                  <td className="max-w-96 px-2 py-1">
                    <Name value={f.detail} max={90} />
                  </td>
                  <td className="px-2 py-1">{f.origin === 'scenario' ? 'built in (scenario)' : 'added'}</td>
                  <td className={`px-2 py-1 ${on ? 'text-danger' : 'text-muted'}`}>
                    {on ? `on for ${formatDuration(Math.max(0, (now - f.since) / 1000))}` : 'cleared'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-2 text-xs text-muted">
            Clear one with <code>pnpm weft lab fault clear ID</code>; put a built-in one back with{' '}
            <code>pnpm weft lab fault add ID</code>.
          </p>
        </div>
      )}
    </Panel>
  );
}
