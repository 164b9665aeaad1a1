import type { FilterIssue } from '@weft/protocol';

/**
 * The map's own URL parameters, beside the shared filter (whose namespace, q, protocol and port the
 * server's graph already applies): `problems=1` keeps only the edges with a problem (mapFilter.ts), a
 * filter the graph API does not take, so the browser applies it to the graph it holds.
 */
export const MAP_URL_PARAMS = ['problems'] as const;
export type MapUrlParam = (typeof MAP_URL_PARAMS)[number];
export type MapUrl = Record<MapUrlParam, string>;

export const EMPTY_MAP_URL: Readonly<MapUrl> = Object.freeze({ problems: '' });

/** What is valid of them in `search`; what is not is dropped and reported, as parseFilter does. */
export function parseMapUrl(search: string): { params: MapUrl; issues: FilterIssue[] } {
  const q = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const params: MapUrl = { ...EMPTY_MAP_URL };
  const issues: FilterIssue[] = [];
  const all = q.getAll('problems');
  const v = all[0]?.trim() ?? '';
  if (all.length > 1)
    issues.push({ param: 'problems', value: all[1]!, reason: 'repeated parameter; the first one is used' });
  if (v === '1') params.problems = '1';
  // `problems=0` is the default spelled out: dropped without a word.
  else if (v !== '' && v !== '0')
    issues.push({ param: 'problems', value: v, reason: 'must be 1 (only problems) or absent' });
  return { params, issues };
}

/** As query parameters, in a stable order, leaving out what is empty. */
export function serializeMapUrl(params: MapUrl): string {
  const out = new URLSearchParams();
  for (const p of MAP_URL_PARAMS) if (params[p]) out.set(p, params[p]);
  return out.toString();
}
