import { type Static, Type } from 'typebox';

/** `/api/v1/status` */
export const CollectorStatus = Type.Object({
  node: Type.String(),
  boot: Type.String(),
  version: Type.String(),
  /** The first hooks the collector listed (the server keeps a bounded number). */
  hooks: Type.Array(Type.String()),
  /** How many hooks the collector listed in all. */
  hooksTotal: Type.Optional(Type.Integer({ minimum: 0 })),
  simulated: Type.Boolean(),
  connected: Type.Boolean(),
  connectedAt: Type.Number(),
  lastSeen: Type.Number(),
  /** ms between the end of the newest batch's interval and its arrival */
  lagMs: Type.Number(),
  batches: Type.Integer(),
  rejected: Type.Integer(),
  recordsLost: Type.Integer(),
});
export type CollectorStatus = Static<typeof CollectorStatus>;

/** One part of the server's memory budget (WEFT_MEMORY_BUDGET_MB): its share, its estimate, what it let go. */
export const MemoryPartStatus = Type.Object({
  part: Type.String(),
  budgetBytes: Type.Number(),
  usedBytes: Type.Number(),
  /** Rows, endpoints or series evicted to stay within the share, since start. */
  evicted: Type.Number(),
});
export type MemoryPartStatus = Static<typeof MemoryPartStatus>;

export const MemoryStatus = Type.Object({
  budgetBytes: Type.Number(),
  parts: Type.Array(MemoryPartStatus),
});
export type MemoryStatus = Static<typeof MemoryStatus>;

/** A history file the server skipped from `offset` on as it started, and why. */
export const SkippedHistoryFile = Type.Object({
  file: Type.String(),
  offset: Type.Number(),
  reason: Type.String(),
});
export type SkippedHistoryFile = Static<typeof SkippedHistoryFile>;

/** One fault of the lab on this machine (`weft lab fault list`), as its faults file holds it. */
export const LabFaultStatus = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  /** The fault's options in `key=value` words: `from=production/legacy-worker to=production/api`. */
  detail: Type.String(),
  /** scenario: one the lab started with (put back by id after a clear); user: `weft lab fault add`. */
  origin: Type.Union([Type.Literal('scenario'), Type.Literal('user')]),
  since: Type.Number(),
});
export type LabFaultStatus = Static<typeof LabFaultStatus>;

/** The lab on this machine (WEFT_LAB_FAULTS_FILE): its faults, or why they could not be read. */
export const LabStatusSummary = Type.Object({
  faults: Type.Array(LabFaultStatus),
  /** The scenario's own faults that are cleared now (`weft lab fault add <id>` puts one back). */
  cleared: Type.Array(LabFaultStatus),
  error: Type.Optional(Type.String()),
});
export type LabStatusSummary = Static<typeof LabStatusSummary>;

/** The durable history under WEFT_DATA_DIR. */
export const HistoryStatus = Type.Object({
  /**
   * memory: WEFT_DATA_DIR unset; disk: history written there; diskFull, error: writing failed (the
   * server keeps running with its history in memory only, and tries again every 30 s).
   */
  mode: Type.Union([
    Type.Literal('memory'),
    Type.Literal('disk'),
    Type.Literal('diskFull'),
    Type.Literal('error'),
  ]),
  dataDir: Type.String(),
  bytesOnDisk: Type.Number(),
  segments: Type.Integer({ minimum: 0 }),
  /** What was read back at start, and how long it took. */
  replayedBatches: Type.Integer({ minimum: 0 }),
  replayedRecords: Type.Integer({ minimum: 0 }),
  replayMs: Type.Number(),
  /** Files skipped (from a damaged record on) at start; `skipped` lists the first of them. */
  skippedFiles: Type.Integer({ minimum: 0 }),
  skipped: Type.Array(SkippedHistoryFile),
  /**
   * The store snapshot the start loaded (its file; absent: none usable, the whole journal was replayed)
   * and how long loading it took; the journal replayed after it is replayedBatches. Snapshots skipped
   * as damaged are counted here and listed in `skipped` too.
   */
  snapshotLoaded: Type.Optional(Type.String()),
  snapshotLoadMs: Type.Number(),
  snapshotsSkipped: Type.Integer({ minimum: 0 }),
  /** Snapshots on disk and their bytes, those written since start, the newest one's store time (ms). */
  snapshots: Type.Integer({ minimum: 0 }),
  snapshotBytes: Type.Number(),
  snapshotsWritten: Type.Integer({ minimum: 0 }),
  lastSnapshotAt: Type.Optional(Type.Number()),
  snapshotErrors: Type.Integer({ minimum: 0 }),
  /** Batches held in memory but not written (while the disk was full or failing). */
  unwrittenBatches: Type.Integer({ minimum: 0 }),
  writeErrors: Type.Integer({ minimum: 0 }),
  lastError: Type.Optional(Type.String()),
});
export type HistoryStatus = Static<typeof HistoryStatus>;

export const StatusResponse = Type.Object({
  version: Type.String(),
  uptimeS: Type.Number(),
  simulated: Type.Boolean(),
  /** The live rate window (timeSelection.ts) this server uses, in seconds. */
  rateWindowS: Type.Number(),
  collectors: Type.Array(CollectorStatus),
  memory: Type.Optional(MemoryStatus),
  history: Type.Optional(HistoryStatus),
  /** The lab on this machine, when the server was told where its faults file is. */
  lab: Type.Optional(LabStatusSummary),
});
export type StatusResponse = Static<typeof StatusResponse>;
