/** Version of the collector -> server ingest protocol. Bumped on any incompatible change. */
export const PROTOCOL_VERSION = 1;

/** Version of the probe's binary/NDJSON record stream (the header the loader writes first). */
export const PROBE_RECORD_VERSION = 1;
