import { describe, expect, it } from 'vitest';
import {
  formatByteRate,
  formatBytes,
  formatCount,
  formatDuration,
  formatLatency,
  formatPercent,
  formatRate,
  truncateMiddle,
} from './format.js';

describe('format', () => {
  it('bytes use decimal units like the seed map', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 kB');
    expect(formatBytes(500_000)).toBe('500 kB');
    expect(formatBytes(2_000_000)).toBe('2.0 MB');
    expect(formatBytes(15_000_000)).toBe('15 MB');
    expect(formatByteRate(2_000_000)).toBe('2.0 MB/s');
    expect(formatBytes(Number.NaN)).toBe('-');
    expect(formatByteRate(999_855)).toBe('1.0 MB/s');
    expect(formatBytes(999_400)).toBe('999 kB');
  });
  it('rates, counts, percentages', () => {
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(0.25)).toBe('0.25/s');
    expect(formatRate(4.5)).toBe('4.5/s');
    expect(formatRate(1234)).toBe('1.2k/s');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(12_345)).toBe('12k');
    expect(formatCount(2_500_000)).toBe('2.5M');
    expect(formatPercent(0.05)).toBe('5.0%');
    expect(formatPercent(0.0001)).toBe('<0.1%');
    expect(formatPercent(0.5)).toBe('50%');
  });
  it('latency picks the unit and shows no data as a dash', () => {
    expect(formatLatency(0.25)).toBe('250 µs');
    expect(formatLatency(3.21)).toBe('3.2 ms');
    expect(formatLatency(120)).toBe('120 ms');
    expect(formatLatency(1500)).toBe('1.5 s');
    expect(formatLatency(null)).toBe('–');
    expect(formatLatency(0)).toBe('0 ms');
  });
  it('durations', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(300)).toBe('5 min');
    expect(formatDuration(12_000)).toBe('3 h 20 min');
    expect(formatDuration(190_000)).toBe('2 d 4 h');
  });
  it('truncates in the middle, keeping both ends', () => {
    const long = `frontend-${'x'.repeat(240)}-abc12`;
    const t = truncateMiddle(long, 28);
    expect(t).toHaveLength(28);
    expect(t.startsWith('frontend-')).toBe(true);
    expect(t.endsWith('abc12')).toBe(true);
    expect(truncateMiddle('short', 28)).toBe('short');
  });
});
