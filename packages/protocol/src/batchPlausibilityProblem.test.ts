import { describe, expect, it } from 'vitest';
import { packBatch } from './batchPacker.js';
import { batchPlausibilityProblem } from './batchPlausibilityProblem.js';
import { fullBatch } from './fixtures/fullBatch.js';
import {
  BATCH_FUTURE_SLACK_MS,
  COUNTER_SLACK_MS,
  LINK_BYTES_PER_SECOND,
  LINK_PACKETS_PER_SECOND,
  MAX_BATCH_SPAN_MS,
  RECORD_TS_SLACK_MS,
} from './ingestLimits.js';
import type { PackedBatch } from './packedBatch.js';

const NOW = Date.parse('2026-12-01T10:00:00Z');
const DAY = 86_400_000;
const window = { now: NOW, oldest: NOW - DAY };
/** A one-second batch that ended a second ago, with one record of every kind. */
const batch = (): PackedBatch => packBatch(fullBatch(NOW - 2000));
const problem = (change: (b: PackedBatch) => void): string | null => {
  const b = batch();
  change(b);
  return batchPlausibilityProblem(b, window);
};

describe('batchPlausibilityProblem', () => {
  it('takes a batch as the collector makes it, and its late records within the slack', () => {
    expect(batchPlausibilityProblem(batch(), window)).toBeNull();
    expect(
      problem((b) => {
        b.tcp[0]!.ts = b.start - RECORD_TS_SLACK_MS;
        b.dns[0]!.ts = b.end + RECORD_TS_SLACK_MS;
        b.flows.bytes[0] = LINK_BYTES_PER_SECOND * ((1000 + COUNTER_SLACK_MS) / 1000);
      }),
    ).toBeNull();
    // Resent from the spool a while later, or from a node whose clock runs a little ahead.
    expect(batchPlausibilityProblem(batch(), { now: NOW + DAY - 10_000, oldest: NOW - 10_000 })).toBeNull();
    expect(
      batchPlausibilityProblem(batch(), { now: NOW - BATCH_FUTURE_SLACK_MS + 1000, oldest: 0 }),
    ).toBeNull();
  });

  it("refuses an interval backwards, too long, ahead of the server's clock or older than the store keeps", () => {
    expect(problem((b) => (b.end = b.start - 1))).toBe('end is before start');
    expect(problem((b) => (b.start = b.end - MAX_BATCH_SPAN_MS - 1))).toMatch(/^the interval spans/);
    expect(problem((b) => (b.end = NOW + BATCH_FUTURE_SLACK_MS + 1))).toMatch(/ahead of the server's clock/);
    expect(batchPlausibilityProblem(batch(), { now: NOW, oldest: NOW - 1000 })).toMatch(
      /older than the store keeps/,
    );
  });

  it('refuses a record of any kind whose ts is outside its batch interval', () => {
    const far = (b: PackedBatch) => b.end + RECORD_TS_SLACK_MS + 1;
    expect(problem((b) => (b.flows.ts[0] = far(b)))).toMatch(/^\/flows\/0\/ts/);
    expect(problem((b) => (b.drops[0]!.ts = 0))).toMatch(/^\/drops\/0\/ts/);
    expect(problem((b) => (b.tcp[1]!.ts = far(b)))).toMatch(/^\/tcp\/1\/ts/);
    expect(problem((b) => (b.tcpStats[0]!.ts = b.start - RECORD_TS_SLACK_MS - 1))).toMatch(
      /^\/tcpStats\/0\/ts/,
    );
    expect(problem((b) => (b.dns[0]!.ts = far(b)))).toMatch(/^\/dns\/0\/ts/);
  });

  it('refuses a count more than a 400 Gbit/s link moves in the interval', () => {
    const seconds = (1000 + COUNTER_SLACK_MS) / 1000;
    const bytes = LINK_BYTES_PER_SECOND * seconds + 1;
    const packets = LINK_PACKETS_PER_SECOND * seconds + 1;
    expect(problem((b) => (b.flows.bytes[0] = bytes))).toMatch(/^\/flows\/0\/bytes/);
    expect(problem((b) => (b.flows.packets[0] = packets))).toMatch(/^\/flows\/0\/packets/);
    expect(problem((b) => (b.drops[0]!.bytes = bytes))).toMatch(/^\/drops\/0\/bytes/);
    expect(problem((b) => (b.drops[0]!.packets = packets))).toMatch(/^\/drops\/0\/packets/);
    expect(problem((b) => (b.tcpStats[0]!.retransmits = packets))).toMatch(/^\/tcpStats\/0\/retransmits/);
    // The same count over a longer interval is plausible.
    expect(
      problem((b) => {
        b.start -= 60_000;
        b.flows.bytes[0] = bytes;
      }),
    ).toBeNull();
  });
});
