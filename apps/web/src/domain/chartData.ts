import type { Series } from '@weft/protocol';

/** Recharts wants rows keyed by time; the API sends one point list per series. */
export interface ChartRow {
  t: number;
  [key: string]: number | null;
}

export function toChartRows(series: readonly Series[]): { rows: ChartRow[]; keys: string[] } {
  const byT = new Map<number, ChartRow>();
  // Keys are untrusted group values; prefix them so none can collide with `t`.
  const keys: string[] = [];
  for (const s of series) {
    if (s.points.length === 0) continue;
    keys.push(s.key);
    for (const [t, v] of s.points) {
      let row = byT.get(t);
      if (!row) {
        row = { t };
        byT.set(t, row);
      }
      row[s.key === 't' ? 't_' : s.key] = v;
    }
  }
  const rows = [...byT.values()].sort((a, b) => a.t - b.t);
  return { rows, keys: keys.map((k) => (k === 't' ? 't_' : k)) };
}

/**
 * Indices of the points of `key` that touch no line: a value with no value on either side. Lines
 * break at gaps (null), so without a dot such a point is invisible, as is the only point of a
 * series that has just started (the first minute of a latency chart).
 */
export function isolatedPoints(rows: readonly ChartRow[], key: string): Set<number> {
  const has = (i: number) => {
    const v = rows[i]?.[key];
    return v !== null && v !== undefined;
  };
  const out = new Set<number>();
  for (let i = 0; i < rows.length; i++) if (has(i) && !has(i - 1) && !has(i + 1)) out.add(i);
  return out;
}

const NAMED: Record<string, string> = {
  policy_drop: '#f85149',
  NXDOMAIN: '#f85149',
  SERVFAIL: '#d29922',
  NOERROR: '#3fb950',
  p50: '#3fb950',
  p95: '#d29922',
  p99: '#f85149',
  ingress: '#58a6ff',
  egress: '#bc8cff',
  total: '#58a6ff',
  connects: '#58a6ff',
  failures: '#d29922',
};
const PALETTE = ['#58a6ff', '#bc8cff', '#3fb950', '#d29922', '#f778ba', '#39c5cf', '#ff7b72', '#a5d6ff'];

export function seriesColor(key: string, index: number): string {
  return NAMED[key] ?? PALETTE[index % PALETTE.length]!;
}

/** The newest non-null value of one series, or null when it has none. */
export function seriesLast(series: readonly Series[], key: string): number | null {
  const s = series.find((x) => x.key === key);
  if (!s) return null;
  for (let i = s.points.length - 1; i >= 0; i--) {
    const v = s.points[i]![1];
    if (v !== null) return v;
  }
  return null;
}
