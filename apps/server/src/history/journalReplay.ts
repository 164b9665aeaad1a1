import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type Endpoint, type PackedBatch, packedBatchProblem } from '@weft/protocol';
import { isPackedBatch } from '../ingest/ingestSession.js';
import type { Store } from '../store/store.js';
import type { SegmentFile } from './batchJournal.js';
import { type JournalRecord, RecordKind, readSegment } from './journalFormat.js';
import type { JournalPosition } from './snapshotFormat.js';
import type { StoreClock } from './storeClock.js';

/** A file replay stopped reading before its end, and why. */
export interface SkippedFile {
  file: string;
  offset: number;
  reason: string;
}

export interface ReplayResult {
  segments: number;
  batches: number;
  records: number;
  ms: number;
  skipped: SkippedFile[];
}

export interface ReplayDeps {
  store: Store;
  clock: StoreClock;
  /** The coarse retention: segments wholly older are not read. */
  retentionMs: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /**
   * A snapshot the store was filled from (storeSnapshots.ts): only what the journal holds after its
   * position is read, the segment it stands in from its offset on with the streams' endpoint tables
   * the snapshot kept; `at` is the store time it was taken at.
   */
  from?: { position: JournalPosition; at: number };
}

/**
 * Replay prunes (a pass over every series: 20-25 ms at 50,000) when the 1 s tier has grown by
 * PRUNE_FINE_GROWTH buckets since the last prune, looked at every PRUNE_CHECK_MS of store time, and at
 * least every PRUNE_EVERY_MS, so the 1 s tier of a day's replay never holds a day. Once a minute
 * whatever the load took a day's replay at 5,000 pods / 50,000 edges 1,440 passes, a sixth of its time
 * (bench/server RESULTS.md, "Restart to ready"); at a minute's worth of that cluster's busiest traffic
 * (every edge every 15 s) the 1 s tier is still pruned every minute, as before.
 */
const PRUNE_CHECK_MS = 60_000;
const PRUNE_EVERY_MS = 10 * 60_000;
export const PRUNE_FINE_GROWTH = 200_000;

/**
 * Replays the journal's segments into `store` in the order they were written, the store's clock pinned
 * to each record's time (batchJournal.ts has the design). A segment that cannot be read, or whose
 * records stop making sense (cut short, bad CRC, garbage, another format version, a batch that fails
 * the ingest schema), is read up to there and skipped from there on, with one log line naming it.
 */
export function replayJournal(files: readonly SegmentFile[], d: ReplayDeps): ReplayResult {
  const began = performance.now();
  const result: ReplayResult = { segments: 0, batches: 0, records: 0, ms: 0, skipped: [] };
  const realNow = d.clock.now();
  const horizon = realNow - d.retentionMs;
  const from = d.from?.position;
  let lastAt = d.from?.at ?? Number.NEGATIVE_INFINITY;
  let prunedAt = Number.NEGATIVE_INFINITY;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let fineAfterPrune = 0;
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    const next = files[i + 1];
    if (next && next.start <= horizon) continue;
    // Wholly in the snapshot: a segment before its own (a segment's start is unique and increasing).
    let storeFrom = -1;
    if (from !== undefined) {
      if (basename(f.path) === from.segment) storeFrom = from.offset;
      else if (f.start < from.start) continue;
    }
    let buf: Buffer;
    try {
      buf = readFileSync(f.path);
    } catch (e) {
      skip(f.path, 0, `cannot read it (${(e as Error).message})`);
      continue;
    }
    result.segments++;
    // Segments are self-contained: each stream's table starts again in each (or, from a snapshot's
    // position, as the snapshot has them there).
    const tables = new Map<number, Endpoint[]>(
      storeFrom > 0 ? from!.tables.map(([id, t]) => [id, t.slice()]) : [],
    );
    const problem = readSegment(
      buf,
      (r) => {
        const at = Math.min(Math.max(r.at, lastAt), realNow);
        lastAt = at;
        d.clock.pinned = at;
        if (at - checkedAt >= PRUNE_CHECK_MS) {
          checkedAt = at;
          if (
            at - prunedAt >= PRUNE_EVERY_MS ||
            d.store.stats().fineBuckets - fineAfterPrune >= PRUNE_FINE_GROWTH
          ) {
            d.store.prune(at);
            prunedAt = at;
            fineAfterPrune = d.store.stats().fineBuckets;
          }
        }
        try {
          return apply(r, tables);
        } catch (e) {
          return `unusable record (${(e as Error).message.slice(0, 120)})`;
        }
      },
      storeFrom,
    );
    if (problem) skip(f.path, problem.offset, problem.reason);
  }
  d.clock.pinned = null;
  // Whoever is connected now says so again.
  d.store.observedNodes = new Set();
  d.store.prune();
  result.ms = performance.now() - began;
  return result;

  function skip(file: string, offset: number, reason: string): void {
    result.skipped.push({ file, offset, reason });
    d.log.warn(
      { file, offset, reason },
      `history: skipped ${file} from byte ${offset} on (${reason}); the rest of the history is served`,
    );
  }

  function apply(r: JournalRecord, tables: Map<number, Endpoint[]>): string | undefined {
    const body = JSON.parse(r.body.toString('utf8')) as unknown;
    if (r.kind === RecordKind.observed) {
      if (!Array.isArray(body) || !body.every((n) => typeof n === 'string'))
        return 'observed nodes not a list of names';
      d.store.observedNodes = new Set(body as string[]);
      return undefined;
    }
    if (r.kind === RecordKind.table) {
      if (!Array.isArray(body)) return 'endpoint table not a list';
      tables.set(r.stream, body as Endpoint[]);
      return undefined;
    }
    // Protocol 2 frames carry no endpointBase: each is a table of its own.
    if (body !== null && typeof body === 'object' && !('endpointBase' in body))
      (body as { endpointBase: number }).endpointBase = 0;
    if (!isPackedBatch(body)) return 'batch fails the ingest schema';
    const problem = packedBatchProblem(body);
    if (problem) return `batch: ${problem}`;
    let table: Endpoint[];
    if (body.endpointBase === 0) table = body.endpoints;
    else {
      const held = tables.get(r.stream);
      if (!held || held.length !== body.endpointBase)
        return `batch adds at ${body.endpointBase} to an endpoint table of ${held?.length ?? 0}`;
      table = held;
      for (const e of body.endpoints) table.push(e);
    }
    tables.set(r.stream, table);
    if (r.kind === RecordKind.resent) return undefined;
    // Field by field, as EndpointTable.resolve gives it to the store.
    const resolved: PackedBatch = {
      type: 'batch',
      seq: body.seq,
      start: body.start,
      end: body.end,
      endpointBase: 0,
      endpoints: table,
      flows: body.flows,
      drops: body.drops,
      tcp: body.tcp,
      tcpStats: body.tcpStats,
      dns: body.dns,
      lost: body.lost,
    };
    result.records += d.store.ingestPacked(resolved, r.node);
    result.batches++;
    return undefined;
  }
}
