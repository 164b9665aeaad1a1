import { type FilterIssue, type FilterState, parseFilter, serializeFilter, withFilter } from '@weft/protocol';
import {
  EMPTY_FLOWS_URL,
  FLOWS_URL_PARAMS,
  type FlowsUrl,
  parseFlowsUrl,
  serializeFlowsUrl,
} from '../domain/flowsUrl.js';
import {
  EMPTY_MAP_URL,
  MAP_URL_PARAMS,
  type MapUrl,
  parseMapUrl,
  serializeMapUrl,
} from '../domain/mapUrl.js';

/** Parameters of a view of its own, which the shared filter leaves to it. */
const OWN_PARAMS: readonly string[] = [...FLOWS_URL_PARAMS, ...MAP_URL_PARAMS];

/**
 * The single source of view state: the URL's query string. Navigation pushes history entries so
 * back/forward walk through drill-downs; what the URL got wrong is dropped, the URL is rewritten to
 * its clean form, and the issues stay listed until the user dismisses them.
 */
export interface UrlSnapshot {
  state: FilterState;
  issues: FilterIssue[];
  /** Canonical query string (no `?`). */
  search: string;
  /** The Flows view's own parameters (domain/flowsUrl.ts): kept only while the view is flows. */
  flows: FlowsUrl;
  /** The map's own parameters (domain/mapUrl.ts): kept only while the view is the map. */
  map: MapUrl;
}

type Listener = () => void;

export interface UrlStore {
  get(): UrlSnapshot;
  subscribe(listener: Listener): () => void;
  /** `own`: the view's own parameters to change (flows' or the map's; the other view's are dropped). */
  navigate(
    patch: Partial<FilterState>,
    opts?: { replace?: boolean },
    own?: Partial<FlowsUrl> | Partial<MapUrl>,
  ): void;
  dismissIssues(): void;
  /** Absolute link to the current view. */
  href(): string;
}

export function createUrlStore(win: Window = window): UrlStore {
  const listeners = new Set<Listener>();
  const read = (issuesOverride?: FilterIssue[]): UrlSnapshot => {
    const { state, issues } = parseFilter(win.location.search, OWN_PARAMS);
    const own = state.view === 'flows' ? parseFlowsUrl(win.location.search) : null;
    const flows = own?.params ?? EMPTY_FLOWS_URL;
    const mapOwn = state.view === 'map' ? parseMapUrl(win.location.search) : null;
    const map = mapOwn?.params ?? EMPTY_MAP_URL;
    return {
      state,
      issues: issuesOverride ?? [...issues, ...(own?.issues ?? []), ...(mapOwn?.issues ?? [])],
      search: joinSearch(serializeFilter(state), flows, map),
      flows,
      map,
    };
  };
  let snap = read();
  if (snap.issues.length > 0 || `?${snap.search}` !== (win.location.search || '?')) {
    win.history.replaceState(win.history.state, '', urlFor(win, snap.search));
  }
  const emit = () => {
    for (const l of listeners) l();
  };
  const onPop = () => {
    snap = read([]);
    emit();
  };
  win.addEventListener('popstate', onPop);

  return {
    get: () => snap,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    navigate(patch, opts, ownPatch) {
      const next = withFilter(snap.state, patch);
      const { flows, map, search } = nextSearch(snap, next, ownPatch);
      if (search === snap.search) return;
      const url = urlFor(win, search);
      if (opts?.replace) win.history.replaceState(null, '', url);
      else win.history.pushState(null, '', url);
      snap = { state: parseFilter(search, OWN_PARAMS).state, issues: snap.issues, search, flows, map };
      emit();
    },
    dismissIssues() {
      if (snap.issues.length === 0) return;
      snap = { ...snap, issues: [] };
      emit();
    },
    href: () => `${win.location.origin}${urlFor(win, snap.search)}`,
  };
}

/**
 * Where a navigation from `snap` to the shared filter `next` (and `ownPatch` of a view's own
 * parameters) leads: a view's own parameters are kept while the view stays, dropped when it changes.
 * Links use it for their href, so "open in a new tab" gives what a click gives.
 */
export function nextSearch(
  snap: Pick<UrlSnapshot, 'flows' | 'map'>,
  next: FilterState,
  ownPatch?: Partial<FlowsUrl> | Partial<MapUrl>,
): { flows: FlowsUrl; map: MapUrl; search: string } {
  const flows =
    next.view === 'flows' ? { ...snap.flows, ...pick(ownPatch, FLOWS_URL_PARAMS) } : EMPTY_FLOWS_URL;
  const map = next.view === 'map' ? { ...snap.map, ...pick(ownPatch, MAP_URL_PARAMS) } : EMPTY_MAP_URL;
  return { flows, map, search: joinSearch(serializeFilter(next), flows, map) };
}

/** The shared filter's query, then the Flows view's own parameters, then the map's. */
function joinSearch(filter: string, flows: FlowsUrl, map: MapUrl): string {
  return [filter, serializeFlowsUrl(flows), serializeMapUrl(map)].filter(Boolean).join('&');
}

/** The members of `patch` named in `keys`. */
function pick<K extends string>(patch: object | undefined, keys: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  if (!patch) return out;
  for (const k of keys) {
    const v = (patch as Partial<Record<K, string>>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function urlFor(win: Window, search: string): string {
  return `${win.location.pathname}${search ? `?${search}` : ''}${win.location.hash}`;
}
