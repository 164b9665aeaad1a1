/** Reported in the ingest welcome, /api/v1/status and /metrics. */
export const SERVER_VERSION = '0.1.0';
