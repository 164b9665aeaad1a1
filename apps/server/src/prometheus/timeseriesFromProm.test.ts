import { DEFAULT_FILTER, type FilterState } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import type { PromMatrixSeries } from './prometheusClient.js';
import { timeseriesFromProm, timeseriesQuery } from './timeseriesFromProm.js';

const filter = (p: Partial<FilterState> = {}): FilterState => ({ ...DEFAULT_FILTER, ...p });
// A 30 s window from 1765080000 s at a 10 s step: Prometheus answers at 10, 20 and 30 s past it.
const win = { start: 1765080000000, end: 1765080030000 };
const t0 = 1765080000;

describe('timeseriesQuery', () => {
  it('counts each packet once and keeps either end in the namespace filter, without overlap', () => {
    const q = timeseriesQuery('bytes', 'namespace', 10, filter({ namespace: ['shop', 'data'] }));
    expect(q.labels).toEqual(['source_namespace']);
    expect(q.expr).toContain(
      'networkobservability_forward_bytes{direction="egress", source_namespace=~"shop|data"}[10s]',
    );
    expect(q.expr).toContain(
      'networkobservability_forward_bytes{direction="egress", source_namespace!~"shop|data", destination_namespace=~"shop|data"}[10s]',
    );
    expect(q.expr).toContain('direction="ingress", source_namespace=""');
    expect(q.expr.endsWith('/ 10')).toBe(true);
  });

  it('DNS errors are queries without a NOERROR answer; quantiles read the buckets', () => {
    const e = timeseriesQuery('dns_errors', 'none', 60, filter());
    expect(e.expr).toContain('networkobservability_dns_request_count[60s]');
    expect(e.expr).toContain('networkobservability_dns_response_count{response_code="NOERROR"}[60s]');
    const l = timeseriesQuery('dns_latency', 'quantile', 60, filter());
    expect(l.quantiles).toEqual([0.5, 0.95, 0.99]);
    expect(l.expr).toBe('sum by (le) (increase(networkobservability_dns_response_latency_bucket[60s]))');
    expect(timeseriesQuery('tcp_failures', 'reason', 60, filter()).notice).toContain('total is shown');
  });
});

describe('timeseriesFromProm', () => {
  it('puts each point at the start of the step it covers, with groups as keys', () => {
    const matrix: PromMatrixSeries[] = [
      {
        metric: { source_namespace: 'shop' },
        values: [
          [t0 + 10, '100'],
          [t0 + 20, '200'],
          [t0 + 30, '300'],
        ],
      },
      { metric: { source_namespace: '' }, values: [[t0 + 20, '5']] },
    ];
    const q = timeseriesQuery('bytes', 'namespace', 10, filter());
    const r = timeseriesFromProm(matrix, 'bytes', 'namespace', 10, win, q);
    expect(r.source).toBe('prometheus');
    expect(r.unit).toBe('bytes_per_second');
    expect(r.series).toEqual([
      {
        key: 'shop',
        points: [
          [win.start, 100],
          [win.start + 10_000, 200],
          [win.start + 20_000, 300],
        ],
      },
      {
        key: 'world',
        points: [
          [win.start, 0],
          [win.start + 10_000, 5],
          [win.start + 20_000, 0],
        ],
      },
    ]);
  });

  it('turns bucket series into p50/p95/p99 per step, null where nothing was observed', () => {
    const b = (le: string, v: string): PromMatrixSeries => ({
      metric: { le },
      values: [
        [t0 + 10, v],
        [t0 + 20, '0'],
      ],
    });
    const q = timeseriesQuery('dns_latency', 'quantile', 10, filter());
    const r = timeseriesFromProm(
      [b('0.001', '50'), b('0.01', '100'), b('+Inf', '100')],
      'dns_latency',
      'quantile',
      10,
      win,
      q,
    );
    expect(r.unit).toBe('ms');
    expect(r.series.map((s) => s.key)).toEqual(['p50', 'p95', 'p99']);
    expect(r.series[0]!.points[0]).toEqual([win.start, 1]);
    expect(r.series[0]!.points[1]).toEqual([win.start + 10_000, null]);
  });
});
