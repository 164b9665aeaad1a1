import { cleanup, fireEvent, screen } from '@testing-library/react';
import { parseFilter } from '@weft/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../../api/fixtures.js';
import { edgeTotalsState } from '../../domain/edgeTotals.js';
import { apiParams } from '../../domain/focus.js';
import { renderWithApp } from '../../testing/renderWithApp.js';
import { EdgePanel } from './EdgePanel.js';

afterEach(cleanup);

const graph = fixtures.graphWorkload;
const edge = graph.edges.find((e) => e.id === 'wl:production/api->wl:production/db')!;

describe('EdgePanel', () => {
  it('makes the connection the focus: a URL that opens the map with it selected', () => {
    const { store } = renderWithApp(<EdgePanel edge={edge} graph={graph} onClose={() => {}} />, {
      search: '?level=workload&focus=ns:production',
    });
    const link = screen.getByRole('link', { name: 'Focus this connection' }) as HTMLAnchorElement;
    expect(parseFilter(new URL(link.href).search).state.focus).toBe(edge.id);
    fireEvent.click(link);
    expect(store.get().state).toMatchObject({ view: 'map', level: 'workload', focus: edge.id });
    expect(screen.queryByRole('link', { name: 'Focus this connection' })).toBeNull();
  });
});

describe('EdgePanel time', () => {
  const search = '?level=workload&focus=ns:production';
  const totalsKey = (id: string) => [
    'edge-totals',
    apiParams(edgeTotalsState(parseFilter(search).state, id, Date.now())).toString(),
    id,
  ];
  it('says the rates are over the live window, and shows the range’s totals apart, labelled as totals', () => {
    const live = fixtures.live.graph;
    const liveEdge = live.edges.find((e) => e.id.includes('->'))!;
    renderWithApp(<EdgePanel edge={liveEdge} graph={live} onClose={() => {}} />, {
      search,
      data: [[totalsKey(liveEdge.id), { ...graph, edges: [{ ...edge, id: liveEdge.id }] }]],
    });
    expect(screen.getByTestId('edge-window').textContent).toBe('Rates over the last 10 s');
    const totals = screen.getByTestId('edge-totals');
    expect(totals.textContent).toMatch(/^Totals over the last 15 min/);
    expect(totals.textContent).toContain('12 failed');
    expect(screen.queryByTestId('edge-changes')).toBeNull();
  });
  it('lists what changed against the baseline, with now and before', () => {
    const compare = fixtures.graphWorkloadCompare;
    const changed = compare.edges.find((e) => e.id === edge.id)!;
    renderWithApp(<EdgePanel edge={changed} graph={compare} onClose={() => {}} />, {
      search: `${search}&compare=previous`,
      data: [[totalsKey(changed.id), graph]],
    });
    const changes = screen.getByTestId('edge-changes');
    expect(changes.textContent).toContain('drops rose: 4.5/s drops now, none before');
    expect(changes.textContent).toContain('TCP failures rose: 12 failed now, none before');
  });
});

describe('EdgePanel and NetworkPolicy', () => {
  it('says which policy denies a connection with policy drops, from its Diagnose', () => {
    const search = '?level=workload&focus=ns:production';
    const dropping = { ...edge, dropsPerSec: 3, dropReasons: { policy_drop: 3 } };
    const finding = {
      verdict: 'denied' as const,
      policy: { namespace: 'production', name: 'db-ingress' },
      direction: 'ingress' as const,
      rule: 'production/db-ingress selects app=db and allows ingress only from app=frontend on TCP 5432',
      flow: 'TCP 5432 from production/api-1 to production/db-0',
      explanation: 'ingress denied: ...; api-1 in production matches no allowed peer',
    };
    const diagnose = {
      ...fixtures.diagnose,
      steps: fixtures.diagnose.steps.map((s) =>
        s.id === 'policy_drops' ? { ...s, policyFinding: finding } : s,
      ),
    };
    renderWithApp(<EdgePanel edge={dropping} graph={graph} onClose={() => {}} />, {
      search,
      data: [[['diagnose', 'production/api', 'production/db', '', '', ''], diagnose]],
    });
    const el = screen.getByTestId('edge-policy');
    expect(el.textContent).toContain('Denied by NetworkPolicy production/db-ingress (ingress)');
    expect(el.textContent).toContain(finding.rule);
  });

  it('asks nothing for a connection without policy drops or failures', () => {
    const quiet = { ...edge, dropsPerSec: 0, dropReasons: {}, tcpFailures: 0 };
    renderWithApp(<EdgePanel edge={quiet} graph={graph} onClose={() => {}} />, {
      search: '?level=workload&focus=ns:production',
    });
    expect(screen.queryByTestId('edge-policy')).toBeNull();
  });
});

describe('EdgePanel ports', () => {
  it('lists each port with its own health, the refused one marked, and how many more there are', () => {
    const ports = [
      { port: 9090, proto: 'tcp', bytesPerSec: 2e6, tcpConnects: 40 },
      { port: 9121, proto: 'tcp', bytesPerSec: 10, tcpConnects: 4, tcpFailures: 4, refused: 4 },
    ];
    const twoPorts = { ...edge, ports, portsMore: 2, tcpConnects: 44, tcpFailures: 4 };
    renderWithApp(<EdgePanel edge={twoPorts} graph={graph} onClose={() => {}} />, {
      search: '?level=workload&focus=ns:production',
    });
    const items = [...screen.getByTestId('edge-ports').querySelectorAll('li')];
    expect(items.map((li) => li.textContent)).toEqual([
      '9090/TCP 2 MB/s, 40 connects',
      '9121/TCP 10 B/s, 4 connects: refused',
      '+2 more',
    ]);
    expect(items[1]!.className).toContain('text-danger');
    expect(items[0]!.className).not.toContain('text-danger');
  });
});
