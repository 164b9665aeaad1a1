import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { FlowRow } from '@weft/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../api/fixtures.js';
import { FlowsTable } from './FlowsTable.js';

afterEach(cleanup);

const DENIED_FINDING = {
  verdict: 'denied' as const,
  policy: { namespace: 'production', name: 'db-ingress' },
  direction: 'ingress' as const,
  flow: 'TCP 5432 from production/frontend-1 to production/db-0',
  explanation: 'ingress denied: production/db-ingress selects app=db and allows no ingress',
};

// jsdom lays nothing out; give elements the size a browser would, so the virtualiser has a viewport.
const sizes = ['clientHeight', 'clientWidth', 'offsetHeight', 'offsetWidth'] as const;
const saved = sizes.map(
  (k) =>
    Object.getOwnPropertyDescriptor(Element.prototype, k) ??
    Object.getOwnPropertyDescriptor(HTMLElement.prototype, k),
);
beforeAll(() => {
  for (const k of sizes) {
    Object.defineProperty(HTMLElement.prototype, k, {
      configurable: true,
      get: () => (k.endsWith('Height') ? 300 : 1000),
    });
  }
});
afterAll(() => {
  sizes.forEach((k, i) => {
    delete (HTMLElement.prototype as unknown as Record<string, unknown>)[k];
    const d = saved[i];
    if (d && !Object.getOwnPropertyDescriptor(Element.prototype, k))
      Object.defineProperty(HTMLElement.prototype, k, d);
  });
});

function many(n: number): FlowRow[] {
  const base = fixtures.flows.flows[0]!;
  return Array.from({ length: n }, (_, i) => ({
    ...base,
    ts: base.ts - i * 1000,
    bytes: i,
    sport: 10000 + i,
  }));
}

describe('FlowsTable', () => {
  it('renders only the rows in view, even for thousands', () => {
    render(<FlowsTable rows={many(5000)} height={280} />);
    const rendered = screen.getAllByTestId('flow-row').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(60);
    expect(screen.getByTestId('flows-count').textContent).toBe('5k of 5k flows');
  });
  it('sorts when a header is clicked', () => {
    render(<FlowsTable rows={fixtures.flows.flows} height={280} />);
    fireEvent.click(screen.getByRole('button', { name: /Bytes/ }));
    const first = screen.getAllByTestId('flow-row')[0]!;
    expect(within(first).getByText('15 MB')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Bytes/ }));
    expect(within(screen.getAllByTestId('flow-row')[0]!).getByText('270 B')).toBeTruthy();
  });
  it('filters with free text and says when nothing matches', () => {
    render(<FlowsTable rows={fixtures.flows.flows} height={280} />);
    fireEvent.change(screen.getByLabelText('Filter flows'), { target: { value: 'policy_drop' } });
    expect(screen.getAllByTestId('flow-row')).toHaveLength(1);
    expect(screen.getByText(/dropped: policy_drop/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Filter flows'), { target: { value: 'zzz' } });
    expect(screen.getByText('No flow matches the filter text.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Export CSV' }) as HTMLButtonElement).disabled).toBe(true);
  });
  it('marks a reply with its service port and lets the filter find replies', () => {
    const req = fixtures.flows.flows[0]!;
    const rep = {
      ...req,
      src: req.dst,
      dst: req.src,
      sport: req.dport,
      dport: req.sport,
      ts: req.ts + 1,
    };
    render(<FlowsTable rows={[rep, req]} height={280} />);
    const marked = screen.getAllByTestId('flow-reply');
    expect(marked).toHaveLength(1);
    expect(marked[0]!.textContent).toBe(`reply${req.dport}`);
    expect(marked[0]!.title).toBe(`Reply from port ${req.dport} to ${req.sport}`);
    fireEvent.change(screen.getByLabelText('Filter flows'), { target: { value: 'reply' } });
    expect(screen.getAllByTestId('flow-row')).toHaveLength(1);
  });
  it('shows hostile names as text, never markup', () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const row = { ...fixtures.flows.flows[0]!, src: { ...fixtures.flows.flows[0]!.src, name: evil } };
    const { container } = render(<FlowsTable rows={[row]} height={280} />);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTitle(`production/${evil}`)).toBeTruthy();
  });
  it('shows the policy on a dropped flow row', () => {
    const row = {
      ...fixtures.flows.flows[0]!,
      verdict: 'dropped' as const,
      reason: 'policy_drop',
      policy: DENIED_FINDING,
    };
    render(<FlowsTable rows={[row]} height={280} />);
    const cell = screen.getByTestId('flow-policy');
    expect(cell.textContent).toBe('denied: db-ingress');
    expect(cell.getAttribute('title')).toBe(DENIED_FINDING.explanation);
  });
});
