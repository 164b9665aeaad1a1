import { cleanup, render, screen } from '@testing-library/react';
import type { FlowRow } from '@weft/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../../api/fixtures.js';
import { layoutViewport } from '../../testing/layoutViewport.js';
import { FlowSearchTable } from './FlowSearchTable.js';

afterEach(cleanup);

layoutViewport(1000, 300);

function table(rows: FlowRow[]) {
  return render(
    <FlowSearchTable
      rows={rows}
      sort="time"
      onSort={() => {}}
      selected={null}
      onSelect={() => {}}
      hasMore={false}
      onMore={() => {}}
      height={280}
    />,
  );
}

describe('FlowSearchTable', () => {
  it('renders only the rows in view, even for thousands', () => {
    const base = fixtures.flows.flows[0]!;
    table(Array.from({ length: 5000 }, (_, i) => ({ ...base, seq: i, ts: base.ts - i, sport: 10000 + i })));
    const rendered = screen.getAllByTestId('flow-row').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(60);
  });
  it('marks a reply with its service port', () => {
    const req = { ...fixtures.flows.flows[0]!, seq: 1 };
    const rep = {
      ...req,
      seq: 2,
      src: req.dst,
      dst: req.src,
      sport: req.dport,
      dport: req.sport,
      ts: req.ts + 1,
    };
    table([rep, req]);
    const marked = screen.getAllByTestId('flow-reply');
    expect(marked).toHaveLength(1);
    expect(marked[0]!.textContent).toBe(`reply${req.dport}`);
    expect(marked[0]!.title).toBe(`Reply from port ${req.dport} to ${req.sport}`);
  });
  it('shows hostile names as text, never markup', () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const first = fixtures.flows.flows[0]!;
    const { container } = table([{ ...first, seq: 1, src: { ...first.src, name: evil } }]);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTitle(`production/${evil}`)).toBeTruthy();
  });
  it('says so when nothing matches', () => {
    table([]);
    expect(screen.getByText('No flow matches in this window.')).toBeTruthy();
  });
});
