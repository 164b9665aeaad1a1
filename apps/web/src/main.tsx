import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { UrlProvider } from './app/UrlContext.js';
import { createUrlStore } from './app/urlStore.js';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: 1,
      staleTime: 1000,
      // Keep showing the previous answer while the next one loads: no layout jump on refresh.
      placeholderData: (prev: unknown) => prev,
      refetchOnWindowFocus: false,
    },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <UrlProvider store={createUrlStore()}>
        <App />
      </UrlProvider>
    </QueryClientProvider>
  </StrictMode>,
);
