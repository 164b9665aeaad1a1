import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type RenderResult, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { LiveProvider } from '../app/LiveContext.js';
import { UrlProvider } from '../app/UrlContext.js';
import { createUrlStore, type UrlStore } from '../app/urlStore.js';

/**
 * Renders a component inside the app's providers, at a URL, with recorded API answers already in
 * the query cache (so no request leaves the test). Live mode starts paused, so no WebSocket opens;
 * `paused: false` renders it running (a test then owns what the socket does).
 */
export function renderWithApp(
  ui: ReactNode,
  opts: { search?: string; data?: [unknown[], unknown][]; paused?: boolean } = {},
): RenderResult & { store: UrlStore; client: QueryClient } {
  window.history.replaceState(null, '', `/${opts.search ?? ''}`);
  const client = new QueryClient({
    defaultOptions: {
      queries: { retry: false, staleTime: Number.POSITIVE_INFINITY, refetchInterval: false },
    },
  });
  for (const [key, value] of opts.data ?? []) client.setQueryData(key, value);
  const store = createUrlStore();
  return {
    store,
    client,
    ...render(
      <QueryClientProvider client={client}>
        <UrlProvider store={store}>
          <LiveProvider initialPaused={opts.paused ?? true}>{ui}</LiveProvider>
        </UrlProvider>
      </QueryClientProvider>,
    ),
  };
}
