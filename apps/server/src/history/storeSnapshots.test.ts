import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.js';
import { journaledSessions } from '../fixtures/journaledSessions.js';
import { labBatches, nodeOfBatch, T0 } from '../fixtures/labBatches.js';
import { answers } from '../fixtures/storeAnswers.js';
import { Store } from '../store/store.js';
import { BatchJournal, removeHistoryFiles } from './batchJournal.js';
import { replayJournal } from './journalReplay.js';
import { StoreClock } from './storeClock.js';
import {
  KEEP,
  loadNewestSnapshot,
  MIN_GAP_MS,
  SNAPSHOT_JOURNAL_BYTES,
  SNAPSHOT_MS,
  StoreSnapshots,
  snapshotFiles,
} from './storeSnapshots.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const quiet = { info() {}, warn() {}, error() {} };
const RETENTION_MS = DEFAULT_CONFIG.coarseRetentionS * 1000;
const OPTS = { ...DEFAULT_CONFIG, fineRetentionS: 60 };
const SECONDS = 150;

/**
 * Two lab collectors streaming through ingest sessions into a journaled store (minute segments), with
 * a snapshot taken after each batch index in `snapshotAt` (mid-segment).
 */
async function recorded(snapshotAt: number[]) {
  const dir = mkdtempSync(join(tmpdir(), 'weft-snap-'));
  dirs.push(dir);
  const clock = { now: T0 };
  const store = new Store({ ...OPTS, now: () => clock.now });
  const journal = new BatchJournal({
    dir,
    retentionMs: RETENTION_MS,
    now: () => clock.now,
    log: quiet,
    segmentMs: 60_000,
  });
  const snapshots = new StoreSnapshots(dir, store, journal, quiet);
  const sessions = journaledSessions(store, journal, clock, RETENTION_MS);
  const batches = labBatches({
    start: T0,
    seconds: SECONDS,
    policyDropsPerSec: 3,
    nxdomainPerSec: 2,
    refusedPerSec: 1,
    connectsPerSec: 2,
  });
  for (const [i, b] of batches.entries()) {
    clock.now = Math.max(clock.now, b.end + 200);
    const { s, packer } = sessions.get(nodeOfBatch(i))!;
    expect(s.onMessage(JSON.stringify(packer.pack(b))).send[0]?.type).toBe('ack');
    if (clock.now % 20_000 < 1000) await journal.flush();
    if (snapshotAt.includes(i)) {
      clock.now += 1;
      await snapshots.take();
    }
  }
  await snapshots.close();
  await journal.close();
  return { dir, store, now: clock.now, snapshots };
}

/** A start on `dir` as the server makes it: the newest usable snapshot, then the journal after it. */
function started(dir: string, at: number) {
  const clock = new StoreClock(() => at);
  const warnings: string[] = [];
  const log = { info() {}, warn: (_o: object, msg: string) => warnings.push(msg), error() {} };
  const { store, load } = loadNewestSnapshot(dir, () => new Store({ ...OPTS, now: clock.now }), log);
  const journal = new BatchJournal({ dir, retentionMs: RETENTION_MS, now: clock.now, log: quiet });
  const from = load.position ? { position: load.position, at: load.at } : undefined;
  const replay = replayJournal(journal.segmentFiles(), {
    store,
    clock,
    retentionMs: RETENTION_MS,
    log,
    from,
  });
  return { store, load, replay, warnings };
}

/** The same directory without its snapshots: the whole journal replayed, as before snapshots. */
function replayedWhole(dir: string, at: number) {
  const copy = mkdtempSync(join(tmpdir(), 'weft-snap-whole-'));
  dirs.push(copy);
  for (const n of readdirSync(dir))
    if (n.endsWith('.wjl')) writeFileSync(join(copy, n), readFileSync(join(dir, n)));
  return started(copy, at);
}

