import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react';
import type { UrlSnapshot, UrlStore } from './urlStore.js';

const Ctx = createContext<UrlStore | null>(null);

export function UrlProvider({ store, children }: { store: UrlStore; children: ReactNode }) {
  return <Ctx.Provider value={store}>{children}</Ctx.Provider>;
}

export function useUrlStore(): UrlStore {
  const store = useContext(Ctx);
  if (!store) throw new Error('useUrlStore outside UrlProvider');
  return store;
}

/** The URL's view state; re-renders on navigation and back/forward. */
export function useUrl(): UrlSnapshot & { navigate: UrlStore['navigate'] } {
  const store = useUrlStore();
  const snap = useSyncExternalStore(store.subscribe, store.get, store.get);
  return { ...snap, navigate: store.navigate };
}
