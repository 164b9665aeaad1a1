import { VIEWS, type View } from '@weft/protocol';
import { lazy, Suspense, useEffect } from 'react';
import { AlertsBadge } from '../components/AlertsBadge/AlertsBadge.js';
import { CopyLinkButton } from '../components/CopyLinkButton/CopyLinkButton.js';
import { Link } from '../components/Link/Link.js';
import { Loading } from '../components/Loading/Loading.js';
import { StatusBanner } from '../components/StatusBanner/StatusBanner.js';
import { ThemeToggle } from '../components/ThemeToggle/ThemeToggle.js';
import { Timeline } from '../components/Timeline/Timeline.js';
import { TimeRangePicker } from '../components/TimeRangePicker/TimeRangePicker.js';
import { UrlNotice } from '../components/UrlNotice/UrlNotice.js';
import { LiveProvider } from './LiveContext.js';
import { useUrl, useUrlStore } from './UrlContext.js';

// Each view is its own chunk: the map never loads the charts' code and the reverse.
const VIEW_COMPONENTS: Record<View, ReturnType<typeof lazy>> = {
  map: lazy(() => import('../views/MapView.js')),
  flows: lazy(() => import('../views/FlowsView.js')),
  drops: lazy(() => import('../views/DropsView.js')),
  dns: lazy(() => import('../views/DnsView.js')),
  tcp: lazy(() => import('../views/TcpView.js')),
  alerts: lazy(() => import('../views/AlertsView.js')),
  diagnose: lazy(() => import('../views/DiagnoseView.js')),
  policy: lazy(() => import('../views/PolicyView.js')),
  status: lazy(() => import('../views/StatusView.js')),
};

export const VIEW_TITLES: Record<View, string> = {
  map: 'Map',
  flows: 'Flows',
  drops: 'Drops',
  dns: 'DNS',
  tcp: 'TCP',
  alerts: 'Alerts',
  diagnose: 'Diagnose',
  policy: 'Policy',
  status: 'Status',
};

export function App() {
  const { state, issues } = useUrl();
  const store = useUrlStore();
  const ViewComponent = VIEW_COMPONENTS[state.view];

  useEffect(() => {
    document.title = `Weft · ${VIEW_TITLES[state.view]}`;
  }, [state.view]);

  useEffect(() => {
    // Alt+1..9 switch views from anywhere.
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const n = Number(e.key);
      if (n >= 1 && n <= VIEWS.length) {
        e.preventDefault();
        store.navigate({ view: VIEWS[n - 1] });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  return (
    <LiveProvider>
      <div className="flex h-full flex-col">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:bg-panel focus:p-2"
        >
          Skip to content
        </a>
        <header className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-line bg-panel px-4 py-2">
          <Link
            patch={{ view: 'map', focus: '', level: 'namespace', workload: '', pod: '' }}
            className="text-base font-bold tracking-tight"
          >
            weft
          </Link>
          <nav aria-label="Views" className="flex flex-wrap gap-1">
            {VIEWS.map((v, i) => (
              <Link
                key={v}
                patch={{ view: v }}
                ariaCurrent={state.view === v}
                title={`${VIEW_TITLES[v]} (Alt+${i + 1})`}
                className={`rounded px-2 py-1 text-sm ${state.view === v ? 'bg-accent/15 font-semibold text-accent' : 'text-muted hover:bg-panel-2 hover:text-fg'}`}
              >
                {VIEW_TITLES[v]}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex flex-wrap items-center gap-2">
            <AlertsBadge />
            <TimeRangePicker />
            <CopyLinkButton />
            <ThemeToggle />
          </div>
        </header>
        <Timeline />
        <UrlNotice issues={issues} onDismiss={store.dismissIssues} />
        <StatusBanner />
        <main id="main" className="min-h-0 flex-1 overflow-auto p-4" data-view={state.view}>
          <Suspense fallback={<Loading label={VIEW_TITLES[state.view]} />}>
            <ViewComponent />
          </Suspense>
        </main>
      </div>
    </LiveProvider>
  );
}
