import type {
  AlertsResponse,
  DiagnoseResponse,
  DnsResponse,
  DropsResponse,
  FilterState,
  GraphResponse,
  StatusResponse,
  TimeChoice,
  TimelineResponse,
  TimeseriesGroupBy,
  TimeseriesMetric,
  TimeseriesResponse,
} from '@weft/protocol';
import { apiParams } from '../domain/focus.js';
import { timelineParams } from '../domain/timelineParams.js';
import { ApiError, hintFor } from './apiError.js';

/** REST client for /api/v1/*, typed with @weft/protocol's response shapes. */
export const API_BASE = '/api/v1';

export async function getJson<T>(path: string, params?: URLSearchParams, signal?: AbortSignal): Promise<T> {
  const qs = params?.toString();
  const url = `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(path, 0, `Cannot reach the Weft server (${url}).`, hintFor(0));
  }
  const text = await res.text();
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`.trim();
    try {
      const body = JSON.parse(text) as { message?: unknown; error?: unknown };
      if (typeof body.message === 'string') message = body.message;
      else if (typeof body.error === 'string') message = body.error;
    } catch {
      if (text && text.length < 300) message = text;
    }
    throw new ApiError(path, res.status, `${path} failed: ${message}`, hintFor(res.status));
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(path, res.status, `${path} answered with something that is not JSON.`, hintFor(404));
  }
}

export const api = {
  status: (signal?: AbortSignal) => getJson<StatusResponse>('/status', undefined, signal),
  graph: (f: FilterState, signal?: AbortSignal) => getJson<GraphResponse>('/graph', apiParams(f), signal),
  timeseries: (
    f: FilterState,
    metric: TimeseriesMetric,
    groupBy: TimeseriesGroupBy,
    step: number,
    signal?: AbortSignal,
  ) =>
    getJson<TimeseriesResponse>('/timeseries', apiParams(f, { metric, groupBy, step: String(step) }), signal),
  dns: (f: FilterState, signal?: AbortSignal) => getJson<DnsResponse>('/dns', apiParams(f), signal),
  drops: (f: FilterState, signal?: AbortSignal) => getJson<DropsResponse>('/drops', apiParams(f), signal),
  /** The strip across every view: its span is the selection's range, whatever its moment. */
  timeline: (f: FilterState, now: number, signal?: AbortSignal) =>
    getJson<TimelineResponse>('/timeline', timelineParams(f, now), signal),
  alerts: (signal?: AbortSignal) => getJson<AlertsResponse>('/alerts', undefined, signal),
  /** The pair as the URL names it (`src`/`dst`), over the selected time (`from`/`to`/`at`; none = live). */
  diagnose: (src: string, dst: string, time: TimeChoice, signal?: AbortSignal) =>
    getJson<DiagnoseResponse>('/diagnose', diagnoseParams(src, dst, time), signal),
};

export function diagnoseParams(src: string, dst: string, time: TimeChoice): URLSearchParams {
  const p = new URLSearchParams({ src, dst });
  if (time.from) p.set('from', time.from);
  if (time.to) p.set('to', time.to);
  if (time.at) p.set('at', time.at);
  return p;
}

/** Step (seconds) for a window so charts get about 120 points. */
export function stepFor(startMs: number, endMs: number): number {
  const raw = Math.max(1, (endMs - startMs) / 1000 / 120);
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];
  return steps.find((s) => s >= raw) ?? 3600;
}
