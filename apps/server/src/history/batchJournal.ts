import { closeSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync, writev } from 'node:fs';
import { basename, join } from 'node:path';
import type { Endpoint } from '@weft/protocol';
import { encodeRecord, RecordKind, recordHead, segmentHeader } from './journalFormat.js';
import { isSnapshotName, type JournalPosition } from './snapshotFormat.js';

/**
 * The durable embedded store (issue 14): the server's history (store.ts: edge and DNS series in a 1 s
 * and a 1 min tier, the flow ring) survives a restart.
 *
 * Design. Nothing about the store's structures is written: what is written is its input, the batches
 * ingest sessions stored (the collector's frame as it arrived, packed against the connection's endpoint
 * table), and which nodes had a connected collector (the store counts ingress from such nodes at the
 * sender instead). On start the server replays them into an empty store in the order they were stored,
 * with the store's clock set to each record's own time (journalReplay.ts), so the store takes the same
 * decisions it took then (window, 1 s horizon, cross-node dedupe, evictions) and answers the same
 * totals, bytes exact. The ingest session's plausibility checks ("timestamp near now") are not run
 * again; the store's own bounds are.
 *
 * Files. Under WEFT_DATA_DIR, segments `<start ms>-<n>.wjl`, a new one every SEGMENT_MS (or past
 * SEGMENT_BYTES), and a new one at every start (nothing is appended to a file an earlier process
 * wrote). A segment is self-contained: a stream's first batch in it is preceded by the stream's
 * endpoint table so far, and the segment begins with the observed nodes. Each file has a versioned
 * header and each record a length and CRC-32 (journalFormat.ts): a corrupt or cut-short record skips
 * the rest of its file, never the other files. A segment whose successor began more than the coarse
 * retention ago holds nothing the store would keep: it is deleted, so disk use is bounded by the
 * retention (and the ingest rate).
 *
 * Durability. Records are buffered in memory (a batch's frame by reference, not copied) and written
 * with one writev per flush, at most FLUSH_MS apart, off the event loop (libuv's pool); no fsync: a killed process loses nothing the kernel has, a
 * lost machine may lose what its page cache held. A graceful stop (SIGTERM, SIGINT) writes everything
 * before the process exits. So SIGKILL loses at most the last FLUSH_MS plus one write in flight, well
 * within the 5 s. The collector's batch is acknowledged when the store holds it in memory, as
 * before: the journal is best effort within that bound, not part of the ack.
 *
 * Failures. A write that fails (ENOSPC, EDQUOT, EIO...) drops what was buffered, keeps the server
 * running in memory, and says so (state, status, metrics); writing is tried again, in a new segment,
 * RETRY_MS later.
 *
 * Cost. Replaying re-ingests every batch: about 26 µs of CPU a batch, so a day of 50 nodes (4.3 M
 * batches) took minutes (bench/server RESULTS.md, "Durable history"). Hence store snapshots
 * (storeSnapshots.ts): a start loads the newest and replays only the journal after its position
 * (position()). Segments are still deleted by retention only, not for being older than a snapshot: a
 * damaged snapshot falls back to the one before it or to the whole journal, which needs them.
 */
export const FLUSH_MS = 1_000;
/**
 * Ten minutes: each segment repeats every stream's endpoint table, which at 5,000 pods on 50 nodes is
 * about 7 MB for all streams, against 60-240 MB an hour of batches (bench/server RESULTS.md, "Durable
 * history"): even so the tables are a third of a quiet hour's bytes, and a segment a minute would
 * write several times more table than data. Deletion past retention is this coarse.
 */
export const SEGMENT_MS = 10 * 60_000;
export const SEGMENT_BYTES = 128 * 1024 * 1024;
export const RETRY_MS = 30_000;
const SEGMENT_NAME = /^(\d{15})-(\d{6})\.wjl$/;

export type JournalState = 'disk' | 'diskFull' | 'error';

/**
 * Deletes the history files in `dir` (`weft start --fresh`), and nothing else there: a directory named
 * by hand may hold other files. Returns how many went.
 */
