import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.js';
import { CONVERSATIONS, labBatches, T0 } from '../fixtures/labBatches.js';
import { EP } from '../fixtures/labCluster.js';
import { filter, testStore } from '../fixtures/testStore.js';
import { MAX_INCIDENTS, queryTimeline } from './timelineQuery.js';

/** Five quiet minutes, two of policy drops legacy-worker -> api (3/s), three quiet again. */
function store() {
  const s = testStore(DEFAULT_CONFIG);
  s.feed(labBatches({ start: T0, seconds: 300 }));
  s.feed(labBatches({ start: T0 + 300_000, seconds: 120, policyDropsPerSec: 3 }));
  s.feed(labBatches({ start: T0 + 420_000, seconds: 180 }));
  return s;
}

const ALL_BYTES = CONVERSATIONS.reduce((n, c) => n + c.reqBytes + c.respBytes, 0);
const NONE = { alerts: [], alertWindowMs: 300_000 };
// A batch's records carry its end: the drops are in the seconds starting T0 + 301 s .. T0 + 420 s.
const DROPS_FROM = T0 + 301_000;
const DROPS_TO = T0 + 421_000;

describe('queryTimeline', () => {
  const { store: st, clock } = store();
  const now = clock.now;
  const range = { start: T0 + 60_000, end: now };

  it('sums the cluster per second on the 1 s tier, every point complete', () => {
    const r = queryTimeline(st, filter(), range, { ...NONE, now });
    expect(r.step).toBe(1);
    expect(r.t[0]).toBe(T0 + 60_000);
    expect(r.t[r.t.length - 1]! + 1000).toBe(Math.floor(now / 1000) * 1000);
    for (const col of [r.bytesPerSec, r.dropsPerSec, r.dnsErrorsPerSec, r.tcpFailuresPerSec])
      expect(col).toHaveLength(r.t.length);
    const at = (t: number) => r.t.indexOf(t);
    expect(r.bytesPerSec[at(T0 + 200_000)]).toBe(ALL_BYTES);
    expect(r.dropsPerSec[at(DROPS_FROM - 1000)]).toBe(0);
    expect(r.dropsPerSec[at(DROPS_FROM)]).toBe(3);
    expect(r.dropsPerSec[at(DROPS_TO - 1000)]).toBe(3);
    expect(r.dropsPerSec[at(DROPS_TO)]).toBe(0);
  });

  it('marks where drops started and stopped, naming the edge at the level asked', () => {
    const ns = queryTimeline(st, filter(), range, { ...NONE, now });
    expect(ns.incidents).toEqual([
      {
        kind: 'drops_started',
        at: DROPS_FROM,
        label: 'policy_drop drops started on production -> production',
        edge: 'ns:production->ns:production',
      },
      {
        kind: 'drops_stopped',
        at: DROPS_TO,
        label: 'policy_drop drops stopped on production -> production',
        edge: 'ns:production->ns:production',
      },
    ]);
    const wl = queryTimeline(st, filter({ level: 'workload' }), range, { ...NONE, now });
    expect(wl.incidents.map((i) => i.edge)).toEqual([
      'wl:production/legacy-worker->wl:production/api',
      'wl:production/legacy-worker->wl:production/api',
    ]);
    expect(wl.incidents[0]!.label).toBe('policy_drop drops started on legacy-worker -> api');
  });

  it('steps in whole minutes on the 1 min tier past the 1 s tier', () => {
    const r = queryTimeline(st, filter(), { start: now - 24 * 3_600_000, end: now }, { ...NONE, now });
    expect(r.step).toBe(120);
    expect(r.t.length).toBeLessThanOrEqual(720);
    const full = r.t.indexOf(T0 + 120_000);
    expect(r.bytesPerSec[full]).toBe(ALL_BYTES);
    expect(r.dropsPerSec.some((d) => d > 0)).toBe(true);
    expect(r.incidents.map((i) => i.kind)).toEqual(['drops_started', 'drops_stopped']);
  });

  it('honours a namespace filter (rollups) and a pod filter (pod-level series)', () => {
    const mon = queryTimeline(st, filter({ namespace: ['monitoring'] }), range, { ...NONE, now });
    const mid = mon.t.indexOf(T0 + 350_000);
    const prometheus = CONVERSATIONS.filter((c) => c.client === EP.prometheus);
    expect(mon.bytesPerSec[mid]).toBe(prometheus.reduce((n, c) => n + c.reqBytes + c.respBytes, 0));
    expect(mon.dropsPerSec[mid]).toBe(0);
    expect(mon.incidents).toEqual([]);
    const legacy = queryTimeline(st, filter({ pod: `production/${EP.legacy.name}` }), range, {
      ...NONE,
      now,
    });
    expect(legacy.dropsPerSec[mid]).toBe(3);
    expect(legacy.bytesPerSec[mid]).toBe(0);
    expect(legacy.incidents).toHaveLength(2);
  });

  it('lists alert transitions with the edge most involved, and keeps the newest incidents', () => {
    const fired = { rule: 'HighPacketDropRate', severity: 'warning', state: 'firing' as const, value: 3 };
    const r = queryTimeline(st, filter({ level: 'workload' }), range, {
      alerts: [
        { ...fired, at: T0 + 400_000 },
        { ...fired, state: 'resolved', at: T0 + 500_000, value: 0.4 },
      ],
      alertWindowMs: 300_000,
      now,
    });
    const alerts = r.incidents.filter((i) => i.rule);
    expect(alerts).toEqual([
      {
        kind: 'alert_fired',
        at: T0 + 400_000,
        label: 'HighPacketDropRate fired (3/s)',
        rule: 'HighPacketDropRate',
        severity: 'warning',
        edge: 'wl:production/legacy-worker->wl:production/api',
      },
      {
        kind: 'alert_resolved',
        at: T0 + 500_000,
        label: 'HighPacketDropRate resolved',
        rule: 'HighPacketDropRate',
        severity: 'warning',
        edge: 'wl:production/legacy-worker->wl:production/api',
      },
    ]);
    expect(r.incidents.map((i) => i.at)).toEqual([DROPS_FROM, T0 + 400_000, DROPS_TO, T0 + 500_000]);
    const many = Array.from({ length: MAX_INCIDENTS + 10 }, (_, i) => ({ ...fired, at: T0 + 100_000 + i }));
    const capped = queryTimeline(st, filter(), range, { alerts: many, alertWindowMs: 300_000, now });
    expect(capped.incidents).toHaveLength(MAX_INCIDENTS);
    expect(capped.incidents[capped.incidents.length - 1]!.at).toBe(DROPS_TO);
  });

  it('names the edge of a DNS alert among series without drops or connects', () => {
    const dns = testStore(DEFAULT_CONFIG);
    dns.feed(labBatches({ start: T0, seconds: 120, nxdomainPerSec: 2, connectsPerSec: 0 }));
    const at = T0 + 100_000;
    const r = queryTimeline(
      dns.store,
      filter({ level: 'workload' }),
      { start: T0, end: dns.clock.now },
      {
        alerts: [{ rule: 'HighDNSFailureRate', severity: 'critical', state: 'firing', at, value: 0.285 }],
        alertWindowMs: 60_000,
        now: dns.clock.now,
      },
    );
    expect(r.incidents).toEqual([
      {
        kind: 'alert_fired',
        at,
        label: 'HighDNSFailureRate fired (28.5%)',
        rule: 'HighDNSFailureRate',
        severity: 'critical',
        edge: 'wl:production/legacy-worker->wl:kube-system/coredns',
      },
    ]);
    expect(r.dnsErrorsPerSec[r.t.indexOf(T0 + 50_000)]).toBe(2);
  });
});
