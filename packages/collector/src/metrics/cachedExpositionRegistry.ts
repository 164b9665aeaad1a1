import { Counter, type Metric, Registry } from 'prom-client';

interface InternalRegistry {
  getMetricsAsString(metric: Metric): Promise<string>;
}

/** One entry of a counter's values as prom-client keeps it (the very object, from one scrape to the next). */
interface CounterEntry {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

const escapeString = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabelValue = (v: string | number) =>
  typeof v === 'string' ? escapeString(v).replace(/"/g, '\\"') : v;

function valueString(v: number): string {
  if (Number.isNaN(v)) return 'Nan';
  if (!Number.isFinite(v)) return v < 0 ? '-Inf' : '+Inf';
  return `${v}`;
}

/**
 * prom-client's registry, but a counter series' `name{labels}` is written once and reused while the
 * series lives, instead of escaping and joining every label value at every scrape: with the AKS
 * add-on's families (a dozen labels a series, ~1,750 series at 1,000 flows) that formatting was most
 * of a scrape's CPU (bench/collector/RESULTS.md). The text is prom-client's byte for byte
 * (cachedExpositionRegistry.test.ts); histograms, gauges, OpenMetrics and default labels take
 * prom-client's own path.
 */
export class CachedExpositionRegistry extends Registry {
  /** Keyed by prom-client's own entry object: a removed or reset series' entry goes with it. */
  private readonly prefixes = new WeakMap<object, string>();
  /** Series names written so far (a test's proof that prom-client still calls the method below). */
  formatted = 0;

  // prom-client 15's per-metric step of `metrics()`, not in its typings: the test fails if it is renamed.
  async getMetricsAsString(metric: Metric): Promise<string> {
    const defaults = (this as unknown as { _defaultLabels: Record<string, string> })._defaultLabels;
    if (
      !(metric instanceof Counter) ||
      this.contentType !== Registry.PROMETHEUS_CONTENT_TYPE ||
      Object.keys(defaults).length > 0
    )
      return (Registry.prototype as unknown as InternalRegistry).getMetricsAsString.call(this, metric);
    const m = await metric.get();
    const name = escapeString(m.name);
    const lines = [`# HELP ${name} ${escapeString(m.help)}`, `# TYPE ${name} ${m.type}`];
    for (const entry of m.values as unknown as CounterEntry[]) {
      let prefix = this.prefixes.get(entry);
      if (prefix === undefined) {
        const labels = Object.entries(entry.labels ?? {}).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
        prefix = `${entry.metricName ?? name}${labels.length > 0 ? `{${labels.join(',')}}` : ''}`;
        this.prefixes.set(entry, prefix);
        this.formatted++;
      }
      lines.push(`${prefix} ${valueString(entry.value)}`);
    }
    return lines.join('\n');
  }
}
