import { useStatus } from '../../api/queries.js';
import { useLive } from '../../app/LiveContext.js';
import { Link } from '../Link/Link.js';

/**
 * Says plainly when the picture is incomplete: no collector connected, data that is simulated, or the
 * live connection down.
 */
export function StatusBanner() {
  const { data, error } = useStatus();
  const live = useLive();
  if (error) {
    return (
      <div
        role="alert"
        data-testid="banner-server"
        className="border-b border-danger/40 bg-danger/10 px-4 py-1.5 text-sm"
      >
        <strong className="text-danger">The Weft server does not answer.</strong>{' '}
        <span className="text-muted">
          Showing the last data received; start it with `npm start`. Retrying.
        </span>
      </div>
    );
  }
  if (!data) return null;
  const connected = data.collectors.filter((c) => c.connected);
  const simulated = data.simulated || connected.some((c) => c.simulated);
  return (
    <>
      {connected.length === 0 && (
        <div
          data-testid="banner-no-collector"
          role="status"
          className="border-b border-warn/40 bg-warn/10 px-4 py-1.5 text-sm"
        >
          <strong className="text-warn">No collector connected.</strong>{' '}
          <span className="text-muted">
            Nothing new arrives until one connects: run <code>npm start</code>, or{' '}
            <code>pnpm weft collector --server ws://&lt;this host&gt;:8080/api/v1/ingest</code>.{' '}
          </span>
          <Link patch={{ view: 'status' }} className="text-accent hover:underline">
            Status
          </Link>
        </div>
      )}
      {connected.length > 0 && simulated && (
        <div
          data-testid="banner-simulated"
          role="status"
          className="border-b border-accent/40 bg-accent/10 px-4 py-1.5 text-sm"
        >
          <strong className="text-accent">Simulated data.</strong>{' '}
          <span className="text-muted">
            The collectors replay a synthetic lab, not a kernel: use it to explore Weft, not to judge a
            cluster.
          </span>
        </div>
      )}
      {live.active && live.error && (
        <div
          role="alert"
          data-testid="banner-live-error"
          className="border-b border-danger/40 bg-danger/10 px-4 py-1.5 text-sm"
        >
          <strong className="text-danger">The server refused the live subscription:</strong>{' '}
          <span className="text-muted">
            {live.error}. Change or remove the filter parameters in the link.
          </span>
        </div>
      )}
      {live.active && live.conn.kind === 'waiting' && (
        <div role="status" className="border-b border-warn/40 bg-warn/10 px-4 py-1.5 text-sm">
          <strong className="text-warn">Live updates interrupted</strong>{' '}
          <span className="text-muted">
            ({live.conn.reason}); reconnecting in {Math.ceil(live.conn.retryInMs / 1000)} s.
          </span>
        </div>
      )}
    </>
  );
}
