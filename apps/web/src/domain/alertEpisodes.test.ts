import { describe, expect, it } from 'vitest';
import { fixtures } from '../api/fixtures.js';
import { alertEpisodes, episodeSpan, episodeWords } from './alertEpisodes.js';

const OPTS = { locale: 'en-GB', timeZone: 'UTC' };
const t = (h: number, m: number, s = 0) => Date.UTC(2026, 11, 7, h, m, s);
const NOW = t(10, 30);

describe('alertEpisodes', () => {
  it('pairs each firing with the transition that ended it, newest first; pending alone is no episode', () => {
    const rule = fixtures.alerts.rules.find((r) => r.name === 'HighTCPConnectionFailures')!;
    const end = 1795773600000;
    expect(alertEpisodes(rule.history)).toEqual([
      { firedAt: end - 900_000, resolvedAt: end - 720_000, value: 80 },
      { firedAt: end - 2_700_000, resolvedAt: end - 2_520_000, value: 75 },
    ]);
    const pendingOnly = fixtures.alerts.rules.find((r) => r.name === 'HighPacketDropRate')!;
    expect(alertEpisodes(pendingOnly.history)).toEqual([]);
  });
  it('keeps an episode open while the rule still fires, and counts a repeated firing once', () => {
    const eps = alertEpisodes([
      { state: 'firing', at: t(10, 14, 5), value: 3 },
      { state: 'firing', at: t(10, 15), value: 4 },
    ]);
    expect(eps).toEqual([{ firedAt: t(10, 14, 5), resolvedAt: null, value: 3 }]);
    expect(episodeSpan(eps[0]!, NOW)).toBe('for 16 min so far');
    expect(episodeWords(eps[0]!, NOW, OPTS)).toBe('fired 10:14:05 today, still firing (for 16 min so far)');
  });
  it('says when it fired and resolved, and for how long', () => {
    const e = { firedAt: t(10, 14, 5), resolvedAt: t(10, 17, 5), value: 1 };
    expect(episodeWords(e, NOW, OPTS)).toBe('fired 10:14:05 today, resolved 10:17:05 today (for 3 min)');
  });
});
