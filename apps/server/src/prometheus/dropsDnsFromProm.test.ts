import { DEFAULT_FILTER, type FilterState } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { bucketQuantile } from './bucketQuantile.js';
import { dnsFromProm } from './dnsFromProm.js';
import { dropsFromProm } from './dropsFromProm.js';
import type { PromVectorSample } from './prometheusClient.js';

const win = { start: 1765079880000, end: 1765080000000 };
const filter = (p: Partial<FilterState> = {}): FilterState => ({ ...DEFAULT_FILTER, ...p });
const v = (metric: Record<string, string>, value: string): PromVectorSample => ({
  metric,
  value: [1765080000, value],
});
const pair = (spod: string, dpod: string) => ({
  source_namespace: 'shop',
  source_pod: spod,
  destination_namespace: 'data',
  destination_pod: dpod,
});

describe('dropsFromProm', () => {
  // As Prometheus answered dropsQueries(120): increase() gives fractions, the panel counts packets.
  const answers = {
    packets: [
      v({ reason: 'policy_drop', direction: 'egress', ...pair('frontend-1', 'db-0') }, '59.9'),
      v({ reason: 'policy_drop', direction: 'egress', ...pair('frontend-2', 'db-0') }, '30'),
      v({ reason: 'no_socket', direction: 'ingress', ...pair('api-1', 'db-0') }, '10.2'),
      v({ reason: 'no_socket', direction: 'ingress', ...pair('api-2', 'db-0') }, '0'),
    ],
    bytes: [
      v({ reason: 'policy_drop', direction: 'egress', ...pair('frontend-1', 'db-0') }, '3600'),
      v({ reason: 'policy_drop', direction: 'egress', ...pair('frontend-2', 'db-0') }, '1800'),
      v({ reason: 'no_socket', direction: 'ingress', ...pair('api-1', 'db-0') }, '600'),
    ],
  };

  it('totals by reason, direction and pair, as the store answers', () => {
    const d = dropsFromProm(answers, filter(), win);
    expect(d.source).toBe('prometheus');
    expect(d.packets).toBe(100);
    expect(d.bytes).toBe(6000);
    expect(d.byReason).toEqual([
      { reason: 'policy_drop', packets: 90, bytes: 5400 },
      { reason: 'no_socket', packets: 10, bytes: 600 },
    ]);
    expect(d.byDirection).toEqual([
      { direction: 'egress', packets: 90 },
      { direction: 'ingress', packets: 10 },
    ]);
    expect(d.topPairs[0]).toEqual({
      source: 'shop/frontend-1',
      destination: 'data/db-0',
      reason: 'policy_drop',
      direction: 'egress',
      packets: 60,
      bytes: 3600,
    });
  });

  it('keeps the reason and namespace filters', () => {
    expect(dropsFromProm(answers, filter({ reason: 'no_socket' }), win).packets).toBe(10);
    expect(dropsFromProm(answers, filter({ namespace: ['other'] }), win).packets).toBe(0);
  });
});

describe('dnsFromProm', () => {
  const client = (pod: string) => ({ namespace: 'shop', pod });
  const answers = {
    requests: [
      v({ ...client('frontend-1'), query_type: 'A' }, '100'),
      v({ ...client('frontend-1'), query_type: 'AAAA' }, '20'),
      v({ ...client('api-1'), query_type: 'A' }, '10'),
    ],
    responses: [
      v({ ...client('frontend-1'), query_type: 'A', response_code: 'NOERROR' }, '90'),
      v({ ...client('frontend-1'), query_type: 'A', response_code: 'NXDOMAIN' }, '10'),
      v({ ...client('frontend-1'), query_type: 'AAAA', response_code: 'NOERROR' }, '15'),
      v({ ...client('api-1'), query_type: 'A', response_code: 'NOERROR' }, '10'),
    ],
    latency: [
      v({ ...client('frontend-1'), le: '0.001' }, '50'),
      v({ ...client('frontend-1'), le: '0.01' }, '100'),
      v({ ...client('frontend-1'), le: '+Inf' }, '115'),
      v({ ...client('api-1'), le: '0.001' }, '10'),
      v({ ...client('api-1'), le: '0.01' }, '10'),
      v({ ...client('api-1'), le: '+Inf' }, '10'),
    ],
  };

  it('queries, errors (unanswered ones as TIMEOUT), rcodes and latency per client', () => {
    const d = dnsFromProm(answers, filter(), win);
    expect(d.source).toBe('prometheus');
    expect(d.queries).toBe(130);
    expect(d.errors).toBe(15);
    expect(d.rcodes).toEqual({ NOERROR: 115, NXDOMAIN: 10, TIMEOUT: 5 });
    expect(d.clients.map((c) => [c.pod, c.queries, c.errors])).toEqual([
      ['frontend-1', 120, 15],
      ['api-1', 10, 0],
    ]);
    expect(d.clients[0]!.errorRate).toBe(0.125);
    // Rank 57.5 of 115 falls in (1 ms, 10 ms]: 1 + 9 * 7.5/50 ms.
    expect(d.clients[0]!.p50Ms).toBe(2.35);
    expect(d.topFailing).toEqual([]);
    expect(d.sourceNotice).toContain('qname');
  });

  it('keeps the namespace and pod filters', () => {
    expect(dnsFromProm(answers, filter({ pod: 'shop/api-1' }), win).queries).toBe(10);
    expect(dnsFromProm(answers, filter({ namespace: ['data'] }), win).clients).toEqual([]);
  });

  it('reads a quantile as Prometheus does, null with no observations', () => {
    expect(bucketQuantile(0.5, new Map())).toBeNull();
    expect(bucketQuantile(0.5, new Map([[Number.POSITIVE_INFINITY, 0]]))).toBeNull();
    // All above the largest finite bound: that bound, as histogram_quantile answers.
    expect(
      bucketQuantile(
        0.99,
        new Map([
          [0.5, 0],
          [Number.POSITIVE_INFINITY, 4],
        ]),
      ),
    ).toBe(500);
  });
});
