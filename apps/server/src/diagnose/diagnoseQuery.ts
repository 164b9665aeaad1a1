import { type FilterIssue, isIp, isSubject, isTimeExpr, SUBJECT_FORMS } from '@weft/protocol';

const SINCE = /^(\d{1,6})(s|m|h|d)$/;
const UNIT_S = { s: 1, m: 60, h: 3600, d: 86400 } as const;

export interface DiagnoseQuery {
  /** The shared filter's parameters: subjects in `src`/`dst`, time in `from`/`to`/`at`. */
  query: Record<string, string | string[] | undefined>;
  /** What the diagnose-only forms could not be read as (parseFilter checks the rest). */
  issues: FilterIssue[];
}

/**
 * Diagnose's query in the shared filter's terms: subjects are `src` and `dst` only, `from`/`to` are
 * times as in every other call. A `from`/`to` that looks like a subject (the names this route used once)
 * is refused with the parameter to use instead, rather than read as a time it is not. `since=15m` stays
 * as the shorthand for `from=now-15m`.
 */
export function diagnoseQuery(
  input: Record<string, string | string[] | undefined>,
  maxSinceS: number,
): DiagnoseQuery {
  const { since, ...query } = input;
  const issues: FilterIssue[] = [];
  for (const [param, subject] of [
    ['from', 'src'],
    ['to', 'dst'],
  ] as const) {
    const raw = query[param];
    if (typeof raw !== 'string') continue;
    const v = raw.trim();
    // A bare word is left to parseFilter, whose message says what a time looks like.
    if (v === '' || isTimeExpr(v) || !isSubject(v) || !(/[/:]/.test(v) || isIp(v))) continue;
    issues.push({
      param,
      value: raw,
      reason: `is a time (now, now-<n>s|m|h|d, RFC 3339); give the ${param === 'from' ? 'source' : 'destination'} as ${subject}=`,
    });
    delete query[param];
  }
  if (since !== undefined) {
    const raw = Array.isArray(since) ? (since[0] ?? '') : since;
    const m = SINCE.exec(raw.trim().replace(/^now-/, ''));
    const s = m ? Number(m[1]) * UNIT_S[m[2] as keyof typeof UNIT_S] : 0;
    if (!m || s < 1 || s > maxSinceS)
      issues.push({
        param: 'since',
        value: raw,
        reason: `must be a duration like 15m, 1h (at most ${maxSinceS}s)`,
      });
    else if (query.from !== undefined || query.at !== undefined)
      issues.push({ param: 'since', value: raw, reason: 'is a shorthand for from; give one of them' });
    else query.from = `now-${s}s`;
  }
  for (const subject of ['src', 'dst'] as const)
    if (!query[subject])
      issues.push({
        param: subject,
        value: '',
        reason: `is required (${SUBJECT_FORMS})`,
      });
  return { query, issues };
}
