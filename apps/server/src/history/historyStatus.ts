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
      snapshotLoadMs: 0,
      snapshotsSkipped: 0,
      snapshots: 0,
      snapshotBytes: 0,
      snapshotsWritten: 0,
      snapshotErrors: 0,
      unwrittenBatches: 0,
      writeErrors: 0,
    };
  const j = h.journal;
  const s = h.snapshots;
  const skipped = [...h.loaded.skipped, ...h.replay.skipped];
  const files = s.files();
  return {
    mode: j.state,
    dataDir: j.dir,
    bytesOnDisk: j.bytesOnDisk + s.bytesOnDisk,
    segments: j.segmentFiles().length,
    replayedBatches: h.replay.batches,
    replayedRecords: h.replay.records,
    replayMs: Math.round(h.replay.ms),
    skippedFiles: skipped.length,
    skipped: skipped.slice(0, LISTED),
    ...(h.loaded.file ? { snapshotLoaded: h.loaded.file } : {}),
    snapshotLoadMs: Math.round(h.loaded.ms),
    snapshotsSkipped: h.loaded.skipped.length,
    snapshots: files.length,
    snapshotBytes: s.bytesOnDisk,
    snapshotsWritten: s.written,
    ...(files.length > 0 ? { lastSnapshotAt: files[files.length - 1]!.at } : {}),
    snapshotErrors: s.errors,
    unwrittenBatches: j.unwrittenBatches,
    writeErrors: j.writeErrors,
    ...(j.lastError ? { lastError: j.lastError } : {}),
  };
}
