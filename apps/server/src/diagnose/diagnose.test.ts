import { describe, expect, it } from 'vitest';
import { labBatches, T0 } from '../fixtures/labBatches.js';
import { EP } from '../fixtures/labCluster.js';
import { testStore } from '../fixtures/testStore.js';
import { diagnose, shortName } from './diagnose.js';
import { parseSubject } from './subject.js';

function run(fromText: string, toText: string, lab: Parameters<typeof labBatches>[0] = { seconds: 30 }) {
  const { store, clock, feed } = testStore();
  feed(labBatches(lab));
  return {
    store,
    clock,
    result: () =>
      diagnose(store, parseSubject(fromText)!, parseSubject(toText)!, { start: T0, end: clock.now }, 900),
  };
}

describe('diagnose', () => {
  it('names a policy drop', () => {
    const r = run(`production/${EP.legacy.name}`, 'production/api', {
      seconds: 30,
      policyDropsPerSec: 2,
    }).result();
    expect(r.verdict).toBe('blocked');
    expect(r.summary).toBe('blocked by network policy (60 packets dropped)');
    expect(r.steps.map((s) => [s.id, s.status])).toEqual([
      ['policy_drops', 'problem'],
      ['dns', 'no_data'],
      ['tcp', 'no_data'],
      ['latency', 'no_data'],
    ]);
    expect(r.steps[0]!.query).toBe(
      `sum(rate(networkobservability_drop_count{source_namespace="production", source_pod="${EP.legacy.name}", destination_namespace="production", destination_pod="${EP.api1.name}", reason="policy_drop"}[15m])) by (direction)`,
    );
  });

  it('names a lookup of a service that does not exist', () => {
    const r = run(`production/${EP.legacy.name}`, 'production/api-service', {
      seconds: 30,
      nxdomainPerSec: 1,
    }).result();
    expect(r.verdict).toBe('dns_failure');
    expect(r.summary).toBe('DNS NXDOMAIN for api-service.production');
    expect(r.steps[1]!.status).toBe('problem');
    expect(r.steps[1]!.query).toBe(
      `networkobservability_dns_response_count{namespace="production", pod="${EP.legacy.name}", response_code!="NOERROR"}`,
    );
  });

  it('names a refused connection, by service and by ip:port', () => {
    const ctx = run('monitoring/prometheus-0', 'production/db', { seconds: 30, refusedPerSec: 1 });
    const r = ctx.result();
    expect(r.verdict).toBe('refused');
    expect(r.summary).toBe('connection refused by destination');
    expect(r.steps[2]).toMatchObject({
      status: 'problem',
      summary: '30 of 30 connections failed (30 refused)',
    });
    expect(r.steps[2]!.query).toBe(
      'networkobservability_tcp_connection_total{source_namespace="monitoring", source_pod="prometheus-0", destination_service="db"}',
    );
    const byIp = diagnose(
      ctx.store,
      parseSubject('monitoring/prometheus-0')!,
      parseSubject(`${EP.db.ip}:9091`)!,
      { start: T0, end: ctx.clock.now },
      900,
    );
    expect(byIp.verdict).toBe('refused');
    const otherPort = diagnose(
      ctx.store,
      parseSubject('monitoring/prometheus-0')!,
      parseSubject(`${EP.db.ip}:5432`)!,
      { start: T0, end: ctx.clock.now },
      900,
    );
    expect(otherPort.verdict).toBe('no_traffic');
  });

  it('names a timeout', () => {
    const { store, clock, feed } = testStore();
    const batches = labBatches({ seconds: 10, connectsPerSec: 0 });
    for (const b of batches)
      b.tcp.push({
        ts: b.end,
        src: EP.frontend1,
        dst: EP.redis,
        sport: 48000 + b.seq,
        dport: 6380,
        proto: 'tcp',
        outcome: 'fail',
        cause: 'timeout',
      });
    feed(batches);
    const r = diagnose(
      store,
      parseSubject(`production/${EP.frontend1.name}`)!,
      parseSubject('production/redis')!,
      { start: T0, end: clock.now },
      900,
    );
    // The redis traffic on 6379 flows (api -> redis), but frontend's attempts all time out.
    expect(r.verdict).toBe('timeout');
    expect(r.summary).toBe('connection timed out: the destination never answered');
  });

  it('calls a healthy pair healthy with its connect latency', () => {
    const r = run(`production/${EP.frontend1.name}`, 'production/api', { seconds: 30 }).result();
    expect(r.verdict).toBe('healthy');
    expect(r.summary).toMatch(/^reachable, p95 connect latency 3(\.\d)? ms$/);
    expect(r.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(r.steps[3]!.query).toContain(
      'histogram_quantile(0.99, sum(rate(networkobservability_tcp_connection_latency_bucket{',
    );
  });

  it('says when an endpoint was never seen or the pair never talked', () => {
    expect(run('production/nope', 'production/api').result()).toMatchObject({
      verdict: 'unknown_endpoint',
      summary: 'no traffic seen from production/nope in the window',
    });
    expect(run('monitoring/prometheus-0', `production/${EP.redis.name}`).result().verdict).toBe('no_traffic');
  });

  it('parses subjects and short names', () => {
    expect(parseSubject('10.0.0.1:80')).toEqual({
      kind: 'ip',
      ip: '10.0.0.1',
      port: 80,
      text: '10.0.0.1:80',
    });
    expect(parseSubject('[fd00::1]:443')).toMatchObject({ kind: 'ip', ip: 'fd00::1', port: 443 });
    expect(parseSubject('a/b')).toMatchObject({ kind: 'name', namespace: 'a', name: 'b' });
    expect(parseSubject('nope')).toBeNull();
    expect(shortName('api-service.production.svc.cluster.local.')).toBe('api-service.production');
  });
});
