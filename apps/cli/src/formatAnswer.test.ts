import type { TimelineResponse } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { formatAnswer } from './formatAnswer.js';

const NOW = Date.parse('2026-11-27T11:00:00Z');

describe('formatAnswer', () => {
  it('sums the timeline over its span and lists its incidents', () => {
    const t: TimelineResponse = {
      start: NOW - 3_600_000,
      end: NOW,
      step: 60,
      t: [NOW - 180_000, NOW - 120_000, NOW - 60_000],
      bytesPerSec: [1000, 25_000, 2000],
      dropsPerSec: [0, 2.5, 0.5],
      dnsErrorsPerSec: [0, 0, 0.1],
      tcpFailuresPerSec: [0, 1, 0],
      incidents: [
        { kind: 'drops_started', at: NOW - 120_000, label: 'policy_drop drops started on api -> db' },
        {
          kind: 'alert_fired',
          at: NOW - 60_000,
          label: 'HighPacketDropRate fired (2.5/s)',
          rule: 'HighPacketDropRate',
        },
      ],
    };
    const window = { start: NOW - 10_000, end: NOW };
    expect(formatAnswer('timeline', t, { mode: 'live', window, endsNow: true }, NOW + 400)).toBe(
      [
        'timeline over the last 1 h, 3 points of 1 min',
        'traffic peak 25 kB/s; drops 180 (peak 2.5/s); DNS errors 6; TCP failures 60',
        'AT        INCIDENT',
        '10:58:00  policy_drop drops started on api -> db',
        '10:59:00  HighPacketDropRate fired (2.5/s)',
        '',
      ].join('\n'),
    );
  });
});
