import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type RenderResult, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { LiveProvider } from '../app/LiveContext.js';
import { UrlProvider } from '../app/UrlContext.js';
import { createUrlStore, type UrlStore } from '../app/urlStore.js';

/**
 * Renders a component inside the app's providers, at a URL, with recorded API answers already in
 * the query cache (so no request leaves the test). `live=0` in the URL keeps the WebSocket closed.
 */
export function renderWithApp(
  ui: ReactNode,
  opts: { search?: string; data?: [unknown[], unknown][] } = {},
): RenderResult & { store: UrlStore } {
  window.history.replaceState(null, '', `/${opts.search ?? '?live=0'}`);
  const client = new QueryClient({
    defaultOptions: {
      queries: { retry: false, staleTime: Number.POSITIVE_INFINITY, refetchInterval: false },
    },
  });
  for (const [key, value] of opts.data ?? []) client.setQueryData(key, value);
  const store = createUrlStore();
  return {
    store,
    ...render(
      <QueryClientProvider client={client}>
        <UrlProvider store={store}>
          <LiveProvider>{ui}</LiveProvider>
        </UrlProvider>
      </QueryClientProvider>,
    ),
  };
}
