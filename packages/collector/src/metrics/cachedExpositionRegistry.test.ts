import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CachedExpositionRegistry } from './cachedExpositionRegistry.js';

/** The same metrics registered in prom-client's registry and in the cached one. */
function both() {
  const plain = new Registry();
  const cached = new CachedExpositionRegistry();
  const registers = [plain, cached];
  const flows = new Counter({
    name: 'hubble_flows_processed_total',
    help: 'Flows "processed"\\ with a\nnewline',
    labelNames: ['source', 'destination', 'verdict'],
    registers,
  });
  const bare = new Counter({ name: 'weft_collector_restarts', help: 'no labels', registers });
  const gauge = new Gauge({
    name: 'weft_collector_series',
    help: 'a gauge',
    labelNames: ['kind'],
    registers,
  });
  const histogram = new Histogram({
    name: 'networkobservability_dns_latency',
    help: 'a histogram',
    labelNames: ['pod'],
    buckets: [0.001, 0.01],
    registers,
  });
  return { plain, cached, flows, bare, gauge, histogram };
}

describe('CachedExpositionRegistry', () => {
  it("writes prom-client's text byte for byte, scrape after scrape, as series come, change and go", async () => {
    const { plain, cached, flows, bare, gauge, histogram } = both();
    const same = async () => expect(await cached.metrics()).toBe(await plain.metrics());
    await same();
    const hostile = ['a"b', 'back\\slash', 'new\nline', '}{,=', 'ünï', '', 'constructor', '__proto__'];
    for (const [i, s] of hostile.entries())
      flows.inc({ source: s, destination: `ns/${s}`, verdict: 'FORWARDED' }, i);
    bare.inc(3);
    gauge.set({ kind: 'x"y' }, 2);
    histogram.observe({ pod: 'p"1' }, 0.005);
    await same();
    // Written once: a scrape with no new series formats no name (and prom-client still calls our step).
    const formatted = cached.formatted;
    expect(formatted).toBe(hostile.length + 1);
    await same();
    expect(cached.formatted).toBe(formatted);
    flows.inc({ source: 'a"b', destination: 'ns/a"b', verdict: 'FORWARDED' }, 0.5);
    flows.inc({ source: 'x', destination: 'y', verdict: 'DROPPED' }, 1e21);
    await same();
    flows.remove({ source: 'a"b', destination: 'ns/a"b', verdict: 'FORWARDED' });
    await same();
    flows.inc({ source: 'a"b', destination: 'ns/a"b', verdict: 'FORWARDED' }, 7);
    await same();
    flows.reset();
    bare.reset();
    await same();
    flows.inc({ source: 'after', destination: 'reset', verdict: 'FORWARDED' });
    await same();
    expect(await cached.metrics()).toContain(
      'hubble_flows_processed_total{source="after",destination="reset",verdict="FORWARDED"} 1',
    );
  });

  it("leaves OpenMetrics and default labels to prom-client's own path", async () => {
    const { plain, cached, flows } = both();
    flows.inc({ source: 's', destination: 'd', verdict: 'FORWARDED' });
    plain.setDefaultLabels({ cluster: 'c"1' });
    cached.setDefaultLabels({ cluster: 'c"1' });
    expect(await cached.metrics()).toBe(await plain.metrics());
    expect(await cached.metrics()).toContain('cluster="c\\"1"');
  });
});
