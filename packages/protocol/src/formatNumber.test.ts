import { describe, expect, it } from 'vitest';
import {
  formatByteRate,
  formatBytes,
  formatCount,
  formatLatency,
  formatNumber,
  formatPercent,
  formatRate,
  scaleDecimal,
  significant,
} from './formatNumber.js';

describe('formatNumber', () => {
  it('keeps three significant figures, no exponent, no trailing zeros', () => {
    expect(significant(583.922)).toBe('584');
    expect(significant(58.3922)).toBe('58.4');
    expect(significant(5.8)).toBe('5.8');
    expect(significant(0.004237)).toBe('0.00424');
    expect(significant(123_456)).toBe('123456');
    expect(significant(0)).toBe('0');
    expect(significant(Number.NaN)).toBe('-');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
  });

  it('scales by thousands, carrying a figure that rounds up to the next prefix', () => {
    expect(scaleDecimal(999)).toEqual({ text: '999', prefix: '' });
    expect(scaleDecimal(999_855)).toEqual({ text: '1', prefix: 'M' });
    expect(scaleDecimal(-1500)).toEqual({ text: '-1.5', prefix: 'k' });
  });

  it('bytes: decimal units like the seed map, whole bytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(583.922)).toBe('584 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 kB');
    expect(formatBytes(5843)).toBe('5.84 kB');
    expect(formatBytes(500_000)).toBe('500 kB');
    expect(formatBytes(15_000_000)).toBe('15 MB');
    expect(formatBytes(999_400)).toBe('999 kB');
    expect(formatByteRate(583.922)).toBe('584 B/s');
    expect(formatByteRate(999_855)).toBe('1 MB/s');
    expect(formatBytes(Number.NaN)).toBe('-');
    expect(formatByteRate(Number.POSITIVE_INFINITY)).toBe('-');
  });

  it('counts and rates', () => {
    expect(formatCount(999)).toBe('999');
    expect(formatCount(12_345)).toBe('12.3k');
    expect(formatCount(2_500_000)).toBe('2.5M');
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(0.25)).toBe('0.25/s');
    expect(formatRate(12.345)).toBe('12.3/s');
    expect(formatRate(1234)).toBe('1.23k/s');
  });

  it('latency picks the unit; no data is a dash', () => {
    expect(formatLatency(0.25)).toBe('250 µs');
    expect(formatLatency(3.214)).toBe('3.21 ms');
    expect(formatLatency(120)).toBe('120 ms');
    expect(formatLatency(999.9)).toBe('1 s');
    expect(formatLatency(1500)).toBe('1.5 s');
    expect(formatLatency(null)).toBe('–');
    expect(formatLatency(0)).toBe('0 ms');
  });

  it('percentages', () => {
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.0001)).toBe('<0.1%');
    expect(formatPercent(0.0476)).toBe('4.76%');
    expect(formatPercent(0.5)).toBe('50%');
    expect(formatPercent(1)).toBe('100%');
  });
});
