import { DEFAULT_FILTER, type FilterState } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { followsNow, selectionRange } from './selectionRange.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const state = (p: Partial<FilterState>): FilterState => ({ ...DEFAULT_FILTER, ...p });

describe('selectionRange', () => {
  it('a selection with from/to keeps them; the moment is dropped', () => {
    expect(selectionRange(state({ from: 'now-6h', to: 'now-1h' }), NOW)).toEqual({
      from: 'now-6h',
      to: 'now-1h',
    });
    expect(selectionRange(state({ from: 'now-1h', at: '2026-12-07T11:40:00Z' }), NOW)).toEqual({
      from: 'now-1h',
      to: '',
    });
  });
  it('a lone moment: the hour around it, relative while it reaches now', () => {
    expect(selectionRange(state({ at: '2026-12-07T10:00:00Z' }), NOW)).toEqual({
      from: '2026-12-07T09:30:00Z',
      to: '2026-12-07T10:30:00Z',
    });
    expect(selectionRange(state({ at: '2026-12-07T11:50:00Z' }), NOW)).toEqual({ from: 'now-1h', to: '' });
  });
});

describe('followsNow', () => {
  it('live and ranges with a relative end follow now; a moment or a closed range does not', () => {
    expect(followsNow(state({}))).toBe(true);
    expect(followsNow(state({ from: 'now-15m' }))).toBe(true);
    expect(followsNow(state({ from: 'now-2h', to: 'now-1h' }))).toBe(true);
    expect(followsNow(state({ from: '2026-12-07T10:00:00Z', to: '2026-12-07T11:00:00Z' }))).toBe(false);
    expect(followsNow(state({ at: '2026-12-07T10:00:00Z' }))).toBe(false);
    expect(followsNow(state({ from: 'now-1h', at: '2026-12-07T11:10:00Z' }))).toBe(false);
  });
});
