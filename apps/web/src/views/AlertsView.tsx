import type { AlertRule } from '@weft/protocol';
import { useAlerts } from '../api/queries.js';
import { ErrorState } from '../components/ErrorState/ErrorState.js';
import { Loading } from '../components/Loading/Loading.js';
import { Panel } from '../components/Panel/Panel.js';
import { formatAgo } from '../domain/format.js';

const ORDER: Record<AlertRule['state'], number> = { firing: 0, pending: 1, inactive: 2 };

function formatValue(v: number | null): string {
  if (v === null) return 'no data';
  return Math.abs(v) < 1 ? v.toPrecision(2) : v.toFixed(1);
}

export default function AlertsView() {
  const { data, error, refetch, isPending } = useAlerts();
  if (isPending) return <Loading label="alert rules" />;
  if (!data) return <ErrorState error={error} what="the alert rules" onRetry={() => refetch()} />;
  const rules = [...data.rules].sort(
    (a, b) => ORDER[a.state] - ORDER[b.state] || a.name.localeCompare(b.name),
  );
  const now = Date.now();
  return (
    <div className="space-y-3" data-testid="alerts-view">
      {rules.length === 0 && <p className="text-muted">The server has no alert rules configured.</p>}
      {rules.map((r) => (
        <Panel
          key={r.name}
          title={r.name}
          testId={`alert-${r.name}`}
          actions={
            <span
              className={`rounded px-2 py-0.5 text-xs font-semibold uppercase ${
                r.state === 'firing'
                  ? 'bg-danger/20 text-danger'
                  : r.state === 'pending'
                    ? 'bg-warn/20 text-warn'
                    : 'bg-ok/15 text-ok'
              }`}
            >
              {r.state}
            </span>
          }
        >
          <p className="text-sm">{r.summary}</p>
          <dl className="tabular mt-2 grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
            <dt className="text-muted">Value / threshold</dt>
            <dd>
              {formatValue(r.value)} / {r.threshold} (for {r.for} s, severity {r.severity})
            </dd>
            {r.activeSince !== null && (
              <>
                <dt className="text-muted">Since</dt>
                <dd>{formatAgo(r.activeSince, now)}</dd>
              </>
            )}
            <dt className="text-muted">PromQL</dt>
            <dd>
              <code className="block overflow-x-auto whitespace-pre rounded bg-panel-2 p-1 text-xs">
                {r.expr}
              </code>
            </dd>
          </dl>
          {r.history.length > 0 && (
            <details className="mt-2 text-xs">
              <summary className="cursor-pointer text-muted">History ({r.history.length})</summary>
              <ul className="tabular mt-1 space-y-0.5">
                {r.history.slice(-20).map((h) => (
                  <li key={`${h.at}-${h.state}`}>
                    {new Date(h.at).toLocaleTimeString()} {h.state} ({formatValue(h.value)})
                  </li>
                ))}
              </ul>
            </details>
          )}
        </Panel>
      ))}
    </div>
  );
}
