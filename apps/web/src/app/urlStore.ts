import { type FilterIssue, type FilterState, parseFilter, serializeFilter, withFilter } from '@weft/protocol';
import {
  EMPTY_FLOWS_URL,
  FLOWS_URL_PARAMS,
  type FlowsUrl,
  parseFlowsUrl,
  serializeFlowsUrl,
} from '../domain/flowsUrl.js';

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
}

type Listener = () => void;

export interface UrlStore {
  get(): UrlSnapshot;
  subscribe(listener: Listener): () => void;
  navigate(patch: Partial<FilterState>, opts?: { replace?: boolean }, flows?: Partial<FlowsUrl>): void;
  dismissIssues(): void;
  /** Absolute link to the current view. */
  href(): string;
}

export function createUrlStore(win: Window = window): UrlStore {
  const listeners = new Set<Listener>();
  const read = (issuesOverride?: FilterIssue[]): UrlSnapshot => {
    const { state, issues } = parseFilter(win.location.search, FLOWS_URL_PARAMS);
    const own = state.view === 'flows' ? parseFlowsUrl(win.location.search) : null;
    const flows = own?.params ?? EMPTY_FLOWS_URL;
    return {
      state,
      issues: issuesOverride ?? [...issues, ...(own?.issues ?? [])],
      search: joinSearch(serializeFilter(state), flows),
      flows,
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
    navigate(patch, opts, flowsPatch) {
      const next = withFilter(snap.state, patch);
      const flows = next.view === 'flows' ? { ...snap.flows, ...flowsPatch } : EMPTY_FLOWS_URL;
      const search = joinSearch(serializeFilter(next), flows);
      if (search === snap.search) return;
      const url = urlFor(win, search);
      if (opts?.replace) win.history.replaceState(null, '', url);
      else win.history.pushState(null, '', url);
      snap = { state: parseFilter(search, FLOWS_URL_PARAMS).state, issues: snap.issues, search, flows };
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

/** The shared filter's query, then the Flows view's own parameters. */
function joinSearch(filter: string, flows: FlowsUrl): string {
  const own = serializeFlowsUrl(flows);
  return [filter, own].filter(Boolean).join('&');
}

function urlFor(win: Window, search: string): string {
  return `${win.location.pathname}${search ? `?${search}` : ''}${win.location.hash}`;
}
