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
});
