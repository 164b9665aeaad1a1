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
  it('figures are written the one way (protocol formatNumber): three significant figures', () => {
    expect(formatByteRate(583.922)).toBe('584 B/s');
    expect(formatBytes(5843)).toBe('5.84 kB');
    expect(formatRate(1234)).toBe('1.23k/s');
    expect(formatCount(12_345)).toBe('12.3k');
    expect(formatPercent(0.0476)).toBe('4.76%');
    expect(formatLatency(3.214)).toBe('3.21 ms');
    expect(formatLatency(null)).toBe('–');
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
