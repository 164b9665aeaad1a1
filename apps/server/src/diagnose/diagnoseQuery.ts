import { type FilterIssue, isSubject, isTimeExpr } from '@weft/protocol';

const SINCE = /^(\d{1,6})(s|m|h|d)$/;
const UNIT_S = { s: 1, m: 60, h: 3600, d: 86400 } as const;

export interface DiagnoseQuery {
  /** The shared filter's parameters: subjects in `src`/`dst`, time in `from`/`to`/`at`. */
  query: Record<string, string | string[] | undefined>;
  /** What the old forms could not be read as (parseFilter checks the rest). */
  issues: FilterIssue[];
}

/**
 * Diagnose's query in the shared filter's terms. Before the time model this route named its subjects
 * `from`/`to` and its window `since=<duration>`; links made then keep working where they cannot be
 * misread: a `from`/`to` value that is a subject (`ns/name`, an IP, `ip:port`) is the subject, one that
 * is a time expression is time (the two never look alike), and `since=15m` means `from=now-15m`.
 */
export function diagnoseQuery(
  input: Record<string, string | string[] | undefined>,
  maxSinceS: number,
): DiagnoseQuery {
  const { since, ...query } = input;
  const issues: FilterIssue[] = [];
  let legacySubjects = false;
  for (const [param, subject] of [
    ['from', 'src'],
    ['to', 'dst'],
  ] as const) {
    const raw = query[param];
    if (typeof raw !== 'string') continue;
    const v = raw.trim();
    if (v === '' || isTimeExpr(v)) continue;
    if (!isSubject(v)) {
      issues.push({
        param,
        value: raw,
        reason: `must be a time (now, now-<n>s|m|h|d, RFC 3339) or, in older links, the ${param === 'from' ? 'source' : 'destination'} (namespace/name, an IP, ip:port)`,
      });
      delete query[param];
      continue;
    }
    legacySubjects = true;
    delete query[param];
    if (query[subject])
      issues.push({ param, value: raw, reason: `names a subject and so does ${subject}; keep one` });
    else query[subject] = v;
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
      issues.push({ param: 'since', value: raw, reason: 'is the old form of from; give one of them' });
    else query.from = `now-${s}s`;
  }
  // A missing subject is named the way the link names the other one.
  for (const [subject, old] of [
    ['src', 'from'],
    ['dst', 'to'],
  ] as const)
    if (!query[subject] && !issues.some((i) => i.param === old))
      issues.push({
        param: legacySubjects ? old : subject,
        value: '',
        reason:
          subject === 'src'
            ? 'is required (namespace/pod, namespace/workload or an IP)'
            : 'is required (namespace/pod, namespace/service, an IP or ip:port)',
      });
  return { query, issues };
}