export function removeHistoryFiles(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  let n = 0;
  for (const name of names)
    if (SEGMENT_NAME.test(name) || isSnapshotName(name)) {
      unlinkSync(join(dir, name));
      n++;
    }
  return n;
}

export interface JournalOptions {
  dir: string;
  /** How long history is kept (the coarse retention): older segments are deleted. */
  retentionMs: number;
  now: () => number;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  segmentMs?: number;
  segmentBytes?: number;
  retryMs?: number;
  /** Opens a new segment file for writing (tests give /dev/full). */
  open?: (path: string) => number;
}

export interface SegmentFile {
  path: string;
  start: number;
  bytes: number;
}

interface Segment extends SegmentFile {
  gen: number;
  fd: number | null;
}

interface Pending {
  seg: Segment;
  chunks: Buffer[];
  batches: number;
}

function writevAll(fd: number, chunks: Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let i = 0;
    let total = 0;
    const next = () => {
      if (i >= chunks.length) return resolve(total);
      // libuv writes at most IOV_MAX buffers a call.
      const part = chunks.slice(i, i + 1024);
      writev(fd, part, (err, written) => {
        if (err) return reject(err);
        total += written;
        let left = written;
        while (i < chunks.length && left >= chunks[i]!.length) left -= chunks[i++]!.length;
        if (left > 0) chunks[i] = chunks[i]!.subarray(left);
        next();
      });
    };
    next();
  });
}

/** The journal of stored batches under a data directory (see the design above). */
export class BatchJournal {
  readonly dir: string;
  private readonly o: Required<Omit<JournalOptions, 'dir'>>;
  /** Segments on disk, oldest first, the one being written last. */
  private readonly files: Segment[] = [];
  private seg: Segment | null = null;
  /** The segment whose file is open (one at a time). */
  private openSeg: Segment | null = null;
  private pending: Pending[] = [];
  private inFlight: Promise<void> | null = null;
  private readonly streams = new WeakMap<object, { id: number; gen: number }>();
  /**
   * The endpoint table of each stream with a batch in the segment being written, as long as it was at
   * its latest batch: a snapshot keeps them (position()), so a start replays the segment from the
   * snapshot's offset without reading the batches before it for their endpoints.
   */
  private segTables = new Map<number, { table: readonly Endpoint[]; length: number }>();
  private nextStream = 1;
  private gen = 0;
  private nextIndex = 0;
  private observedNodes: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  state: JournalState = 'disk';
  lastError = '';
  private failedAt = 0;
  /** Bytes appended since start (written or queued), never less: snapshots are taken by how much it grew. */
  appended = 0;
  /** Batches stored in memory but never written (while failing, or dropped by a failed write). */
  unwrittenBatches = 0;
  writeErrors = 0;

  /** Makes the directory if needed and finds the segments there (replay reads them). */
  constructor(opts: JournalOptions) {
    this.dir = opts.dir;
    this.o = {
      retentionMs: opts.retentionMs,
      now: opts.now,
      log: opts.log,
      segmentMs: opts.segmentMs ?? SEGMENT_MS,
      segmentBytes: opts.segmentBytes ?? SEGMENT_BYTES,
      retryMs: opts.retryMs ?? RETRY_MS,
      // The directory again each time: it may have been made since a failure, or removed.
      open:
        opts.open ??
        ((path) => {
          mkdirSync(this.dir, { recursive: true });
          return openSync(path, 'wx');
        }),
    };
    let names: string[] = [];
    try {
      mkdirSync(this.dir, { recursive: true });
      names = readdirSync(this.dir);
    } catch (e) {
      // A directory the server cannot make or read: running without history beats not running.
      this.fail(e as NodeJS.ErrnoException);
    }
    const found: (Segment & { index: number })[] = [];
    for (const name of names) {
      const m = SEGMENT_NAME.exec(name);
      if (!m) continue;
      const path = join(this.dir, name);
      let bytes = 0;
      try {
        bytes = statSync(path).size;
      } catch {
        continue;
      }
      found.push({ path, start: Number(m[1]), index: Number(m[2]), bytes, gen: -1, fd: null });
    }
    found.sort((a, b) => a.start - b.start || a.index - b.index);
    for (const f of found) {
      this.files.push(f);
      this.nextIndex = Math.max(this.nextIndex, f.index + 1);
    }
  }

