import { type AlertRule, formatNumber } from '@weft/protocol';
import { useAlerts } from '../api/queries.js';
import { useUrl } from '../app/UrlContext.js';
import { ErrorState } from '../components/ErrorState/ErrorState.js';
import { Loading } from '../components/Loading/Loading.js';
import { Panel } from '../components/Panel/Panel.js';
import { alertEpisodes, episodeSpan, episodeWords } from '../domain/alertEpisodes.js';
import { formatAgo } from '../domain/format.js';
import { isoSecond } from '../domain/isoSecond.js';
import { momentLabel } from '../domain/timeLabel.js';

const ORDER: Record<AlertRule['state'], number> = { firing: 0, pending: 1, inactive: 2 };

function formatValue(v: number | null): string {
  if (v === null) return 'no data';
  return formatNumber(v);
}

export default function AlertsView() {
  const { data, error, refetch, isPending } = useAlerts();
  const { navigate } = useUrl();
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
                <dd>
                  {momentLabel(r.activeSince, now)} ({formatAgo(r.activeSince, now)})
                </dd>
              </>
            )}
            <dt className="text-muted">PromQL</dt>
            <dd>
              <code className="block overflow-x-auto whitespace-pre rounded bg-panel-2 p-1 text-xs">
                {r.expr}
              </code>
            </dd>
          </dl>
          <Episodes rule={r} now={now} onPick={(at) => navigate({ at: isoSecond(at) })} />
        </Panel>
      ))}
    </div>
  );
}

/** When the rule fired and resolved, newest first; each time looks at that moment (`at`). */
function Episodes({ rule, now, onPick }: { rule: AlertRule; now: number; onPick: (at: number) => void }) {
  const episodes = alertEpisodes(rule.history);
  if (episodes.length === 0)
    return <p className="mt-2 text-xs text-muted">Has not fired in the history the server keeps.</p>;
  const time = (at: number, what: string) => (
    <button
      type="button"
      onClick={() => onPick(at)}
      title={`Look at ${momentLabel(at, now)}`}
      data-testid={`alert-${what}`}
      className="tabular rounded px-1 text-accent hover:bg-panel-2 hover:underline"
    >
      {momentLabel(at, now)}
    </button>
  );
  return (
    <div className="mt-2 text-sm">
      <h3 className="text-xs font-semibold text-muted">Fired and resolved (newest first)</h3>
      <ul className="mt-1 space-y-0.5" aria-label={`${rule.name} history`}>
        {episodes.slice(0, 20).map((e) => (
          <li key={e.firedAt} data-testid="alert-episode" aria-label={episodeWords(e, now)}>
            <span className={e.resolvedAt === null ? 'font-semibold text-danger' : ''}>fired</span>{' '}
            {time(e.firedAt, 'fired')}
            {e.resolvedAt === null ? (
              <span className="text-danger">, still firing</span>
            ) : (
              <>, resolved {time(e.resolvedAt, 'resolved')}</>
            )}{' '}
            <span className="text-muted">({episodeSpan(e, now)})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
