import type { DropRecord, Endpoint, FlowRecord, IngestBatch, Level } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { filter, testStore } from '../fixtures/testStore.js';
import { graphAnswer } from './graphAnswer.js';
import { compareGraphs } from './graphCompare.js';
import { queryGraph } from './graphQuery.js';
import { LevelTables } from './levelTables.js';
import type { Store } from './store.js';
import { observedSeconds, tierWindow } from './window.js';

const T = 1_800_000_000_000;

function pod(i: number): Endpoint {
  return {
    ip: `10.7.${i >> 8}.${i & 255}`,
    kind: 'pod',
    namespace: `ns-${i % 3}`,
    name: `p-${i}`,
    workloadKind: 'Deployment',
    workload: `w-${i % 11}`,
    service: '',
    node: i % 2 === 0 ? 'n1' : 'n2',
  };
}

/**
 * Pod pairs (i, i + 1 .. i + 3) over 40 pods: pairs with e % 5 === 0 talk only in the baseline's
 * seconds, e % 5 === 1 only in the current ones, the rest in both; e % 7 === 0 drops in the current
 * seconds only, e % 7 === 3 drops in both; a few on a second port and UDP.
 */
function second(s: number, current: boolean): IngestBatch {
  const t = T + s * 1000;
  const flows: FlowRecord[] = [];
  const drops: DropRecord[] = [];
  let e = 0;
  for (let i = 0; i < 40; i++)
    for (let d = 1; d <= 3; d++, e++) {
      if (e % 5 === (current ? 0 : 1)) continue;
      const src = pod(i);
      const dst = pod((i + d) % 40);
      const port = e % 4 === 0 ? 5432 : 80;
      const proto = e % 9 === 0 ? 'udp' : 'tcp';
      flows.push({
        ts: t + 500,
        src,
        dst,
        sport: 30_000 + e,
        dport: port,
        proto,
        dir: 'egress',
        bytes: 100 * (1 + (e % 6)) + (current ? 7 : 0),
        packets: 1 + (e % 3),
        tcpFlags: 0x18,
      });
      if (e % 7 === 3 || (current && e % 7 === 0))
        drops.push({
          ts: t + 500,
          src,
          dst,
          sport: 30_000 + e,
          dport: port,
          proto,
          dir: 'egress',
          reason: e % 2 === 0 ? 'policy_drop' : 'no_socket',
          kernelReason: 'NETFILTER_DROP',
          packets: 2 + (e % 4),
          bytes: 120,
        });
    }
  return {
    type: 'batch',
    seq: s,
    start: t,
    end: t + 1000,
    flows,
    drops,
    tcp: [],
    tcpStats: [],
    dns: [],
    lost: 0,
  };
}

function filled(): Store {
  const { store, feed } = testStore({}, ['n1']);
  const batches: IngestBatch[] = [];
  for (let s = 0; s < 20; s++) batches.push(second(s, s >= 10));
  feed(batches, ['n1']);
  return store;
}

const window = { start: T + 10_000, end: T + 20_000 };
const now = T + 20_000;

/** What graphAnswer answered before it compared tables: both graphs built, marked by compareGraphs. */
function byGraphs(store: Store, level: Level, maxNodes: number) {
  const f = filter({ level, compare: 'previous' });
  const opts = { maxNodes, simulated: false };
  const baseWindow = { start: T, end: T + 10_000 };
  const current = queryGraph(store, f, window, opts);
  current.source = 'store';
  const baseline = queryGraph(store, f, baseWindow, opts);
  return compareGraphs(current, baseline, baseWindow, {
    current: observedSeconds(store, tierWindow(window, store.fineFrom())),
    baseline: observedSeconds(store, tierWindow(baseWindow, store.fineFrom())),
  });
}

describe('graphAnswer with compare', () => {
  for (const level of ['node', 'namespace', 'workload', 'pod'] as const)
    for (const maxNodes of [200, 6])
      it(`answers at ${level} level, ${maxNodes} nodes shown, as marking both graphs does`, () => {
        const store = filled();
        const expected = byGraphs(store, level, maxNodes);
        const got = graphAnswer(store, filter({ level, compare: 'previous' }), window, now, {
          maxNodes,
          simulated: false,
        });
        expect(got).toEqual(expected);
        // The case has each kind of mark, and at 6 nodes an `others` in both windows.
        const marks = new Set(got.edges.flatMap((e) => e.changes ?? []));
        if (level === 'pod') for (const m of ['new', 'vanished', 'drops_rose']) expect(marks).toContain(m);
        if (maxNodes === 6 && (level === 'workload' || level === 'pod'))
          expect(got.folded).toBeGreaterThan(0);
      });

  it('answers the same when the level tables start over between the two windows', () => {
    const store = filled();
    const expected = byGraphs(store, 'pod', 6);
    // A bound of one node: the baseline's query finds the current one's nodes past it and starts the
    // tables over, so the two windows' node numbers belong to different generations.
    // (A generation past the store's own, which its series' cached numbers belong to.)
    const tables = new LevelTables(1);
    tables.generation = store.levels.generation + 1;
    (store as { levels: LevelTables }).levels = tables;
    const before = tables.generation;
    const got = graphAnswer(store, filter({ level: 'pod', compare: 'previous' }), window, now, {
      maxNodes: 6,
      simulated: false,
    });
    expect(tables.generation).toBe(before + 1);
    expect(got).toEqual(expected);
  });

  it('answers the plain graph without compare', () => {
    const store = filled();
    const f = filter({ level: 'workload' });
    const opts = { maxNodes: 6, simulated: false };
    expect(graphAnswer(store, f, window, now, opts)).toEqual({
      ...queryGraph(store, f, window, opts),
      source: 'store',
    });
  });
});