  /** The segments found at start and written since, oldest first. */
  segmentFiles(): readonly SegmentFile[] {
    return this.files;
  }

  get bytesOnDisk(): number {
    let sum = 0;
    for (const f of this.files) sum += f.bytes;
    return sum;
  }

  /** Flushes every FLUSH_MS until close(). */
  start(flushMs = FLUSH_MS): void {
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  /**
   * A batch the store took from `stream` (the ingest session: its endpoint table): `frame` as it
   * arrived, `endpointBase` where it adds to the table, `table` the whole table with its endpoints.
   * `stored` false: a resent batch the store had already, whose endpoints the table took all the same.
   */
  batch(
    stream: object,
    frame: Buffer,
    endpointBase: number,
    table: readonly Endpoint[],
    node: string,
    at: number,
    stored = true,
  ): void {
    if (!this.writable(at)) {
      this.unwrittenBatches++;
      return;
    }
    const seg = this.current(at);
    let s = this.streams.get(stream);
    if (!s) {
      s = { id: this.nextStream++, gen: -1 };
      this.streams.set(stream, s);
    }
    this.segTables.set(s.id, { table, length: table.length });
    if (s.gen !== seg.gen) {
      s.gen = seg.gen;
      if (endpointBase > 0) {
        const body = Buffer.from(JSON.stringify(table.slice(0, endpointBase)));
        this.push(encodeRecord(RecordKind.table, at, s.id, node, body), 0);
      }
    }
    // The frame itself, not a copy: neither the WebSocket nor the session writes into it again.
    this.push(recordHead(stored ? RecordKind.batch : RecordKind.resent, at, s.id, node, frame), 0);
    this.push(frame, 1);
  }

  /**
   * Where the journal stands at `at` (what the store holds is written or queued up to here): a
   * snapshot taken now replays from there. A new segment when none is being written; null while
   * writing to disk fails (what the store holds meanwhile is not in the journal).
   */
  position(at: number): JournalPosition | null {
    if (!this.writable(at)) return null;
    const seg = this.current(at);
    const tables: [number, Endpoint[]][] = [];
    for (const [id, t] of this.segTables) tables.push([id, t.table.slice(0, t.length)]);
    return { segment: basename(seg.path), start: seg.start, offset: seg.bytes, tables };
  }

  /** The nodes with a connected collector changed. */
  observed(nodes: Iterable<string>, at: number): void {
    this.observedNodes = [...nodes];
    if (!this.writable(at)) return;
    const before = this.seg;
    const seg = this.current(at);
    // A new segment begins with them already.
    if (seg === before) this.push(this.observedRecord(at), 0);
  }

  /** Writes what is buffered (one writev per segment); resolves when written or failed. */
  flush(): Promise<void> {
    if (this.inFlight) return this.inFlight.then(() => this.flush());
    if (this.pending.length === 0) return Promise.resolve();
    const groups = this.pending;
    this.pending = [];
    this.inFlight = this.write(groups).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Writes everything buffered and closes the file: a graceful stop loses nothing. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
    this.closed = true;
    this.closeOpen();
  }

  /** Deletes the segments that hold only what is past retention at `now`. */
  deleteExpired(now: number): void {
    const horizon = now - this.o.retentionMs;
    while (this.files.length >= 2 && this.files[1]!.start <= horizon && this.files[0] !== this.seg) {
      const f = this.files.shift()!;
      if (f === this.openSeg) this.closeOpen();
      try {
        unlinkSync(f.path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
          this.o.log.error(
            { file: f.path, err: (e as Error).message },
            'history: cannot delete an expired segment',
          );
      }
    }
  }

  private writable(at: number): boolean {
    if (this.closed) return false;
    if (this.state === 'disk') return true;
    if (at - this.failedAt < this.o.retryMs) return false;
    this.state = 'disk';
    this.o.log.info({ dir: this.dir }, 'history: trying to write to disk again');
    return true;
  }

  /** The segment records at `at` go to, a new one when the minute (or the size) is over. */
  private current(at: number): Segment {
    const seg = this.seg;
    const ms = this.o.segmentMs;
    if (seg && Math.floor(at / ms) === Math.floor(seg.start / ms) && seg.bytes < this.o.segmentBytes)
      return seg;
    const start = Math.max(Math.round(at), (seg?.start ?? 0) + 1);
    const name = `${String(start).padStart(15, '0')}-${String(this.nextIndex++ % 1_000_000).padStart(6, '0')}.wjl`;
    const next: Segment = { path: join(this.dir, name), start, bytes: 0, gen: ++this.gen, fd: null };
    this.seg = next;
    this.segTables = new Map();
    this.files.push(next);
    this.push(segmentHeader(), 0);
    if (this.observedNodes.length > 0) this.push(this.observedRecord(at), 0);
    this.deleteExpired(at);
    return next;
  }

  private observedRecord(at: number): Buffer {
    return encodeRecord(RecordKind.observed, at, 0, '', Buffer.from(JSON.stringify(this.observedNodes)));
  }

  private push(chunk: Buffer, batches: number): void {
    const seg = this.seg!;
    let last = this.pending[this.pending.length - 1];
    if (!last || last.seg !== seg) {
      last = { seg, chunks: [], batches: 0 };
      this.pending.push(last);
    }
    last.chunks.push(chunk);
    last.batches += batches;
    // Counted as appended, so the size bound holds before the write.
    seg.bytes += chunk.length;
    this.appended += chunk.length;
  }

  private async write(groups: Pending[]): Promise<void> {
    for (let g = 0; g < groups.length; g++) {
      const { seg, chunks } = groups[g]!;
      if (this.state !== 'disk') {
        this.dropped(groups.slice(g));
        return;
      }
      try {
        if (this.openSeg !== seg) {
          this.closeOpen();
          seg.fd = this.o.open(seg.path);
          this.openSeg = seg;
        }
        await writevAll(seg.fd!, chunks);
      } catch (e) {
        this.fail(e as NodeJS.ErrnoException);
        this.dropped(groups.slice(g));
        return;
      }
    }
  }

  /** Groups that will not be written: their batches counted, their bytes not (nor a file never made). */
  private dropped(groups: Pending[]): void {
    for (const g of groups) {
      this.unwrittenBatches += g.batches;
      for (const c of g.chunks) g.seg.bytes -= c.length;
      if (g.seg.bytes <= 0 && g.seg.fd === null && g.seg !== this.openSeg) {
        const i = this.files.indexOf(g.seg);
        if (i >= 0) this.files.splice(i, 1);
      }
    }
  }

  private fail(e: NodeJS.ErrnoException): void {
    const full = e.code === 'ENOSPC' || e.code === 'EDQUOT';
    this.state = full ? 'diskFull' : 'error';
    this.lastError = `${e.code ?? 'error'}: ${e.message}`;
    this.failedAt = this.o.now();
    this.writeErrors++;
    this.dropped(this.pending);
    this.pending = [];
    this.closeOpen();
    // What the failed segment holds stays (replay reads it up to where it is cut); writing resumes in a
    // new one, whose streams begin with their tables again.
    this.seg = null;
    this.o.log.error(
      { dir: this.dir, err: this.lastError, retryInS: this.o.retryMs / 1000 },
      full
        ? 'history: the disk is full: the server keeps running with its history in memory only'
        : 'history: cannot write to the data directory: the server keeps running with its history in memory only',
    );
  }

  private closeOpen(): void {
    const s = this.openSeg;
    if (!s || s.fd === null) return;
    try {
      closeSync(s.fd);
    } catch {
      // Already gone (a failed write): nothing to keep.
    }
    s.fd = null;
    this.openSeg = null;
  }
}
