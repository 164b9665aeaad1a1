import { useAlerts } from '../../api/queries.js';
import { momentLabel, spanWords } from '../../domain/timeLabel.js';
import { Link } from '../Link/Link.js';

/** Firing and pending rules, visible from every view; a click opens the alerts view. */
export function AlertsBadge() {
  const { data, isError } = useAlerts();
  const firing = data?.rules.filter((r) => r.state === 'firing') ?? [];
  const pending = data?.rules.filter((r) => r.state === 'pending') ?? [];
  const now = Date.now();
  // "since 10:14:05 (3 min)": when it began, not just that it is on.
  const since = (at: number | null) =>
    at === null ? '' : ` since ${momentLabel(at, now)} (${spanWords(now - at)})`;
  const title = isError
    ? 'Alert rules could not be loaded'
    : [
        ...firing.map((r) => `firing: ${r.name}${since(r.activeSince)}`),
        ...pending.map((r) => `pending: ${r.name}${since(r.activeSince)}`),
      ].join('\n') || 'No alert is firing or pending';
  return (
    <Link
      patch={{ view: 'alerts' }}
      title={title}
      className="flex items-center gap-1.5 rounded border border-line px-2 py-1 text-xs hover:bg-panel-2"
    >
      <span data-testid="alerts-badge" className="tabular flex items-center gap-1.5">
        <span
          className={`inline-block h-2 w-2 rounded-full ${firing.length > 0 ? 'bg-danger' : pending.length > 0 ? 'bg-warn' : 'bg-ok'}`}
        />
        {firing.length > 0 ? `${firing.length} firing` : 'Alerts'}
        {pending.length > 0 && <span className="text-warn">{pending.length} pending</span>}
      </span>
    </Link>
  );
}
