import type { Endpoint, FilterState, FlowRecord, IngestBatch } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { filter, testStore } from '../fixtures/testStore.js';
import { queryGraph } from './graphQuery.js';
import { LevelTables } from './levelTables.js';
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
