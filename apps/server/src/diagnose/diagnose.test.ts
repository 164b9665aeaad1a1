import { DEFAULT_RATE_WINDOW_MS, type IngestBatch, resolveTime } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { labBatches, T0 } from '../fixtures/labBatches.js';
import { EP } from '../fixtures/labCluster.js';
import { testStore } from '../fixtures/testStore.js';
import { diagnose, shortName } from './diagnose.js';
import { MAX_PERIODS } from './pairHistory.js';
import { DEFAULT_RULES } from './rules.js';
import { parseSubject } from './subject.js';

const RULES = { ...DEFAULT_RULES, dnsSlowMs: 200 };

/** The last 15 minutes, as `from=now-15m` selects them. */
const last15m = (now: number) => resolveTime({ from: 'now-15m', to: '', at: '' }, now);

function run(fromText: string, toText: string, lab: Parameters<typeof labBatches>[0] = { seconds: 30 }) {
  const { store, clock, feed } = testStore();
  feed(labBatches(lab));
  return {
    store,
    clock,
    result: () => diagnose(store, parseSubject(fromText)!, parseSubject(toText)!, last15m(clock.now), RULES),
  };
}

const live = (now: number) => resolveTime({ from: '', to: '', at: '' }, now, DEFAULT_RATE_WINDOW_MS);

/** frontend-1 -> api-1:80: `ok` established and `refused` refused connects a second (lab-node-1's batches). */
function connects(start: number, seconds: number, perSecond: (s: number) => { ok: number; refused: number }) {
  const batches = labBatches({ start, seconds, connectsPerSec: 0 });
  batches.forEach((b, i) => {
    if (i % 2 !== 0) return;
    const s = i / 2;
    const { ok, refused } = perSecond(s);
    for (let k = 0; k < ok + refused; k++)
      b.tcp.push({
        ts: b.end,
        src: EP.frontend1,
        dst: EP.api1,
        sport: 50000 + ((s * 10 + k) % 10000),
        dport: 80,
        proto: 'tcp',
        ...(k < ok
          ? { outcome: 'ok' as const, latencyUs: 3000 }
          : { outcome: 'fail' as const, cause: 'refused' }),
      });
  });
  return batches;
}

const frontendToApi = () =>
  [parseSubject(`production/${EP.frontend1.name}`)!, parseSubject('production/api')!] as const;

