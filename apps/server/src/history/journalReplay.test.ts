import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.js';
import { journaledSessions } from '../fixtures/journaledSessions.js';
import { labBatches, nodeOfBatch, T0 } from '../fixtures/labBatches.js';
import { filter } from '../fixtures/testStore.js';
import { queryGraph } from '../store/graphQuery.js';
import { Store } from '../store/store.js';
import { BatchJournal } from './batchJournal.js';
import { replayJournal } from './journalReplay.js';
import { StoreClock } from './storeClock.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const quiet = { info() {}, warn() {}, error() {} };
const RETENTION_MS = DEFAULT_CONFIG.coarseRetentionS * 1000;

/** Two lab collectors streaming `seconds` of batches through ingest sessions into a journaled store. */
async function recorded(seconds: number) {
  const dir = mkdtempSync(join(tmpdir(), 'weft-replay-'));
  dirs.push(dir);
  const clock = { now: T0 };
  const store = new Store({ ...DEFAULT_CONFIG, now: () => clock.now });
  // Minute segments: 150 s make three.
  const journal = new BatchJournal({
    dir,
    retentionMs: RETENTION_MS,
    now: () => clock.now,
    log: quiet,
    segmentMs: 60_000,
  });
  const sessions = journaledSessions(store, journal, clock, RETENTION_MS);
  const batches = labBatches({ start: T0, seconds, policyDropsPerSec: 3 });
  for (const [i, b] of batches.entries()) {
    clock.now = Math.max(clock.now, b.end + 200);
    const { s, packer } = sessions.get(nodeOfBatch(i))!;
    if (i === 50) {
      // A collector resending a batch the server has, on a new table: the store skips it, the table
      // takes its endpoints.
      packer.reset();
      expect(s.onMessage(JSON.stringify(packer.pack(batches[i - 2]!))).send[0]?.type).toBe('ack');
    }
    expect(s.onMessage(JSON.stringify(packer.pack(b))).send[0]?.type).toBe('ack');
    if (clock.now % 20_000 < 1000) await journal.flush();
  }
  await journal.close();
  return { dir, store, clock };
}

function replayed(dir: string, at: number) {
  const clock = new StoreClock(() => at);
  const store = new Store({ ...DEFAULT_CONFIG, now: clock.now });
  const warnings: string[] = [];
  const journal = new BatchJournal({ dir, retentionMs: RETENTION_MS, now: clock.now, log: quiet });
  const result = replayJournal(journal.segmentFiles(), {
    store,
    clock,
    retentionMs: RETENTION_MS,
    log: { info() {}, warn: (_o, msg) => warnings.push(msg) },
  });
  return { store, result, warnings };
}

const graph = (store: Store, start: number, end: number) =>
  queryGraph(store, filter({ level: 'workload' }), { start, end }, { maxNodes: 150, simulated: false });

describe('replayJournal', () => {
  it('gives back a store that answers as the one that wrote the journal, bytes exact', async () => {
    const { dir, store, clock } = await recorded(150);
    const { store: again, result, warnings } = replayed(dir, clock.now);
    expect(warnings).toEqual([]);
    expect(result.batches).toBe(300);
    expect(result.records).toBe(store.stats().records);
    expect(readdirSync(dir).length).toBeGreaterThanOrEqual(3);
    expect(again.stats()).toEqual(store.stats());
    // A minute the 1 s tier still holds, and the minutes before.
    for (const [start, end] of [
      [T0 + 60_000, T0 + 120_000],
      [T0, clock.now],
    ] as const) {
      const before = graph(store, start, end);
      expect(before.edges.length).toBeGreaterThan(3);
      expect(graph(again, start, end)).toEqual(before);
    }
  });

  it('skips a damaged segment from the damaged record on, names it, and replays the others', async () => {
    const { dir, store, clock } = await recorded(150);
    const files = readdirSync(dir).sort();
    const damaged = join(dir, files[1]!);
    writeFileSync(damaged, 'garbage where a segment was');
    const { store: again, result, warnings } = replayed(dir, clock.now);
    expect(result.skipped).toEqual([{ file: damaged, offset: 0, reason: 'not a weft journal segment' }]);
    expect(warnings).toEqual([
      `history: skipped ${damaged} from byte 0 on (not a weft journal segment); the rest of the history is served`,
    ]);
    // The first and last minutes are whole.
    expect(graph(again, T0, T0 + 60_000)).toEqual(graph(store, T0, T0 + 60_000));
    expect(result.records).toBeLessThan(store.stats().records);
    expect(result.records).toBeGreaterThan(0);
  });
});
