import { DEFAULT_FILTER, type FilterState } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { sameQuestion } from './sameQuestion.js';
import { timelineParams } from './timelineParams.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const state = (p: Partial<FilterState>): FilterState => ({ ...DEFAULT_FILTER, ...p });
const get = (s: FilterState, now = NOW) => Object.fromEntries(timelineParams(s, now));

describe('timelineParams', () => {
  it('live asks for the default span; the filter goes along', () => {
    expect(get(state({ namespace: ['production'], level: 'workload' }))).toMatchObject({
      level: 'workload',
      namespace: 'production',
      from: '',
      to: '',
    });
  });
  it('never sends the moment: moving it costs no timeline request', () => {
    const a = timelineParams(state({ from: 'now-1h', at: '2026-12-07T11:40:00Z' }), NOW).toString();
    const b = timelineParams(state({ from: 'now-1h', at: '2026-12-07T11:41:00Z' }), NOW).toString();
    expect(a).toBe(b);
    expect(a).not.toContain('at=');
  });
  it('a lone moment asks for the hour around it; relative while that hour reaches now', () => {
    expect(get(state({ at: '2026-12-07T10:00:00Z' }))).toMatchObject({
      from: '2026-12-07T09:30:00Z',
      to: '2026-12-07T10:30:00Z',
    });
    const recent = get(state({ at: '2026-12-07T11:50:00Z' }));
    expect(recent).toMatchObject({ from: 'now-1h', to: '' });
    // ...so a second later the request is the same one.
    expect(get(state({ at: '2026-12-07T11:50:00Z' }), NOW + 1000)).toEqual(recent);
  });
});

describe('sameQuestion', () => {
  it('differs only in time: the same question', () => {
    expect(
      sameQuestion('level=pod&from=&to=&at=2026-12-07T10:00:00Z', 'level=pod&at=2026-12-07T10:01:00Z'),
    ).toBe(true);
  });
  it('another level or filter is another question', () => {
    expect(sameQuestion('level=pod&at=x', 'level=workload&at=x')).toBe(false);
    expect(sameQuestion('level=pod', 'level=pod&namespace=production')).toBe(false);
  });
});