describe('store snapshots', () => {
  it('a start from a snapshot and the journal after it answers as the whole replay and the store that wrote them', async () => {
    const { dir, store, now, snapshots } = await recorded([170]);
    expect(snapshots.written).toBe(1);
    const fromSnapshot = started(dir, now);
    expect(fromSnapshot.warnings).toEqual([]);
    expect(fromSnapshot.load.file).toBe(snapshotFiles(dir)[0]!.path);
    // Only the journal after the snapshot is stored again.
    expect(fromSnapshot.replay.batches).toBe(2 * SECONDS - 171);
    const whole = replayedWhole(dir, now);
    expect(whole.load.file).toBeNull();
    expect(whole.replay.batches).toBe(2 * SECONDS);
    const want = answers(whole.store, now);
    expect(answers(fromSnapshot.store, now)).toEqual(want);
    // A start prunes what is past retention as it ends; the running store's prune timer would have.
    store.prune(now);
    expect(answers(store, now)).toEqual(want);
  });

  it('a damaged newest snapshot is skipped, named, and the one before it used; none usable: the whole journal', async () => {
    const { dir, now } = await recorded([100, 200]);
    const [older, newest] = snapshotFiles(dir);
    const bytes = readFileSync(newest!.path);
    bytes.write('not what was written', Math.floor(bytes.length * 0.7), 'latin1');
    writeFileSync(newest!.path, bytes);
    const want = answers(replayedWhole(dir, now).store, now);

    const fellBack = started(dir, now);
    expect(fellBack.load.file).toBe(older!.path);
    expect(fellBack.load.skipped).toEqual([
      { file: newest!.path, offset: expect.any(Number), reason: 'bad CRC' },
    ]);
    expect(fellBack.warnings[0]).toContain(`history: skipped snapshot ${newest!.path} (bad CRC`);
    expect(fellBack.replay.batches).toBe(2 * SECONDS - 101);
    expect(answers(fellBack.store, now)).toEqual(want);

    // The older one cut short as well (a disk that filled, a copy that stopped).
    truncateSync(older!.path, 1000);
    const whole = started(dir, now);
    expect(whole.load.file).toBeNull();
    expect(whole.load.skipped.map((s) => [s.file, s.reason])).toEqual([
      [newest!.path, 'bad CRC'],
      [older!.path, 'section cut short'],
    ]);
    expect(whole.replay.batches).toBe(2 * SECONDS);
    expect(answers(whole.store, now)).toEqual(want);
  });

  it('keeps the newest KEEP snapshots and deletes the older ones', async () => {
    const { dir, snapshots } = await recorded([40, 80, 120, 160]);
    expect(snapshots.written).toBe(4);
    expect(snapshotFiles(dir)).toHaveLength(KEEP);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(snapshots.lastBytes).toBeGreaterThan(0);
    // `weft start --fresh` takes them with the journal.
    writeFileSync(join(dir, 'notes.txt'), 'not ours');
    removeHistoryFiles(dir);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('is due when the journal grew by SNAPSHOT_JOURNAL_BYTES, or after SNAPSHOT_MS if it grew at all, never within MIN_GAP_MS', () => {
    const clock = { now: T0 };
    const store = new Store({ ...OPTS, now: () => clock.now });
    const journal = { appended: 0, position: () => null };
    const snapshots = new StoreSnapshots(tmpdir(), store, journal, quiet);
    snapshots.start();
    try {
      journal.appended = SNAPSHOT_JOURNAL_BYTES;
      expect(snapshots.due(T0 + MIN_GAP_MS - 1)).toBe(false);
      expect(snapshots.due(T0 + MIN_GAP_MS)).toBe(true);
      journal.appended = SNAPSHOT_JOURNAL_BYTES - 1;
      expect(snapshots.due(T0 + SNAPSHOT_MS - 1)).toBe(false);
      expect(snapshots.due(T0 + SNAPSHOT_MS)).toBe(true);
      journal.appended = 0;
      expect(snapshots.due(T0 + 10 * SNAPSHOT_MS)).toBe(false);
    } finally {
      void snapshots.close();
    }
  });
});
