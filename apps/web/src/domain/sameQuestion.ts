/**
 * Whether two API query strings ask the same question at different times (only from, to or at
 * differ). The map keeps showing the previous answer while such a request is in flight (a replay frame,
 * a click on the timeline), so edges do not flash; a different question (level, filter) starts empty.
 */
const TIME_PARAMS = ['from', 'to', 'at'];

function withoutTime(query: string): string {
  const p = new URLSearchParams(query);
  for (const k of TIME_PARAMS) p.delete(k);
  p.sort();
  return p.toString();
}

export function sameQuestion(a: string, b: string): boolean {
  return withoutTime(a) === withoutTime(b);
}