describe('diagnose', () => {
  it('names a policy drop', () => {
    const r = run(`production/${EP.legacy.name}`, 'production/api', {
      seconds: 30,
      policyDropsPerSec: 2,
    }).result();
    expect(r.verdict).toBe('blocked');
    expect(r.summary).toBe('blocked by network policy: 60 packets dropped (2/s), over the last 15 min');
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
    expect(r.summary).toBe(
      'DNS NXDOMAIN for api-service.production (30 failed lookups), over the last 15 min',
    );
    expect(r.steps[1]!.status).toBe('problem');
    expect(r.steps[1]!.query).toBe(
      `networkobservability_dns_response_count{namespace="production", pod="${EP.legacy.name}", response_code!="NOERROR"}`,
    );
  });

  it('names a refused connection, by service and by ip:port', () => {
    const ctx = run('monitoring/prometheus-0', 'production/db', { seconds: 30, refusedPerSec: 1 });
    const r = ctx.result();
    expect(r.verdict).toBe('refused');
    expect(r.summary).toBe(
      'connection refused: 30 of 30 connections answered with RST (nothing listening), over the last 15 min',
    );
    expect(r.steps[2]).toMatchObject({
      status: 'problem',
      summary: 'connection refused: 30 of 30 connections answered with RST (nothing listening)',
    });
    expect(r.steps[2]!.query).toBe(
      'networkobservability_tcp_connection_total{source_namespace="monitoring", source_pod="prometheus-0", destination_service="db"}',
    );
    const byIp = diagnose(
      ctx.store,
      parseSubject('monitoring/prometheus-0')!,
      parseSubject(`${EP.db.ip}:9091`)!,
      last15m(ctx.clock.now),
      RULES,
    );
    expect(byIp.verdict).toBe('refused');
    const otherPort = diagnose(
      ctx.store,
      parseSubject('monitoring/prometheus-0')!,
      parseSubject(`${EP.db.ip}:5432`)!,
      last15m(ctx.clock.now),
      RULES,
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
      last15m(clock.now),
      RULES,
    );
    // The redis traffic on 6379 flows (api -> redis), but frontend's attempts all time out.
    expect(r.verdict).toBe('timeout');
    expect(r.summary).toBe('connection timed out: 10 of 10 connections never answered, over the last 15 min');
  });

  it('calls a healthy pair healthy with its connect latency', () => {
    const r = run(`production/${EP.frontend1.name}`, 'production/api', { seconds: 30 }).result();
    expect(r.verdict).toBe('healthy');
    expect(r.summary).toMatch(/^reachable, p95 connect latency 3(\.\d)? ms, over the last 15 min$/);
    expect(r.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(r.steps[3]!.query).toContain(
      'histogram_quantile(0.99, sum(rate(networkobservability_tcp_connection_latency_bucket{',
    );
  });

  it('says when the pair never talked', () => {
    expect(run('monitoring/prometheus-0', `production/${EP.redis.name}`).result()).toMatchObject({
      verdict: 'no_traffic',
      problems: [],
      summary: `no traffic from monitoring/prometheus-0 to production/${EP.redis.name}, over the last 15 min`,
    });
  });

  it('parses every subject form', () => {
    expect(parseSubject('10.0.0.1:80')).toEqual({
      kind: 'ip',
      ip: '10.0.0.1',
      port: 80,
      ep: null,
      text: '10.0.0.1:80',
    });
    expect(parseSubject('[fd00::1]:443')).toMatchObject({ kind: 'ip', ip: 'fd00::1', port: 443 });
    expect(parseSubject('a/b')).toMatchObject({ kind: 'name', namespace: 'a', name: 'b', only: null });
    expect(parseSubject('pod:a/b')).toMatchObject({ kind: 'name', namespace: 'a', name: 'b', only: 'pod' });
    expect(parseSubject('wl:a/b')).toMatchObject({ kind: 'name', only: 'workload' });
    expect(parseSubject('svc:a/b')).toMatchObject({ kind: 'name', only: 'service' });
    expect(parseSubject('ns:monitoring')).toMatchObject({ kind: 'namespace', namespace: 'monitoring' });
    expect(parseSubject('node:lab-node-1')).toMatchObject({ kind: 'node', node: 'lab-node-1' });
    expect(parseSubject('monitoring')).toMatchObject({ kind: 'bare', label: 'monitoring' });
    expect(parseSubject('api.payments.example')).toMatchObject({
      kind: 'dns_name',
      name: 'api.payments.example',
      service: null,
    });
    expect(parseSubject('api.production.svc.cluster.local.')).toMatchObject({
      kind: 'dns_name',
      service: { namespace: 'production', name: 'api' },
    });
    expect(parseSubject('api.production')).toMatchObject({
      service: { namespace: 'production', name: 'api' },
    });
    expect(parseSubject('10.0.0')).toBeNull();
    expect(parseSubject('a/b/c')).toBeNull();
    expect(parseSubject('ns:a/b')).toBeNull();
    expect(shortName('api-service.production.svc.cluster.local.')).toBe('api-service.production');
  });

  it('calls a port refused 100% right now failing now, whatever it did before (old successes do not dilute it)', () => {
    const { store, clock, feed } = testStore();
    const batches: IngestBatch[] = [
      ...connects(T0, 616, () => ({ ok: 2, refused: 0 })),
      ...connects(T0 + 616_000, 14, () => ({ ok: 0, refused: 2 })),
    ];
    feed(batches);
    const [src, dst] = frontendToApi();
    // Over fifteen minutes the old successes dilute the refusals, but a refusal is still named.
    const before = diagnose(store, src, dst, last15m(clock.now), RULES);
    expect(before.verdict).toBe('refused');
    expect(before.summary).toBe(
      'connection refused: 28 of 1260 connections answered with RST (nothing listening), over the last 15 min',
    );

    const now = diagnose(store, src, dst, live(clock.now), RULES);
    expect(now).toMatchObject({ mode: 'live', verdict: 'refused', end: T0 + 630_000, start: T0 + 620_000 });
    expect(now.summary).toBe(
      'failing since 10:10:17 UTC (13 s): connection refused: 20 of 20 connections answered with RST (nothing listening), over the last 10 s',
    );
    expect(now.steps[2]!.summary).toBe(
      'connection refused: 20 of 20 connections answered with RST (nothing listening)',
    );
    expect(now.history).toEqual([
      { state: 'no_traffic', start: clock.now - 3_600_000, end: T0 + 1000 },
      { state: 'healthy', start: T0 + 1000, end: T0 + 617_000 },
      { state: 'failing', start: T0 + 617_000, end: clock.now },
    ]);
  });

  it('tells when a pair started failing and when it recovered, from the minute tier beyond the second one', () => {
    const { store, clock, feed } = testStore({ fineRetentionS: 60 });
    feed(connects(T0, 360, (s) => (s >= 120 && s < 240 ? { ok: 0, refused: 2 } : { ok: 2, refused: 0 })));
    const [src, dst] = frontendToApi();
    const r = diagnose(store, src, dst, resolveTime({ from: 'now-1h', to: '', at: '' }, clock.now), RULES);
    expect(r.mode).toBe('range');
    expect(r.history).toEqual([
      { state: 'no_traffic', start: clock.now - 3_600_000, end: T0 },
      { state: 'healthy', start: T0, end: T0 + 120_000 },
      { state: 'failing', start: T0 + 120_000, end: T0 + 240_000 },
      { state: 'healthy', start: T0 + 240_000, end: clock.now },
    ]);
    // At a moment inside the outage: the verdict of that moment, the history of the hour around it.
    const at = diagnose(
      store,
      src,
      dst,
      resolveTime({ from: '', to: '', at: '2026-11-27T10:03:30Z' }, clock.now),
      RULES,
    );
    expect(at).toMatchObject({ mode: 'at', verdict: 'refused', start: T0 + 200_000, end: T0 + 210_000 });
    expect(at.summary).toBe(
      'connection refused: 120 of 120 connections answered with RST (nothing listening), over the 10 s up to 10:03:30 UTC',
    );
  });

  it('carries a state through short silences and ends it after a long one', () => {
    const { store, clock, feed } = testStore();
    // Refused every 5th second for a minute, then silent for two (the pair's flows stop too).
    const batches = connects(T0, 60, (s) => (s % 5 === 0 ? { ok: 0, refused: 1 } : { ok: 0, refused: 0 }));
    for (const b of batches) b.flows = [];
    feed(batches);
    clock.now += 120_000;
    const [src, dst] = frontendToApi();
    const r = diagnose(store, src, dst, last15m(clock.now), RULES);
    expect(r.history).toEqual([
      { state: 'no_traffic', start: clock.now - 900_000, end: T0 + 1000 },
      { state: 'failing', start: T0 + 1000, end: T0 + 57_000 },
      { state: 'no_traffic', start: T0 + 57_000, end: clock.now },
    ]);
    expect(r.verdict).toBe('refused');
    const now = diagnose(store, src, dst, live(clock.now), RULES);
    expect(now.verdict).toBe('no_traffic');
    expect(now.summary).toBe(
      `no traffic from production/${EP.frontend1.name} to production/api, over the last 10 s`,
    );
  });

  it('does not call the packets between two refused connects a recovery', () => {
    const { store, clock, feed } = testStore();
    // Established for a minute, then refused every other second while the pair's packets keep flowing.
    feed([
      ...connects(T0, 60, () => ({ ok: 1, refused: 0 })),
      ...connects(T0 + 60_000, 60, (s) => ({ ok: 0, refused: s % 2 })),
    ]);
    const [src, dst] = frontendToApi();
    expect(diagnose(store, src, dst, last15m(clock.now), RULES).history).toEqual([
      { state: 'no_traffic', start: clock.now - 900_000, end: T0 + 1000 },
      { state: 'healthy', start: T0 + 1000, end: T0 + 62_000 },
      { state: 'failing', start: T0 + 62_000, end: clock.now },
    ]);
  });

  it('keeps a flapping pair to a bounded history by reading it in coarser slots', () => {
    const { store, clock, feed } = testStore();
    feed(connects(T0, 600, (s) => (s % 2 === 0 ? { ok: 0, refused: 2 } : { ok: 2, refused: 0 })));
    const [src, dst] = frontendToApi();
    const r = diagnose(store, src, dst, last15m(clock.now), RULES);
    expect(r.history.length).toBeLessThanOrEqual(MAX_PERIODS);
    expect(r.history[0]!.start).toBe(clock.now - 900_000);
    expect(r.history.at(-1)!.end).toBe(clock.now);
    for (let i = 1; i < r.history.length; i++) expect(r.history[i]!.start).toBe(r.history[i - 1]!.end);
  });
});

describe('diagnose over a range older than anything kept', () => {
  it('calls the time before the 1 min tier no traffic without walking it slot by slot', () => {
    const ctx = run(`production/${EP.legacy.name}`, 'production/api', { seconds: 30, policyDropsPerSec: 2 });
    const range = resolveTime({ from: 'now-999999d', to: '', at: '' }, ctx.clock.now);
    const r = diagnose(
      ctx.store,
      parseSubject(`production/${EP.legacy.name}`)!,
      parseSubject('production/api')!,
      range,
      RULES,
    );
    expect(r.verdict).toBe('blocked');
    expect(r.history[0]).toMatchObject({ state: 'no_traffic', start: range.range.start });
    expect(r.history.at(-1)).toMatchObject({ state: 'failing', end: ctx.clock.now });
    expect(r.history.length).toBeLessThanOrEqual(3);
  });
});
