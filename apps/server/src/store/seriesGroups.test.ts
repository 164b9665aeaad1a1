import type { Endpoint, FilterState, FlowRecord, IngestBatch } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { filter, testStore } from '../fixtures/testStore.js';
import { queryGraph } from './graphQuery.js';
import { LEVEL_INDEX, LevelTables } from './levelTables.js';
import { seriesGroups } from './seriesGroups.js';
import type { Store } from './store.js';

const T = 1_800_000_000_000;

/** Pod `i`; `workload` given, another pod (another name) at the same IP, in that workload. */
function pod(i: number, workload?: string): Endpoint {
  return {
    ip: `10.8.${i >> 8}.${i & 255}`,
    kind: 'pod',
    namespace: `ns-${i % 3}`,
    name: workload ? `${workload}-${i}` : `p-${i}`,
    workloadKind: 'Deployment',
    workload: workload ?? `w-${i % 5}`,
    service: '',
    node: 'n1',
  };
}

/** One second at `s` of pods `from`..`to` each sending to the next two, on two ports. */
function second(s: number, from: number, to: number, rename = ''): IngestBatch {
  const t = T + s * 1000;
  const flows: FlowRecord[] = [];
  for (let i = from; i < to; i++)
    for (const d of [1, 2]) {
      const j = from + ((i - from + d) % (to - from));
      flows.push({
        ts: t + 500,
        src: rename && i % 4 === 0 ? pod(i, rename) : pod(i),
        dst: pod(j),
        sport: 30_000 + i,
        dport: d === 1 ? 80 : 443,
        proto: 'tcp',
        dir: 'egress',
        bytes: 100 + i,
        packets: 1,
        tcpFlags: 0x18,
      });
    }
  return {
    type: 'batch',
    seq: s,
    start: t,
    end: t + 1000,
    flows,
    drops: [],
    tcp: [],
    tcpStats: [],
    dns: [],
    lost: 0,
  };
}

const LEVELS = ['node', 'namespace', 'workload', 'pod'] as const;

/**
 * Two stores fed the same, the first queried at every level and filter between the steps (its groups
 * kept and brought up to date), the second only at the end (grouped from scratch): same answers.
 */
type Fed = ReturnType<typeof testStore>;

function sameAsFresh(steps: ((t: Fed) => void)[], windows: { start: number; end: number }[]): number {
  const tested = testStore({ coarseRetentionS: 600, fineRetentionS: 60 }, ['n1']);
  const fresh = testStore({ coarseRetentionS: 600, fineRetentionS: 60 }, ['n1']);
  const filters: Partial<FilterState>[] = [{}, { namespace: ['ns-1'] }, { workload: 'w-2' }];
  const ask = (store: Store, win: { start: number; end: number }) =>
    LEVELS.flatMap((level) =>
      filters.map((patch) =>
        queryGraph(store, filter({ level, ...patch }), win, { maxNodes: 6, simulated: false }),
      ),
    );
  let checked = 0;
  for (const step of steps) {
    step(tested);
    for (const win of windows) ask(tested.store, win);
  }
  for (const step of steps) step(fresh);
  for (const win of windows) {
    const got = ask(tested.store, win);
    const want = ask(fresh.store, win);
    expect(got).toEqual(want);
    checked += got.reduce((n, g) => n + g.edges.length, 0);
  }
  return checked;
}

const feed = (batches: IngestBatch[]) => (t: Fed) => t.feed(batches, ['n1']);

describe('SeriesGroups kept between graph queries', () => {
  it('groups series made after a query (new pods, new ports)', () => {
    const n = sameAsFresh(
      [feed([second(0, 0, 40), second(1, 0, 40)]), feed([second(2, 0, 90), second(3, 30, 120)])],
      [
        { start: T, end: T + 4000 },
        { start: T + 2000, end: T + 4000 },
      ],
    );
    expect(n).toBeGreaterThan(50);
  });

  it('skips evicted series and regroups after the list closes up', () => {
    const late = 700;
    const n = sameAsFresh(
      [
        feed([second(0, 0, 80), second(1, 0, 80)]),
        feed([second(late, 60, 100), second(late + 1, 60, 100)]),
        // Closing up and growing past the old length before the next query: places moved under it.
        (t) => {
          t.store.prune(T + (late + 2) * 1000);
          feed([second(late + 2, 90, 330)])(t);
        },
      ],
      [{ start: T + late * 1000, end: T + (late + 3) * 1000 }],
    );
    expect(n).toBeGreaterThan(30);
  });

  it('answers as a fresh store through many closings up, pods coming and going between queries', () => {
    const steps: ((t: Fed) => void)[] = [];
    for (let k = 0; k < 8; k++) {
      const s = k * 100;
      steps.push((t) => {
        feed([second(s, k * 17, k * 17 + 30 + (k % 3) * 20)])(t);
        // 60 s of 1 s buckets kept: the older seconds' series go.
        t.store.prune(T + (s + 1) * 1000);
      });
    }
    const n = sameAsFresh(steps, [{ start: T + 600_000, end: T + 701_000 }]);
    expect(n).toBeGreaterThan(30);
  });

  it('finds the groups numbered again after the empty ones went (new pods of old workloads join them)', () => {
    const late = 700;
    /** One second at `s` of each client pod sending to the pod after it, on port 80. */
    const pairs = (s: number, clients: Endpoint[]): IngestBatch => {
      const b = second(s, 0, 2);
      b.flows = clients.map((src, i) => ({
        ...b.flows[0]!,
        src,
        dst: clients[(i + 1) % clients.length]!,
        dport: 80,
      }));
      return b;
    };
    // Workloads that go first (many groups), then the five that stay (groups numbered after them).
    const gone = Array.from({ length: 60 }, (_, i) => pod(500 + i, `gone-${i}`));
    const stay = (from: number) => Array.from({ length: 10 }, (_, i) => pod(from + i, `w-${i % 5}`));
    const n = sameAsFresh(
      [
        feed([pairs(0, gone), pairs(1, stay(0))]),
        feed([pairs(late, stay(0))]),
        (t) => {
          // The gone workloads' series go: their groups are dropped, the others numbered again.
          t.store.prune(T + (late + 1) * 1000);
          t.feed([pairs(late + 1, stay(0))], ['n1']);
        },
        // New pods of the same workloads: their series join the groups numbered again.
        feed([pairs(late + 2, stay(100))]),
      ],
      [{ start: T + late * 1000, end: T + (late + 3) * 1000 }],
    );
    expect(n).toBeGreaterThan(10);
  });

  it("groups the series of a new pod at an old pod's IP (another endpoint, its own series)", () => {
    const n = sameAsFresh(
      [feed([second(0, 0, 40)]), feed([second(1, 0, 40, 'renamed')])],
      [
        { start: T, end: T + 2000 },
        { start: T + 1000, end: T + 2000 },
      ],
    );
    expect(n).toBeGreaterThan(30);
  });

  it('regroups when the level tables start over', () => {
    const n = sameAsFresh(
      [
        feed([second(0, 0, 40)]),
        ({ store }) => {
          // A bound of one node: the next query's trim starts the tables over.
          const tables = new LevelTables(1);
          tables.generation = store.levels.generation + 1;
          (store as { levels: LevelTables }).levels = tables;
        },
        feed([second(1, 0, 60)]),
      ],
      [{ start: T, end: T + 2000 }],
    );
    expect(n).toBeGreaterThan(30);
  });
});

