import { RateLimitedLog, type WarnLog } from './logs/rateLimitedLog.js';

/**
 * A timer's work (prune, alert rounds) that fails closed: an exception is counted and logged at a
 * bounded rate, and the next round runs as usual; thrown from a timer it would end the process.
 */
export function guardedTask(
  name: string,
  task: () => void,
  deps: { log: WarnLog; onError: () => void; now?: () => number },
): () => void {
  const log = new RateLimitedLog(deps.log, { burst: 3, intervalMs: 60_000, now: deps.now ?? Date.now });
  return () => {
    try {
      task();
    } catch (err) {
      deps.onError();
      log.warn(
        name,
        { err: err instanceof Error ? err.message : String(err) },
        `${name} failed; the server carries on`,
      );
    }
  };
}
