import { type FilterIssue, type FilterState, parseFilter, serializeFilter, withFilter } from '@weft/protocol';

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
}

type Listener = () => void;

export interface UrlStore {
  get(): UrlSnapshot;
  subscribe(listener: Listener): () => void;
  navigate(patch: Partial<FilterState>, opts?: { replace?: boolean }): void;
  dismissIssues(): void;
  /** Absolute link to the current view. */
  href(): string;
}

export function createUrlStore(win: Window = window): UrlStore {
  const listeners = new Set<Listener>();
  const read = (issuesOverride?: FilterIssue[]): UrlSnapshot => {
    const { state, issues } = parseFilter(win.location.search);
    return { state, issues: issuesOverride ?? issues, search: serializeFilter(state) };
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
    navigate(patch, opts) {
      const next = withFilter(snap.state, patch);
      const search = serializeFilter(next);
      if (search === snap.search) return;
      const url = urlFor(win, search);
      if (opts?.replace) win.history.replaceState(null, '', url);
      else win.history.pushState(null, '', url);
      snap = { state: parseFilter(search).state, issues: snap.issues, search };
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

function urlFor(win: Window, search: string): string {
  return `${win.location.pathname}${search ? `?${search}` : ''}${win.location.hash}`;
}
