import { DEFAULT_FILTER } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { edgeTotalsState, totalsWords } from './edgeTotals.js';
import { apiParams } from './focus.js';

const EDGE = 'wl:production/api->wl:production/db';
const NOW = Date.UTC(2026, 11, 7, 10, 30, 0);

describe('edgeTotalsState', () => {
  it('live: the last hour, relative, for the edge ends’ namespaces', () => {
    const q = edgeTotalsState({ ...DEFAULT_FILTER, level: 'workload', compare: 'previous' }, EDGE, NOW);
    const p = apiParams(q);
    expect(p.get('from')).toBe('now-60m');
    expect(p.get('to')).toBe('');
    expect(p.get('namespace')).toBe('production');
    expect(p.has('at')).toBe(false);
    expect(p.has('compare')).toBe(false);
  });
  it('a range: that range as it is', () => {
    const q = edgeTotalsState({ ...DEFAULT_FILTER, from: 'now-6h', to: 'now-1h' }, EDGE, NOW);
    expect([q.from, q.to, q.at]).toEqual(['now-6h', 'now-1h', '']);
  });
  it('a moment: the hour around it, as absolute times', () => {
    const q = edgeTotalsState({ ...DEFAULT_FILTER, at: '2026-12-07T09:00:00Z' }, EDGE, NOW);
    expect([q.from, q.to, q.at]).toEqual(['2026-12-07T08:30:00Z', '2026-12-07T09:30:00Z', '']);
  });
  it('a recent moment: the last hour, relative, so the query does not change every second', () => {
    const q = edgeTotalsState({ ...DEFAULT_FILTER, at: '2026-12-07T10:25:00Z' }, EDGE, NOW);
    expect([q.from, q.to, q.at]).toEqual(['now-1h', '', '']);
    expect(edgeTotalsState({ ...DEFAULT_FILTER, at: '2026-12-07T10:25:00Z' }, EDGE, NOW + 1000)).toEqual(q);
  });
});

describe('totalsWords', () => {
  it('labels the totals with their span', () => {
    const live = { ...DEFAULT_FILTER };
    expect(totalsWords(live, { start: NOW - 3_600_000, end: NOW }, NOW)).toBe('Totals over the last 60 min');
    const span = { start: Date.UTC(2026, 11, 7, 9, 0), end: Date.UTC(2026, 11, 7, 10, 0) };
    const utc = { locale: 'en-GB', timeZone: 'UTC' };
    expect(totalsWords({ ...DEFAULT_FILTER, from: '2026-12-07T09:00:00Z' }, span, NOW, utc)).toBe(
      'Totals over 09:00 – 10:00 today',
    );
    expect(totalsWords({ ...DEFAULT_FILTER, from: 'now-15m', to: 'now' }, span, NOW, utc)).toBe(
      'Totals over the last 60 min',
    );
  });
});