describe('SeriesGroups and the level tables as series come and go', () => {
  it('follows the list closing up without grouping every series again, and drops empty groups', () => {
    const late = 700;
    const { store, feed: feedIt } = testStore({ coarseRetentionS: 600, fineRetentionS: 60 }, ['n1']);
    const ask = (win: { start: number; end: number }) =>
      queryGraph(store, filter({ level: 'pod' }), win, { maxNodes: 1000, simulated: false });
    feedIt([second(0, 0, 80), second(1, 0, 80)]);
    ask({ start: T, end: T + 2000 });
    const groups = seriesGroups(store.edgeList, LEVEL_INDEX.pod, store.levels);
    const before = groups.count;
    const compactions = store.edgeList.compactions;
    feedIt([second(late, 60, 100)]);
    // The first 80 pods' series go: the list closes up under the groups, more than once.
    store.prune(T + (late + 1) * 1000);
    expect(store.edgeList.compactions).toBeGreaterThan(compactions + 1);
    const win = { start: T + late * 1000, end: T + (late + 1) * 1000 };
    const got = ask(win);
    expect(seriesGroups(store.edgeList, LEVEL_INDEX.pod, store.levels).rebuilds).toBe(1);
    expect(groups.count).toBeLessThan(before);
    expect(groups.emptied).toBe(1);
    // Every group left has a place (a series, or the hole of one removed since the last closing up).
    const used = new Set<number>();
    for (let n = 0; n < store.edgeList.items.length; n++) used.add(groups.groupOf[n]!);
    expect(used.size).toBe(groups.count);
    const fresh = testStore({ coarseRetentionS: 600, fineRetentionS: 60 }, ['n1']);
    fresh.feed([second(late, 60, 100)]);
    expect(got).toEqual(
      queryGraph(fresh.store, filter({ level: 'pod' }), win, { maxNodes: 1000, simulated: false }),
    );
    expect(got.edges.length).toBeGreaterThan(30);
  });

  it('lets the level nodes go with their series: a flood of new pods never starts the tables over', () => {
    const { store, feed: feedIt } = testStore({ coarseRetentionS: 600, fineRetentionS: 60 }, ['n1']);
    const asked = (s: number) =>
      LEVELS.map((level) =>
        queryGraph(
          store,
          filter({ level }),
          { start: T + s * 1000, end: T + (s + 1) * 1000 },
          {
            maxNodes: 1000,
            simulated: false,
          },
        ),
      );
    // Every 700 s a new set of 40 pods; the last set's series are all that is held.
    for (let k = 0; k < 6; k++) {
      const s = k * 700;
      feedIt([second(s, k * 1000, k * 1000 + 40)]);
      store.prune(T + (s + 1) * 1000);
      asked(s);
    }
    expect(store.levels.generation).toBe(0);
    const podsHeld = new Set<string>();
    for (const s of store.edgeList.items)
      if (s) for (const e of [s.client, s.server]) podsHeld.add(`${e.namespace}/${e.name}`);
    expect(podsHeld.size).toBe(40);
    expect(store.levels.count(LEVEL_INDEX.pod)).toBe(40);
    // 40 pods' numbers given back and given again: the numbers stay within two sets.
    expect(store.levels.keys[LEVEL_INDEX.pod]!.length).toBeLessThanOrEqual(80);
    // Everything pruned: nothing held.
    store.prune(T + 100_000_000);
    expect(store.levels.count(LEVEL_INDEX.pod)).toBe(0);
    expect(store.levels.count(LEVEL_INDEX.namespace)).toBe(0);
    expect(store.levels.bytes).toBe(0);
  });
});
