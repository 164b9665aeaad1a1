import type { FilterIssue } from '@weft/protocol';

/** Lists what the URL asked for that could not be used; the view below works without it. */
export function UrlNotice({ issues, onDismiss }: { issues: FilterIssue[]; onDismiss: () => void }) {
  if (issues.length === 0) return null;
  return (
    <div
      role="status"
      data-testid="url-notice"
      className="flex items-start gap-3 border-b border-warn/40 bg-warn/10 px-4 py-2 text-sm"
    >
      <div className="min-w-0 flex-1">
        <strong className="font-semibold text-warn">Some link parameters were ignored.</strong>{' '}
        <span className="text-muted">The view shows what remained valid.</span>
        <ul className="mt-1 space-y-0.5">
          {issues.slice(0, 12).map((i) => (
            <li
              key={`${i.param}=${i.value}:${i.reason}`}
              className="truncate"
              title={`${i.param}=${i.value}: ${i.reason}`}
            >
              <code className="rounded bg-panel-2 px-1">
                {i.param}={i.value.slice(0, 60)}
              </code>{' '}
              <span className="text-muted">{i.reason}</span>
            </li>
          ))}
          {issues.length > 12 && <li className="text-muted">and {issues.length - 12} more</li>}
        </ul>
      </div>
      <button
        type="button"
        onClick={onDismiss}
        className="rounded border border-line px-2 py-0.5 text-xs hover:bg-panel-2"
      >
        Dismiss
      </button>
    </div>
  );
}
