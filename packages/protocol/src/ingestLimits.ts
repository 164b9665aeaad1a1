// Kept apart from the ingest schemas so that '@weft/protocol/core' can offer them without typebox.

/** Most records of one kind in one batch. */
export const MAX_BATCH_RECORDS = 100_000;

/** Most endpoints in one batch's endpoint table (protocol 2): each record names two at most. */
export const MAX_BATCH_ENDPOINTS = 2 * MAX_BATCH_RECORDS;

/** WebSocket close codes used on /api/v1/ingest (4000-4999 are application codes). */
export const IngestCloseCode = {
  unauthorized: 4401,
  protocolMismatch: 4426,
  tooManyBadMessages: 4400,
  shuttingDown: 1001,
} as const;

/** Largest WebSocket frame the server accepts on ingest. */
export const MAX_INGEST_FRAME_BYTES = 16 * 1024 * 1024;
