/**
 * The one way Weft writes figures for people (dashboard, CLI, server sentences, exports): three
 * significant figures, decimal units like the seed's map ("15 MB/s", "5.84 kB/s"), no trailing zeros.
 * A figure that is not finite is written "-".
 */

const PREFIXES = ['', 'k', 'M', 'G', 'T', 'P'];

/** `v` to `digits` significant figures, without exponent or trailing zeros: 583.922 -> "584". */
export function significant(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return '-';
  if (v === 0) return '0';
  // Numbers of `digits` figures or more before the point keep them all (no "1.23e+3").
  if (Math.abs(v) >= 10 ** digits) return String(Math.round(v));
  return String(Number(v.toPrecision(digits)));
}

/** `v` scaled by powers of 1000 below 1000 (after rounding: 999,855 reads "1" with prefix M). */
export function scaleDecimal(v: number): { text: string; prefix: string } {
  if (!Number.isFinite(v)) return { text: '-', prefix: '' };
  let a = Math.abs(v);
  let i = 0;
  while (i < PREFIXES.length - 1 && Number(a.toPrecision(3)) >= 1000) {
    a /= 1000;
    i++;
  }
  return { text: `${v < 0 ? '-' : ''}${significant(a)}`, prefix: PREFIXES[i]! };
}

/** "0 B", "584 B", "5.84 kB", "15 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '-';
  // Bytes are whole: no "583.9 B".
  const { text, prefix } = scaleDecimal(Math.abs(bytes) < 1000 ? Math.round(bytes) : bytes);
  return `${text} ${prefix}B`;
}

export function formatByteRate(bytesPerSec: number): string {
  return Number.isFinite(bytesPerSec) ? `${formatBytes(bytesPerSec)}/s` : '-';
}

/** Counts: "999", "1.23k", "2.5M" (whole below a thousand). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const { text, prefix } = scaleDecimal(Math.abs(n) < 1000 ? Math.round(n) : n);
  return `${text}${prefix}`;
}

/** Counts per second: "0/s", "0.25/s", "12.3/s", "1.23k/s". */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return '-';
  const { text, prefix } = scaleDecimal(perSec);
  return `${text}${prefix}/s`;
}

/** A plain figure (a threshold, a ratio's value): "0.0042", "12.3", "1230". */
export function formatNumber(v: number): string {
  return significant(v);
}

/** Milliseconds: "850 µs", "3.21 ms", "120 ms", "1.5 s"; null (no data) as an en dash. */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms === 0) return '0 ms';
  const a = Math.abs(ms);
  if (Number(a.toPrecision(3)) < 1) return `${significant(ms * 1000)} µs`;
  if (Number(a.toPrecision(3)) < 1000) return `${significant(ms)} ms`;
  return `${significant(ms / 1000)} s`;
}

/** A ratio as a percentage: "0%", "<0.1%", "4.8%", "50%", "100%". */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '-';
  const p = ratio * 100;
  if (p === 0) return '0%';
  if (Math.abs(p) < 0.1) return '<0.1%';
  return `${significant(p)}%`;
}
