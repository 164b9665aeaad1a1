import { cleanup, screen } from '@testing-library/react';
import { parseFilter } from '@weft/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../api/fixtures.js';
import { apiParams } from '../domain/focus.js';
import { renderWithApp } from '../testing/renderWithApp.js';
import DropsView from './DropsView.js';

afterEach(cleanup);

describe('DropsView', () => {
  it('live: the tables say they are over the rate window, the charts over the timeline’s hour', () => {
    const search = '?view=drops';
    const key = ['drops', apiParams(parseFilter(search).state).toString()];
    const end = fixtures.drops.end;
    renderWithApp(<DropsView />, { search, data: [[key, { ...fixtures.drops, start: end - 10_000 }]] });
    expect(screen.getByTestId('drops-by-reason').getAttribute('aria-label')).toMatch(
      /^Drop reasons, last 10 s \(/,
    );
    expect(screen.getByTestId('drops-top-pairs').getAttribute('aria-label')).toBe(
      'Top dropped pairs, last 10 s',
    );
    expect(screen.getByTestId('drops-by-reason-chart').getAttribute('aria-label')).toBe(
      'Drops by reason (packets/s), last 60 min',
    );
  });
  it('a past range: its clock times, never ISO', () => {
    const search = '?view=drops&from=now-6h&to=now-5h';
    const key = ['drops', apiParams(parseFilter(search).state).toString()];
    const end = Date.now() - 5 * 3_600_000;
    renderWithApp(<DropsView />, {
      search,
      data: [[key, { ...fixtures.drops, start: end - 3_600_000, end }]],
    });
    const title = screen.getByTestId('drops-top-pairs').getAttribute('aria-label')!;
    // "10:14 – 11:14 today", or across midnight "yesterday 23:15 – 00:15" (the day leads).
    expect(title).toMatch(
      /^Top dropped pairs, ((today|yesterday) )?\d\d:\d\d( [AP]M)? – \d\d:\d\d( [AP]M)?( (today|yesterday))?$/,
    );
    expect(title).not.toMatch(/T\d\d:/);
  });
  it('groups policy drops by the NetworkPolicy that denies them, and names it on its pairs', () => {
    const search = '?view=drops';
    const key = ['drops', apiParams(parseFilter(search).state).toString()];
    const finding = {
      verdict: 'denied' as const,
      policy: { namespace: 'production', name: 'db-ingress' },
      direction: 'ingress' as const,
      flow: 'TCP 5432 from production/api-5c6b7-def34 to production/db-0',
      explanation: 'ingress denied: production/db-ingress selects app=db and allows no ingress',
    };
    const data = {
      ...fixtures.drops,
      topPairs: fixtures.drops.topPairs.map((p) => ({ ...p, policy: finding })),
      byPolicy: [
        { policy: finding.policy, verdict: 'denied' as const, packets: 4000, pairs: 1 },
        { verdict: 'not_denied' as const, packets: 12, pairs: 2 },
      ],
    };
    renderWithApp(<DropsView />, { search, data: [[key, data]] });
    const panel = screen.getByTestId('drops-by-policy');
    expect(panel.textContent).toContain('production/db-ingress4k pkts, 1 pair');
    expect(panel.textContent).toContain(
      'no NetworkPolicy denies these (CNI or host firewall?)12 pkts, 2 pairs',
    );
    expect(screen.getByTestId('drops-top-pairs').textContent).toContain('denied by production/db-ingress');
  });
});
