import { type FilterIssue, parseFlowSearch } from '@weft/protocol';

/**
 * The Flows view's own URL parameters, beside the shared filter: the search's order and its flow-only
 * filters (as /api/v1/flows takes them), `merge=observation` for each point's record as its own row (one
 * row per connection is the default), and the selected row (its seq), so a pasted link opens the same
 * rows, sorted the same, with the same row open.
 */
export const FLOWS_URL_PARAMS = [
  'sort',
  'service',
  'node',
  'ip',
  'dns',
  'dir',
  'flags',
  'merge',
  'row',
] as const;
export type FlowsUrlParam = (typeof FLOWS_URL_PARAMS)[number];
export type FlowsUrl = Record<FlowsUrlParam, string>;

export const EMPTY_FLOWS_URL: Readonly<FlowsUrl> = Object.freeze({
  sort: '',
  service: '',
  node: '',
  ip: '',
  dns: '',
  dir: '',
  flags: '',
  merge: '',
  row: '',
});

/**
 * `merge`'s one value in the URL: the sender's, the receiver's and a drop's records of the same packets
 * as rows of their own. Without it the search asks for one row per connection (merge=connection).
 */
export const EACH_OBSERVATION = 'observation';

/** What is valid of them in `search`; what is not is dropped and reported, as parseFilter does. */
export function parseFlowsUrl(search: string): { params: FlowsUrl; issues: FilterIssue[] } {
  const q = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const params: FlowsUrl = { ...EMPTY_FLOWS_URL };
  const given: Record<string, string> = {};
  for (const p of FLOWS_URL_PARAMS) {
    const v = q.get(p)?.trim();
    if (v) given[p] = v;
  }
  const issues: FilterIssue[] = [];
  // The URL's merge is the view's own (the search's is `connection` unless it says `observation`).
  const { merge, ...searchGiven } = given;
  if (merge === EACH_OBSERVATION) params.merge = merge;
  else if (merge !== undefined && merge !== 'connection')
    issues.push({
      param: 'merge',
      value: merge,
      reason: `must be ${EACH_OBSERVATION} (each point's record its own row; one row per connection is the default)`,
    });
  const { issues: searchIssues } = parseFlowSearch(searchGiven);
  const bad = new Set(searchIssues.map((i) => i.param));
  issues.push(...searchIssues);
  for (const p of FLOWS_URL_PARAMS) {
    const v = given[p];
    if (v === undefined || bad.has(p) || p === 'merge') continue;
    if (p === 'row' && !/^\d{1,15}$/.test(v)) {
      issues.push({ param: p, value: v, reason: 'must be a flow row number' });
      continue;
    }
    params[p] = v;
  }
  // `time` is the default order: the URL leaves it out.
  if (params.sort === 'time') params.sort = '';
  return { params, issues };
}

/** As query parameters, in a stable order, leaving out what is empty. */
export function serializeFlowsUrl(params: FlowsUrl): string {
  const out = new URLSearchParams();
  for (const p of FLOWS_URL_PARAMS) if (params[p]) out.set(p, params[p]);
  return out.toString();
}

/** The search's parameters of a Flows URL (all but the selected row). */
export function flowSearchOf(params: FlowsUrl): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of FLOWS_URL_PARAMS) if (p !== 'row' && p !== 'merge' && params[p]) out[p] = params[p];
  if (params.merge !== EACH_OBSERVATION) out.merge = 'connection';
  return out;
}
