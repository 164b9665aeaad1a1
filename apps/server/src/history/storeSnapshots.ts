import { readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../store/store.js';
import { captureImage, type ImageMeta, imageNumbers, restoreImage } from '../store/storeImage.js';
import type { BatchJournal } from './batchJournal.js';
import type { SkippedFile } from './journalReplay.js';
import { stringifySliced } from './slicedJson.js';
import {
  crc32Sliced,
  decodeSnapshot,
  encodeSnapshot,
  isSnapshotName,
  type JournalPosition,
  numberBytes,
  SNAPSHOT_NAME,
  type SnapshotHead,
  snapshotName,
} from './snapshotFormat.js';

/**
 * Snapshots of the store, so a start does not replay the whole journal (issue 14: a day at 5,000 pods /
 * 50,000 edges took minutes to replay; bench/server RESULTS.md, "Restart from a store snapshot").
 *
 * What. The store's whole state (storeImage.ts: series and their tiers' rows, DNS clients, interned
 * endpoints, learned ports, the cross-node dedupe window, the flow ring, counters), and the journal's
 * position when it was taken: every batch stored before is in it, every batch after is in the journal
 * after that position. A start loads the newest snapshot that reads back whole and replays only the
 * journal after its position (journalReplay.ts `from`), the clock pinned as for a full replay, so the
 * store ends as the full replay would have left it.
 *
 * When. What a start replays after a snapshot costs by the journal's bytes (about 75 ms a MiB of dense
 * batches on 2 vCPU: bench/server RESULTS.md), so one is taken when the journal has grown
 * SNAPSHOT_JOURNAL_BYTES since the last, or SNAPSHOT_MS has passed and it grew at all, never closer
 * than MIN_GAP_MS: a busy cluster (50,000 edges each reporting every 15 s) takes one every 2-3 min, a
 * quiet one every 10 min (10 min of its journal replay in well under a second), an idle one none. Also once right after a start
 * that replayed more than REPLAYED_FOR_SNAPSHOT batches (an upgrade from a version without snapshots,
 * or a fallback), so the slow start happens once. Not at a graceful stop: the stop stays as quick as
 * the journal's flush (a snapshot of a large store is a second or more of copying and writing, inside
 * the pod's grace period), and the journal after the newest snapshot is replayed at the next start
 * whichever way the server stopped. Taking one copies the store in one task (a memcpy per tier into a
 * buffer whose pages were faulted in beforehand, a slice a task; bench/server RESULTS.md has its
 * length), then the CRC and the head's JSON run in slices and the file is written by libuv's pool, to
 * a `.tmp` name renamed when complete: a snapshot on disk is whole or absent, never half of one.
 *
 * Damage. A file whose header, frames, CRCs or head do not hold is skipped with a log line naming it and
 * a figure in /api/v1/status (history.snapshotsSkipped, and it is listed in `skipped`), and the next
 * older is tried; with none left, the whole journal is replayed, as before snapshots. A snapshot that
 * passes its checks but cannot be restored (a bug, never seen) is skipped the same way and the store
 * made again empty.
 *
 * Disk. KEEP snapshots are kept (the newest and the one before it, for a damaged newest); older ones
 * are deleted when a new one is complete. Journal segments are not deleted for being older than a
 * snapshot: they go by retention as before (batchJournal.ts), because the fallback (a damaged newest
 * snapshot and no older) is a full replay, which needs them. So the disk is the journal's retention
 * plus KEEP snapshots, each about the store's size in rows (bench/server RESULTS.md).
 */
export const SNAPSHOT_MS = 10 * 60_000;
export const SNAPSHOT_JOURNAL_BYTES = 32 * 1024 * 1024;
export const MIN_GAP_MS = 60_000;
/** How often whether one is due is looked at. */
const CHECK_MS = 5_000;
export const KEEP = 2;
export const REPLAYED_FOR_SNAPSHOT = 100_000;
/** Numbers faulted in a task before a snapshot (4 MiB). */
const PREFAULT_NUMBERS = 512 * 1024;
/** Bytes a write call: each is a task of libuv's pool, not of the event loop. */
const WRITE_BYTES = 16 * 1024 * 1024;

export interface SnapshotLoad {
  /** The snapshot loaded (its path), or null: none usable, the journal was replayed whole. */
  file: string | null;
  /** Its store time, and where the journal stood. */
  at: number;
  position: JournalPosition | null;
  ms: number;
  skipped: SkippedFile[];
}

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The snapshot files in `dir`, oldest first (a directory that cannot be read has none). */
export function snapshotFiles(dir: string): { path: string; at: number }[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: { path: string; at: number }[] = [];
  for (const name of names) {
    const m = SNAPSHOT_NAME.exec(name);
    if (m) out.push({ path: join(dir, name), at: Number(m[1]) });
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * The newest snapshot in `dir` that reads back whole, restored into a store `make` gives (a new one
 * per attempt: a failed restore leaves nothing behind). No usable snapshot: an empty store.
 */
export function loadNewestSnapshot(
  dir: string,
  make: () => Store,
  log: Log,
): { store: Store; load: SnapshotLoad } {
  const began = performance.now();
  const skipped: SkippedFile[] = [];
  const skip = (file: string, offset: number, reason: string) => {
    skipped.push({ file, offset, reason });
    log.warn(
      { file, offset, reason },
      `history: skipped snapshot ${file} (${reason} at byte ${offset}); trying an older one, else the whole journal`,
    );
  };
  const files = snapshotFiles(dir);
  for (let i = files.length - 1; i >= 0; i--) {
    const f = files[i]!;
    let buf: Buffer;
    try {
      buf = readFileSync(f.path);
    } catch (e) {
      skip(f.path, 0, `cannot read it (${(e as Error).message})`);
      continue;
    }
    const d = decodeSnapshot<ImageMeta>(buf);
    if (!d.ok) {
      skip(f.path, d.offset, d.reason);
      continue;
    }
    const store = make();
    try {
      restoreImage(store, { meta: d.head.meta, numbers: d.numbers });
    } catch (e) {
      skip(f.path, 0, `cannot restore it (${(e as Error).message.slice(0, 120)})`);
      continue;
    }
    return {
      store,
      load: {
        file: f.path,
        at: d.head.meta.at,
        position: d.head.journal,
        ms: performance.now() - began,
        skipped,
      },
    };
  }
  return {
    store: make(),
    load: { file: null, at: 0, position: null, ms: performance.now() - began, skipped },
  };
}

/** Takes and writes snapshots of a store beside its journal (see the design above). */
export class StoreSnapshots {
  private timer: NodeJS.Timeout | null = null;
  /** Store time and journal bytes at the last snapshot taken (or the start). */
  private takenAt = 0;
  private appendedAt = 0;
  private inFlight: Promise<void> | null = null;
  /** Figures for the status. */
  written = 0;
  errors = 0;
  lastError = '';
  lastAt = 0;
  lastBytes = 0;
  /** The longest task a snapshot took on the event loop (the copy and the JSON), ms. */
  lastTaskMs = 0;
  /** Its two longest tasks: the copy (captureImage), and the head's framing (encodeSnapshot, a copy of its JSON). */
  lastCopyMs = 0;
  lastEncodeMs = 0;
  /** From the capture to the file renamed in place, ms. */
  lastWriteMs = 0;

  constructor(
    readonly dir: string,
    private readonly store: Store,
    /** The journal: its position when a snapshot is taken, and how much it grew since. */
    private readonly journal: Pick<BatchJournal, 'position' | 'appended'>,
    private readonly log: Log,
  ) {
    // Half-written by a process that stopped while writing one: never complete, never read.
    try {
      for (const n of readdirSync(dir)) if (isSnapshotName(n) && n.endsWith('.tmp')) unlinkSync(join(dir, n));
    } catch {
      // No directory (yet): nothing left over.
    }
  }

  /** Takes one whenever due (see When, above) until close(). */
  start(): void {
    this.takenAt = this.store.now();
    this.appendedAt = this.journal.appended;
    this.timer = setInterval(() => {
      if (this.due()) void this.take();
    }, CHECK_MS);
    this.timer.unref();
  }

  /** Whether the journal grew enough since the last snapshot (or start) for another. */
  due(now = this.store.now()): boolean {
    if (this.inFlight) return false;
    const elapsed = now - this.takenAt;
    const grown = this.journal.appended - this.appendedAt;
    return (
      elapsed >= MIN_GAP_MS && (grown >= SNAPSHOT_JOURNAL_BYTES || (elapsed >= SNAPSHOT_MS && grown > 0))
    );
  }

  /** Snapshots on disk now (complete ones). */
  files(): { path: string; at: number }[] {
    return snapshotFiles(this.dir);
  }

  get bytesOnDisk(): number {
    let sum = 0;
    for (const f of this.files())
      try {
        sum += statSync(f.path).size;
      } catch {
        // Deleted meanwhile.
      }
    return sum;
  }

  /** Takes a snapshot and writes it; one at a time (a take while one is written waits for it, then takes its own). */
  take(): Promise<void> {
    const before = this.inFlight ?? Promise.resolve();
    const next = before.then(() => this.takeNow());
    this.inFlight = next.finally(() => {
      if (this.inFlight === next) this.inFlight = null;
    });
    return next;
  }

  /** No more snapshots; resolves when the one being written (if any) is on disk. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  private async takeNow(): Promise<void> {
    // Room for the rows, its pages faulted in a slice a task (fresh memory's page faults were half of
    // the copy's task at 318 MiB), with slack for what the store gains meanwhile.
    const room = Math.ceil(imageNumbers(this.store) * 1.05) + 4096;
    const into = new Float64Array(Buffer.allocUnsafeSlow(room * 8).buffer, 0, room);
    for (let o = 0; o < room; o += PREFAULT_NUMBERS) {
      into.fill(0, o, Math.min(room, o + PREFAULT_NUMBERS));
      await new Promise((r) => setImmediate(r));
    }
    const began = performance.now();
    const at = this.store.now();
    const position = this.journal.position(at);
    // Writing to disk fails: the journal misses batches the store holds, and no snapshot can say where it stands.
    if (position === null) return;
    this.takenAt = at;
    this.appendedAt = this.journal.appended;
    const image = captureImage(this.store, into);
    const copied = performance.now();
    let path = '';
    try {
      const crc = await crc32Sliced(numberBytes(image.numbers));
      const head: SnapshotHead<ImageMeta> = { journal: position, meta: image.meta };
      const json = await stringifySliced(head, () => new Promise((r) => setImmediate(r)));
      const t0 = performance.now();
      const chunks = encodeSnapshot(json, image.numbers, crc);
      this.lastCopyMs = copied - began;
      this.lastEncodeMs = performance.now() - t0;
      this.lastTaskMs = Math.max(this.lastCopyMs, this.lastEncodeMs);
      path = join(this.dir, snapshotName(at));
      const tmp = `${path}.tmp`;
      const fh = await open(tmp, 'w');
      try {
        for (const c of chunks)
          for (let o = 0; o < c.length; )
            o += (await fh.write(c, o, Math.min(c.length - o, WRITE_BYTES))).bytesWritten;
      } finally {
        await fh.close();
      }
      await rename(tmp, path);
      this.lastBytes = chunks.reduce((s, c) => s + c.length, 0);
    } catch (e) {
      this.errors++;
      this.lastError = `${(e as NodeJS.ErrnoException).code ?? 'error'}: ${(e as Error).message}`;
      this.log.error({ dir: this.dir, err: this.lastError }, 'history: cannot write a store snapshot');
      if (path) await unlink(`${path}.tmp`).catch(() => {});
      return;
    }
    this.written++;
    this.lastAt = at;
    this.lastWriteMs = performance.now() - began;
    this.deleteOld();
  }

  /** All but the newest KEEP snapshots go. */
  private deleteOld(): void {
    const files = this.files();
    for (const { path: p } of files.slice(0, Math.max(0, files.length - KEEP)))
      try {
        unlinkSync(p);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
          this.log.error(
            { file: p, err: (e as Error).message },
            'history: cannot delete an old store snapshot',
          );
      }
  }
}
