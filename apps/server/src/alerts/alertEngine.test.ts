import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.js';
import { labBatches, T0 } from '../fixtures/labBatches.js';
import { N1 } from '../fixtures/labCluster.js';
import { testStore } from '../fixtures/testStore.js';
import { AlertEngine, HISTORY_MS } from './alertEngine.js';

describe('AlertEngine', () => {
  it('goes pending, fires after `for`, and records the resolution', () => {
    const config = { ...DEFAULT_CONFIG, alertDropRate: 10, alertForS: 60, alertWindowS: 30 };
    const { store, clock } = testStore(config, [N1]);
    const alerts = new AlertEngine(store, config);
    const drop = (rule: number) => alerts.rules()[rule]!;
    let t = T0;
    const run = (seconds: number, dropsPerSec: number) => {
      for (const b of labBatches({ start: t, seconds, nodes: [N1], policyDropsPerSec: dropsPerSec })) {
        clock.now = b.end + 100;
        store.ingest(b, N1);
        if ((b.end - T0) % 15_000 === 0) alerts.evaluate();
      }
      t += seconds * 1000;
    };
    run(30, 0);
    expect(drop(0)).toMatchObject({ state: 'inactive', value: 0 });
    run(15, 50);
    expect(drop(0).state).toBe('pending');
    const since = drop(0).activeSince!;
    expect(since).toBe(T0 + 45_100);
    run(45, 50);
    expect(drop(0).state).toBe('pending');
    run(15, 50);
    expect(drop(0).state).toBe('firing');
    expect(drop(0).value).toBeCloseTo(50, 0);
    run(45, 0);
    const r = drop(0);
    expect(r.state).toBe('inactive');
    expect(r.activeSince).toBeNull();
    expect(r.history.map((h) => h.state)).toEqual(['pending', 'firing', 'resolved']);
    expect(r.history[2]!.at).toBeGreaterThan(r.history[1]!.at);
    expect(alerts.rules()[1]!.value).toBe(0);
    expect(alerts.count('firing')).toBe(0);
  });

  it('has no value without data rather than a made-up zero', () => {
    const { store } = testStore();
    const alerts = new AlertEngine(store, DEFAULT_CONFIG);
    alerts.evaluate(T0);
    expect(alerts.rules().map((r) => [r.value, r.state])).toEqual([
      [null, 'inactive'],
      [null, 'inactive'],
      [null, 'inactive'],
    ]);
  });

  it('computes the DNS failure ratio and TCP failure rate like the seed expressions', () => {
    const config = { ...DEFAULT_CONFIG, alertForS: 0, alertTcpFailureRate: 1 };
    const { store, clock, feed } = testStore(config);
    feed(labBatches({ seconds: 60, nxdomainPerSec: 1, refusedPerSec: 2 }));
    const alerts = new AlertEngine(store, config);
    alerts.evaluate(clock.now);
    const [, dns, tcp] = alerts.rules();
    expect(dns!.value).toBeCloseTo(1 / 5, 3);
    expect(dns!.state).toBe('firing');
    expect(tcp!.value).toBeCloseTo(2, 1);
    expect(tcp!.state).toBe('firing');
  });

  it('lists fired and resolved transitions for the timeline, oldest first, without pending', () => {
    // Drops for 10 s, quiet for 10 s, 40 times: 80 transitions over 800 s.
    const config = {
      ...DEFAULT_CONFIG,
      alertForS: 0,
      alertWindowS: 10,
      alertDropRate: 1,
      coarseRetentionS: 600,
      fineRetentionS: 60,
    };
    const { store, clock } = testStore(config, [N1]);
    const alerts = new AlertEngine(store, config);
    for (let k = 0; k < 80; k++) {
      for (const b of labBatches({
        start: T0 + k * 10_000,
        seconds: 10,
        nodes: [N1],
        policyDropsPerSec: k % 2 === 0 ? 5 : 0,
      })) {
        clock.now = b.end + 100;
        store.ingest(b, N1);
      }
      alerts.evaluate(T0 + (k + 1) * 10_000 + 500);
    }
    const all = alerts.transitionsBetween(0, Number.POSITIVE_INFINITY);
    const last = all[all.length - 1]!;
    expect(last).toMatchObject({ rule: 'HighPacketDropRate', severity: 'warning', state: 'resolved' });
    expect(all).toHaveLength(80);
    expect(all[0]).toMatchObject({ state: 'firing' });
    // Pending and inactive are not timeline incidents: what is kept alternates fired, resolved.
    expect(all.every((x, i) => i === 0 || x.state !== all[i - 1]!.state)).toBe(true);
    expect(alerts.transitionsBetween(last.at, last.at + 1)).toEqual([last]);
    expect(alerts.transitionsBetween(all[1]!.at, all[3]!.at)).toEqual([all[1], all[2]]);
  });

  it('keeps a day of fired and resolved transitions, and no pending that never fired', () => {
    const config = { ...DEFAULT_CONFIG, alertDropRate: 10, alertForS: 0, alertWindowS: 60 };
    const { store, clock } = testStore(config, [N1]);
    const alerts = new AlertEngine(store, config);
    /** One second of lab traffic at `t` with `drops` policy drops, then an evaluation. */
    const second = (t: number, drops: number) => {
      const [b] = labBatches({ start: t, seconds: 1, nodes: [N1], policyDropsPerSec: drops });
      clock.now = b!.end + 100;
      store.ingest(b!, N1);
      alerts.evaluate();
    };
    // Every half hour for 26 hours: 20 drops/s over the minute (fired), quiet two minutes later (resolved).
    const cycles = 52;
    for (let i = 0; i < cycles; i++) {
      const t = T0 + i * 1_800_000;
      second(t, 1200);
      second(t + 120_000, 0);
    }
    second(clock.now + 600_000, 0);
    const h = alerts.rules()[0]!.history;
    // The day before the last evaluation, and the transition in force when it began.
    expect(h.map((e) => e.state)).toEqual(h.map((_, i) => (i % 2 === 0 ? 'resolved' : 'firing')));
    expect(h[0]!.at).toBeLessThan(clock.now - HISTORY_MS);
    expect(h[1]!.at).toBeGreaterThanOrEqual(clock.now - HISTORY_MS);
    expect(h.length).toBe(1 + 2 * 48);
    expect(h.at(-1)).toMatchObject({ state: 'resolved', value: 0 });

    const slow = { ...config, alertForS: 300 };
    const pendingOnly = new AlertEngine(store, slow);
    second(clock.now + 600_000, 1200);
    pendingOnly.evaluate();
    expect(pendingOnly.rules()[0]!.state).toBe('pending');
    second(clock.now + 120_000, 0);
    pendingOnly.evaluate();
    expect(pendingOnly.rules()[0]).toMatchObject({ state: 'inactive', history: [] });
  });
});
