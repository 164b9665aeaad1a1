import type { FilterState, WhatIfResponse } from '@weft/protocol';
import { ApiError, hintFor } from './apiError.js';
import { API_BASE } from './client.js';

/** The shared time selection as the policy routes take it (`from`/`to`/`at`; none: live). */
function timeParams(state: Pick<FilterState, 'from' | 'to' | 'at'>): URLSearchParams {
  const p = new URLSearchParams();
  if (state.from) p.set('from', state.from);
  if (state.to) p.set('to', state.to);
  if (state.at) p.set('at', state.at);
  return p;
}

/** `POST /policy/whatif`: the observed connections of the selection the YAML's policies would deny. */
export async function postWhatIf(
  yaml: string,
  state: Pick<FilterState, 'from' | 'to' | 'at' | 'namespace'>,
  signal?: AbortSignal,
): Promise<WhatIfResponse> {
  const p = timeParams(state);
  if (state.namespace.length > 0) p.set('namespace', state.namespace.join(','));
  const path = '/policy/whatif';
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}?${p}`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ yaml }),
      signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(path, 0, 'Cannot reach the Weft server.', hintFor(0));
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the status says enough.
  }
  if (!res.ok) {
    const message = (body as { message?: unknown } | null)?.message;
    throw new ApiError(
      path,
      res.status,
      typeof message === 'string' ? message : `${res.status} ${res.statusText}`,
      res.status === 400 ? 'Fix the YAML (or the time selection) and evaluate again.' : hintFor(res.status),
    );
  }
  return body as WhatIfResponse;
}

/** The YAML download of `GET /policy/generate` for a namespace (and workload) over the selection. */
export function generateUrl(
  namespace: string,
  workload: string,
  state: Pick<FilterState, 'from' | 'to' | 'at'>,
  format: 'yaml' | 'json' = 'yaml',
): string {
  const p = new URLSearchParams({ namespace });
  if (workload) p.set('workload', workload);
  for (const [k, v] of timeParams(state)) p.set(k, v);
  p.set('format', format);
  return `${API_BASE}/policy/generate?${p}`;
}
