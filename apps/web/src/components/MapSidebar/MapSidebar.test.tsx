import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../../api/fixtures.js';
import { renderWithApp } from '../../testing/renderWithApp.js';
import { MapSidebar } from './MapSidebar.js';

afterEach(cleanup);

describe('MapSidebar', () => {
  it('live: the summary is "Now" over the rate window, and nothing is listed as changed', () => {
    renderWithApp(
      <MapSidebar
        graph={fixtures.live.graph}
        window="last 10 s"
        summary={fixtures.live.summary}
        onActivate={() => {}}
        onSelectEdge={() => {}}
        selectedEdge={null}
      />,
    );
    expect(screen.getByRole('region', { name: 'Now (last 10 s)' })).toBeTruthy();
    expect(screen.queryByTestId('what-changed')).toBeNull();
  });
  it('a past window names it instead of "Now"', () => {
    renderWithApp(
      <MapSidebar
        graph={fixtures.graphWorkload}
        window="09:00 – 10:00 today"
        summary={null}
        onActivate={() => {}}
        onSelectEdge={() => {}}
        selectedEdge={null}
      />,
    );
    expect(screen.getByRole('region', { name: 'Rates over 09:00 – 10:00 today' })).toBeTruthy();
  });
  it('comparing: lists what changed, problems first, and a row selects its edge', () => {
    const picked: (string | null)[] = [];
    renderWithApp(
      <MapSidebar
        graph={fixtures.graphWorkloadCompare}
        window="last 10 s"
        summary={null}
        onActivate={() => {}}
        onSelectEdge={(id) => picked.push(id)}
        selectedEdge={null}
      />,
    );
    const panel = screen.getByTestId('what-changed');
    expect(within(panel).getByRole('heading').textContent).toBe('What changed (4)');
    const rows = within(panel).getAllByTestId('change-row');
    expect(rows.map((r) => r.dataset.change)).toEqual([
      'drops_rose failures_rose',
      'dns_errors_rose',
      'new',
      'vanished',
    ]);
    expect(rows[0]!.textContent).toContain('api → db');
    expect(rows[0]!.textContent).toContain('drops rose, TCP failures rose: 4.5/s drops now, none before');
    fireEvent.click(rows[2]!);
    expect(picked).toEqual(['wl:production/frontend->wl:kube-system/coredns']);
  });
});
