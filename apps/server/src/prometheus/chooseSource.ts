import type { DataSource, SourceChoice } from '@weft/protocol';
import { BadRequestError } from '../routes/badRequestError.js';

/**
 * Which store answers a window: what the request asked for, or with `auto` (the default) Prometheus
 * only when the window starts before the oldest data the server's store holds (`storeOldest`; +Infinity
 * when it holds nothing) and a Prometheus is configured.
 */
export function chooseSource(
  choice: SourceChoice | '',
  hasPrometheus: boolean,
  windowStart: number,
  storeOldest: number,
): DataSource {
  if (choice === 'store') return 'store';
  if (choice === 'prometheus') {
    if (!hasPrometheus)
      throw new BadRequestError(
        'source: prometheus is not configured on this server (set WEFT_PROMETHEUS_URL)',
        [{ param: 'source', value: choice, reason: 'prometheus is not configured (WEFT_PROMETHEUS_URL)' }],
      );
    return 'prometheus';
  }
  return hasPrometheus && windowStart < storeOldest ? 'prometheus' : 'store';
}
