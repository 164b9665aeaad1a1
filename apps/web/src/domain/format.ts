/**
 * Human formatting for numbers the dashboard shows. Decimal units (kB, MB) like the seed's Mermaid map
 * ("15MB/s"), one decimal place below 10 so labels stay short and steady between updates.
 */
const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

function scaled(value: number, units: string[], base: number): string {
  if (!Number.isFinite(value)) return '-';
  let v = Math.abs(value);
  let i = 0;
  while (v >= base && i < units.length - 1) {
    v /= base;
    i++;
  }
  // 999,855 B/s rounds to "1000 kB"; carry it into the next unit so it reads "1.0 MB".
  if (Math.round(v) >= base && i < units.length - 1) {
    v /= base;
    i++;
  }
  const digits = v >= 10 || i === 0 ? 0 : 1;
  const text = v.toFixed(digits);
  return `${value < 0 ? '-' : ''}${text} ${units[i]}`;
}

export function formatBytes(bytes: number): string {
  return scaled(bytes, BYTE_UNITS, 1000);
}

export function formatByteRate(bytesPerSec: number): string {
  return `${formatBytes(bytesPerSec)}/s`;
}

/** Counts per second: "0", "0.25/s", "12/s", "1.2k/s". */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return '-';
  if (perSec === 0) return '0/s';
  if (Math.abs(perSec) < 10) return `${Number(perSec.toPrecision(2))}/s`;
  return `${formatCount(perSec)}/s`;
}

export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const a = Math.abs(n);
  if (a < 1000) return String(Math.round(n));
  if (a < 1e6) return `${(n / 1e3).toFixed(a < 1e4 ? 1 : 0)}k`;
  if (a < 1e9) return `${(n / 1e6).toFixed(a < 1e7 ? 1 : 0)}M`;
  return `${(n / 1e9).toFixed(1)}G`;
}

/** Milliseconds: "850 µs", "3.2 ms", "120 ms", "1.5 s"; null (no data) as an en dash. */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** Seconds as a duration: "42 s", "5 min", "3 h 20 min", "2 d 4 h". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.floor(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '-';
  const p = ratio * 100;
  if (p === 0) return '0%';
  if (p < 0.1) return '<0.1%';
  return `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}

/** Local wall-clock time of an epoch-ms timestamp, to the second. */
export function formatTime(ts: number): string {
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** "3 s ago", "5 min ago", "2 h ago". */
export function formatAgo(ts: number, now: number): string {
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/** Shortens long untrusted names for display; the full text goes in a title attribute. */
export function truncateMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}
