/**
 * Time expressions shared by the URL and the API: `now`, `now-<n><unit>` (s, m, h, d), or RFC 3339.
 */
const RELATIVE = /^now(?:-(\d{1,6})(s|m|h|d))?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export interface TimeWindow {
  /** ms since epoch, inclusive */
  start: number;
  /** ms since epoch, exclusive */
  end: number;
}

export function isTimeExpr(expr: string): boolean {
  return RELATIVE.test(expr) || (RFC3339.test(expr) && Number.isFinite(Date.parse(expr)));
}

/** Resolves one expression against `now` (ms); undefined when it is not a time expression. */
export function resolveTimeExpr(expr: string, now: number): number | undefined {
  const rel = RELATIVE.exec(expr);
  if (rel) {
    if (!rel[1]) return now;
    return now - Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS];
  }
  if (!RFC3339.test(expr)) return undefined;
  const t = Date.parse(expr);
  return Number.isFinite(t) ? t : undefined;
}
