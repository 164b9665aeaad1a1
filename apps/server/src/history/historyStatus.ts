import type { HistoryStatus } from '@weft/protocol';
import type { WeftContext } from '../context.js';

/** Skipped files listed by name in the status (all are counted). */
const LISTED = 20;

/** The history's part of /api/v1/status. */
export function historyStatus(w: Pick<WeftContext, 'history' | 'config'>): HistoryStatus {
  const h = w.history;
  if (!h)
    return {
      mode: 'memory',
      dataDir: '',
      bytesOnDisk: 0,
      segments: 0,
      replayedBatches: 0,
      replayedRecords: 0,
      replayMs: 0,
      skippedFiles: 0,
      skipped: [],
      unwrittenBatches: 0,
      writeErrors: 0,
    };
  const j = h.journal;
  return {
    mode: j.state,
    dataDir: j.dir,
    bytesOnDisk: j.bytesOnDisk,
    segments: j.segmentFiles().length,
    replayedBatches: h.replay.batches,
    replayedRecords: h.replay.records,
    replayMs: Math.round(h.replay.ms),
    skippedFiles: h.replay.skipped.length,
    skipped: h.replay.skipped.slice(0, LISTED),
    unwrittenBatches: j.unwrittenBatches,
    writeErrors: j.writeErrors,
    ...(j.lastError ? { lastError: j.lastError } : {}),
  };
}
