// Kept apart from the ingest schemas so that '@weft/protocol/core' can offer them without typebox.

/** Most records of one kind in one batch. */
export const MAX_BATCH_RECORDS = 100_000;

/** Most endpoints one batch adds to its connection's endpoint table: each record names two at most. */
export const MAX_BATCH_ENDPOINTS = 2 * MAX_BATCH_RECORDS;

/**
 * Most endpoints a connection's table holds (protocol 3). A batch that starts a new table always fits,
 * so a collector whose table would grow past this starts a new one; the server refuses a batch that
 * would take it further, which bounds its memory per connection.
 */
export const MAX_CONNECTION_ENDPOINTS = MAX_BATCH_ENDPOINTS;

/** WebSocket close codes used on /api/v1/ingest (4000-4999 are application codes). */
export const IngestCloseCode = {
  unauthorized: 4401,
  protocolMismatch: 4426,
  tooManyBadMessages: 4400,
  shuttingDown: 1001,
} as const;

/** Largest WebSocket frame the server accepts on ingest. */
export const MAX_INGEST_FRAME_BYTES = 16 * 1024 * 1024;
