import { LEVELS, TIMESERIES_GROUP_BY, TIMESERIES_METRICS } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.js';
import { labBatches, nodeOfBatch, T0 } from '../fixtures/labBatches.js';
import { N1, N2 } from '../fixtures/labCluster.js';
import { filter } from '../fixtures/testStore.js';
import { queryDns } from './dnsQuery.js';
import { queryDrops } from './dropsQuery.js';
import { queryFlows } from './flowsQuery.js';
import { queryGraph } from './graphQuery.js';
import { Store } from './store.js';
import { captureImage, restoreImage, type StoreImage } from './storeImage.js';
import { queryTimeseries } from './timeseriesQuery.js';

const NODES = [N1, N2];
const BATCHES = labBatches({
  seconds: 150,
  policyDropsPerSec: 3,
  nxdomainPerSec: 2,
  refusedPerSec: 1,
  connectsPerSec: 2,
});

function store(clock: { now: number }): Store {
  const s = new Store({ ...DEFAULT_CONFIG, fineRetentionS: 60, now: () => clock.now });
  s.observedNodes = new Set(NODES);
  return s;
}

function feed(s: Store, clock: { now: number }, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const b = BATCHES[i]!;
    clock.now = Math.max(clock.now, b.end + 200);
    s.ingest(b, nodeOfBatch(i, NODES));
  }
}

/** Through JSON and a copy of the numbers, as a snapshot file carries it: nothing shared with the store. */
function carried(image: StoreImage): StoreImage {
  return { meta: JSON.parse(JSON.stringify(image.meta)), numbers: image.numbers.slice() };
}

/** Every answer the store gives, over the whole span, a past minute and the last 10 s. */
function answers(s: Store, now: number): unknown {
  const out: Record<string, unknown> = {};
  const windows = {
    all: { start: T0, end: now },
    minute: { start: T0 + 30_000, end: T0 + 90_000 },
    recent: { start: now - 10_000, end: now },
  };
  for (const [name, win] of Object.entries(windows)) {
    for (const level of LEVELS)
      out[`graph ${level} ${name}`] = queryGraph(s, filter({ level }), win, {
        maxNodes: 150,
        simulated: false,
      });
    for (const metric of TIMESERIES_METRICS)
      for (const groupBy of TIMESERIES_GROUP_BY)
        out[`ts ${metric} ${groupBy} ${name}`] = queryTimeseries(s, filter(), win, metric, groupBy, 10);
    out[`drops ${name}`] = queryDrops(s, filter(), win);
    out[`dns ${name}`] = queryDns(s, filter(), win);
    out[`flows ${name}`] = queryFlows(s, filter(), win, 5000);
  }
  out.stats = s.stats();
  out.dataSpan = [s.dataStart, s.dataEnd, s.fineFrom(now)];
  // The estimates a restore counts again (flow rows and dedupe keys are estimated by how they are held).
  out.memory = s
    .memoryStatus()
    .parts.filter((p) => ['series', 'details', 'endpoints'].includes(p.part))
    .map((p) => [p.part, p.usedBytes]);
  return out;
}

describe('store image', () => {
  it('restored into an empty store, answers every query as the store it was taken of', () => {
    const clock = { now: 0 };
    const a = store(clock);
    feed(a, clock, 0, BATCHES.length);
    const image = carried(captureImage(a));
    const b = store(clock);
    restoreImage(b, image);
    const want = answers(a, clock.now) as Record<string, unknown>;
    expect(answers(b, clock.now)).toEqual(want);
    // What is checked holds something of each kind.
    const w = want as Record<string, { edges?: unknown[]; packets?: number; totalQueries?: number }>;
    expect(w['graph pod all']!.edges!.length).toBeGreaterThan(5);
    expect(a.stats().dnsSeries).toBeGreaterThan(0);
    expect(image.meta.details.length).toBeGreaterThan(0);
    expect(image.meta.flows.length).toBeGreaterThan(0);
  });

  it('taken midway and fed the rest, answers as the store fed everything', () => {
    const clock = { now: 0 };
    const whole = store(clock);
    feed(whole, clock, 0, BATCHES.length);
    const end = clock.now;

    const c2 = { now: 0 };
    const first = store(c2);
    const half = Math.floor(BATCHES.length / 2) + 1;
    feed(first, c2, 0, half);
    const resumed = store(c2);
    restoreImage(resumed, carried(captureImage(first)));
    feed(resumed, c2, half, BATCHES.length);
    expect(c2.now).toBe(end);
    expect(answers(resumed, end)).toEqual(answers(whole, end));
  });

  it('refuses a store that holds something already', () => {
    const clock = { now: 0 };
    const a = store(clock);
    feed(a, clock, 0, 10);
    expect(() => restoreImage(a, captureImage(a))).toThrow(/not empty/);
  });
});
