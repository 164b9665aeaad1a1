import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.js';
import { labBatches, nodeOfBatch } from '../fixtures/labBatches.js';
import { N1, N2 } from '../fixtures/labCluster.js';
import { answers } from '../fixtures/storeAnswers.js';
import { Store } from './store.js';
import { captureImage, restoreImage, SERIES_FIELDS, type StoreImage } from './storeImage.js';

const NODES = [N1, N2];
const BATCHES = labBatches({
  seconds: 150,
  policyDropsPerSec: 3,
  nxdomainPerSec: 2,
  refusedPerSec: 1,
  connectsPerSec: 2,
});

function store(clock: { now: number }, maxSeries = DEFAULT_CONFIG.maxSeries): Store {
  const s = new Store({ ...DEFAULT_CONFIG, fineRetentionS: 60, maxSeries, now: () => clock.now });
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
    // flow rows' DNS names and what was learned for the flows to come
    expect(image.meta.flows.some((f) => f.dns?.name === 'db.production.svc.cluster.local')).toBe(true);
    expect(image.meta.dnsNames?.length).toBeGreaterThan(0);
    expect(b.dnsNames.state()).toEqual(a.dnsNames.state());
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

  it('holds what eviction left (a series whose rollup was evicted) and goes on as the store it was taken of', () => {
    const clock = { now: 0 };
    const whole = store(clock, 6);
    feed(whole, clock, 0, BATCHES.length);
    expect(whole.stats().evictions).toBeGreaterThan(0);
    const end = clock.now;
    const c2 = { now: 0 };
    const first = store(c2, 6);
    const half = Math.floor(BATCHES.length / 2) + 1;
    feed(first, c2, 0, half);
    const image = carried(captureImage(first));
    const resumed = store(c2, 6);
    restoreImage(resumed, image);
    // Checked on a store of its own: queries build level tables, which count in the memory estimates.
    const check = store(c2, 6);
    restoreImage(check, carried(image));
    expect(answers(check, c2.now)).toEqual(answers(first, c2.now));
    expect(
      image.numbers.some(
        (_, i) => i % SERIES_FIELDS === 9 && image.numbers[i - 9] === 0 && image.numbers[i] === -1,
      ),
    ).toBe(true);
    feed(resumed, c2, half, BATCHES.length);
    expect(answers(resumed, end)).toEqual(answers(whole, end));
  });
});
