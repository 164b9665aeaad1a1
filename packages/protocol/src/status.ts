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

export const StatusResponse = Type.Object({
  version: Type.String(),
  uptimeS: Type.Number(),
  simulated: Type.Boolean(),
  /** The live rate window (timeSelection.ts) this server uses, in seconds. */
  rateWindowS: Type.Number(),
  collectors: Type.Array(CollectorStatus),
  memory: Type.Optional(MemoryStatus),
});
export type StatusResponse = Static<typeof StatusResponse>;
