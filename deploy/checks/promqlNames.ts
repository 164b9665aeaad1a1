/** The series and label names a PromQL expression refers to (enough for Weft's own queries). */
export interface PromqlNames {
  series: string[];
  labels: string[];
}

/**
 * Names a PromQL expression reads: every selector's metric name (a name right before `{` or `[`),
 * and every label in a matcher or in a `by (...)` / `without (...)` clause. A full parser is not
 * needed: the point is to catch a misspelt metric or label, which Prometheus answers with silence.
 */
export function promqlNames(expr: string): PromqlNames {
  const series = new Set<string>();
  const labels = new Set<string>();
  for (const m of expr.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?=[{[])/g)) series.add(m[1]!);
  for (const m of expr.matchAll(/\{([^}]*)\}/g)) {
    for (const l of m[1]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)) labels.add(l[1]!);
  }
  for (const m of expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)) {
    for (const l of m[1]!.split(',')) if (l.trim()) labels.add(l.trim());
  }
  return { series: [...series], labels: [...labels] };
}

export interface MetricShape {
  name: string;
  type: string;
  labelNames: readonly string[];
}

/**
 * Problems with an expression against the metrics an exporter registers: unknown series (histograms
 * answer to `_bucket`, `_sum` and `_count`) and labels none of the referenced metrics carry.
 */
export function promqlProblems(expr: string, metrics: readonly MetricShape[]): string[] {
  const { series, labels } = promqlNames(expr);
  const problems: string[] = [];
  const used: MetricShape[] = [];
  for (const s of series) {
    const exact = metrics.find((m) => m.name === s);
    const hist = metrics.find(
      (m) =>
        m.type === 'histogram' &&
        /_(bucket|sum|count)$/.test(s) &&
        s.replace(/_(bucket|sum|count)$/, '') === m.name,
    );
    const m = exact ?? hist;
    if (m) used.push(m);
    else problems.push(`unknown series ${s}`);
  }
  const available = new Set(
    used.flatMap((m) => [...m.labelNames, ...(m.type === 'histogram' ? ['le'] : [])]),
  );
  for (const l of labels) if (!available.has(l)) problems.push(`no series in it has the label ${l}`);
  return problems;
}
