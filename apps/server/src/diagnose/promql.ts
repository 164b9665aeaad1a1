/** PromQL label matchers for the seed's debugging queries, with values escaped. */
export function promString(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function regexEscape(v: string): string {
  return v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `label="v"` for one value, `label=~"a|b"` for several, nothing for none. */
export function matcher(label: string, values: readonly string[]): string | null {
  const uniq = [...new Set(values.filter(Boolean))].sort();
  if (uniq.length === 0) return null;
  if (uniq.length === 1) return `${label}=${promString(uniq[0]!)}`;
  return `${label}=~${promString(uniq.slice(0, 20).map(regexEscape).join('|'))}`;
}

export function selector(metric: string, matchers: (string | null)[]): string {
  const m = matchers.filter((x): x is string => x !== null);
  return m.length === 0 ? metric : `${metric}{${m.join(', ')}}`;
}
