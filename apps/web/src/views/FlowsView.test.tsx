import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { type FlowsResponse, parseFilter } from '@weft/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../api/fixtures.js';
import { flowSearchKey } from '../api/useFlowSearch.js';
import { parseFlowsUrl } from '../domain/flowsUrl.js';
import { layoutViewport } from '../testing/layoutViewport.js';
import { renderWithApp } from '../testing/renderWithApp.js';
import FlowsView from './FlowsView.js';

afterEach(cleanup);

layoutViewport(1200, 600);

const DENIED = {
  verdict: 'denied' as const,
  policy: { namespace: 'production', name: 'db-ingress' },
  direction: 'ingress' as const,
  flow: 'TCP 5432 from production/frontend-1 to production/db-0',
  explanation: 'ingress denied: production/db-ingress selects app=db and allows no ingress',
};

/** Two pages of the fixture's rows (numbered), the first with a denied policy drop, of `total` matches. */
function pages(total: number): { pages: FlowsResponse[]; pageParams: string[] } {
  const some = fixtures.flows.flows;
  const rows = Array.from({ length: 12 }, (_, i) => ({ ...some[i % some.length]!, seq: 1000 - i }));
  rows[0] = { ...rows[0]!, verdict: 'dropped', reason: 'policy_drop', policy: DENIED };
  rows[1] = { ...rows[1]!, dns: { name: '<img src=x onerror=alert(1)>.example.com' } };
  rows[2] = { ...rows[2]!, dns: { name: 'db.production.svc.cluster.local', qtype: 'A', rcode: 'NXDOMAIN' } };
  return {
    pages: [
      { ...fixtures.flows, flows: rows.slice(0, 6), total, next: 'tabc.1', head: 1000 },
      { ...fixtures.flows, flows: rows.slice(6), total, next: 'tabc.2', head: 1000 },
    ],
    pageParams: ['', 'tabc.1'],
  };
}

function render(search: string, total = 5000) {
  const key = flowSearchKey(parseFilter(search, ['sort', 'row']).state, parseFlowsUrl(search).params);
  return renderWithApp(<FlowsView />, { search, data: [[key, pages(total)]] });
}

describe('FlowsView', () => {
  it('shows the rows loaded of every match the server counted, and reads on when the end is in view', () => {
    render('?view=flows');
    expect(screen.getByTestId('flows-count').textContent).toBe('12 of 5k flows');
    expect(screen.getAllByTestId('flow-row')).toHaveLength(12);
    // All 12 are in view, so the table has asked for the next page already.
    expect(screen.getByTestId('flows-more').textContent).toBe('Loading…');
  });

  it('shows the whole verdict, the denying policy and its explanation in the tooltip', () => {
    render('?view=flows');
    const verdict = screen.getAllByTestId('flow-verdict')[0]!;
    expect(verdict.textContent).toBe('dropped: policy_drop (denied by production/db-ingress)');
    expect(verdict.getAttribute('title')).toContain(DENIED.explanation);
  });

  it('shows the DNS name beside the destination (a DNS flow: its query), as text only', () => {
    const { container } = render('?view=flows');
    const names = screen.getAllByTestId('flow-dns');
    // whole in the tooltip (the text may be shortened in the middle)
    expect(names.map((n) => n.querySelector('[title]')?.getAttribute('title'))).toEqual([
      '<img src=x onerror=alert(1)>.example.com',
      'A db.production.svc.cluster.local NXDOMAIN',
    ]);
    expect(names[0]!.textContent).toContain('<img');
    expect(container.querySelector('img')).toBeNull();
  });

  it('puts the order and the selected row in the URL, and opens the row from it', () => {
    const { store } = render('?view=flows');
    fireEvent.click(screen.getByRole('button', { name: /^Bytes/ }));
    expect(store.get().search).toBe('view=flows&sort=bytes');
    cleanup();
    const again = render('?view=flows&sort=bytes');
    fireEvent.click(screen.getAllByTestId('flow-row')[0]!);
    expect(again.store.get().search).toBe('view=flows&sort=bytes&row=1000');
    const detail = screen.getByTestId('flow-detail');
    expect(within(detail).getByText(DENIED.explanation)).toBeTruthy();
    expect(within(detail).getByText('dropped: policy_drop (denied by production/db-ingress)')).toBeTruthy();
    cleanup();
    render('?view=flows&sort=bytes&row=1000');
    expect(screen.getByTestId('flow-detail').textContent).toContain('Flow #1000');
  });

  it('one row per connection by default: turning it off is in the URL, and a merged row says where each point saw it', () => {
    const { store } = render('?view=flows');
    const toggle = screen.getByRole('button', { name: 'One row per connection' });
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(toggle);
    expect(store.get().search).toBe('view=flows&merge=observation');
    expect(screen.getByRole('button', { name: 'One row per connection' }).getAttribute('aria-pressed')).toBe(
      'false',
    );
    cleanup();
    const search = '?view=flows';
    const row = {
      ...fixtures.flows.flows[0]!,
      seq: 7,
      verdict: 'dropped' as const,
      reason: 'policy_drop',
      seen: [
        {
          seq: 7,
          node: 'lab-node-1',
          dir: 'egress',
          verdict: 'forwarded' as const,
          reason: '',
          bytes: 120,
          packets: 2,
          tcpFlags: 2,
        },
        {
          seq: 9,
          node: 'lab-node-2',
          dir: 'ingress',
          verdict: 'dropped' as const,
          reason: 'policy_drop',
          bytes: 120,
          packets: 2,
          tcpFlags: 2,
        },
      ],
    };
    const key = flowSearchKey(parseFilter(search, ['merge']).state, parseFlowsUrl(search).params);
    const data = { pages: [{ ...fixtures.flows, flows: [row], total: 1 }], pageParams: [''] };
    const again = renderWithApp(<FlowsView />, { search, data: [[key, data]] });
    expect(screen.getByTestId('flow-seen').textContent).toBe('· 2 points');
    expect(screen.getByTestId('flow-verdict').getAttribute('title')).toBe(
      'dropped: policy_drop\negress at lab-node-1: forwarded\ningress at lab-node-2: dropped: policy_drop',
    );
    fireEvent.click(screen.getByTestId('flow-row'));
    expect(again.store.get().search).toBe('view=flows&row=7');
    const detail = screen.getByTestId('flow-detail').textContent;
    expect(detail).toContain('egress at lab-node-1: forwarded');
    expect(detail).toContain('ingress at lab-node-2: dropped: policy_drop');
  });

  it('applies the search box and the flow-only filters to the URL on Enter', () => {
    const { store } = render('?view=flows');
    const box = screen.getByRole('searchbox', { name: 'Search flows' });
    fireEvent.change(box, { target: { value: 'policy' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(store.get().state.q).toBe('policy');
    const ip = screen.getByRole('searchbox', { name: 'IP or CIDR' });
    fireEvent.change(ip, { target: { value: '10.244.0.0/16' } });
    fireEvent.keyDown(ip, { key: 'Enter' });
    const dns = screen.getByRole('searchbox', { name: 'DNS name' });
    fireEvent.change(dns, { target: { value: 'api.production.svc.cluster.local' } });
    fireEvent.keyDown(dns, { key: 'Enter' });
    fireEvent.change(screen.getByRole('combobox', { name: 'Direction' }), { target: { value: 'ingress' } });
    expect(store.get().search).toBe(
      'view=flows&q=policy&ip=10.244.0.0%2F16&dns=api.production.svc.cluster.local&dir=ingress',
    );
  });
});
