/** Version of the collector -> server ingest protocol. Bumped on any incompatible change. */
export const PROTOCOL_VERSION = 2;
// 2: batches carry an endpoint table and flow records as columns (PackedBatch); 1 named both endpoints
// in every record.

/** Version of the probe's binary/NDJSON record stream (the header the loader writes first). */
export const PROBE_RECORD_VERSION = 1;
