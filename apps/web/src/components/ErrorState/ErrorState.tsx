import { ApiError } from '../../api/apiError.js';

/** A failed load: what failed, what to do, and a retry. */
export function ErrorState({ error, what, onRetry }: { error: unknown; what: string; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    error instanceof ApiError ? error.hint : 'Reload the page; if it persists, check the server log.';
  return (
    <div role="alert" className="my-4 rounded-lg border border-danger/50 bg-danger/10 p-4 text-sm">
      <p className="font-semibold text-danger">Could not load {what}.</p>
      <p className="mt-1 break-words">{message}</p>
      <p className="mt-1 text-muted">{hint}</p>
      {onRetry && (
        <button
          type="button"
          onClick={onRetry}
          className="mt-2 rounded border border-line px-2 py-1 text-xs hover:bg-panel-2"
        >
          Retry now
        </button>
      )}
    </div>
  );
}
