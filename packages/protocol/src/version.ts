/** Version of the collector -> server ingest protocol. Bumped on any incompatible change. */
export const PROTOCOL_VERSION = 3;
// 3: the endpoint table belongs to the connection: a batch carries only the endpoints it adds to it
// (`endpointBase`), and the server may answer `resync`. 2: each batch carried its own endpoint table
// and flow records as columns (PackedBatch). 1 named both endpoints in every record.

/** Version of the probe's binary/NDJSON record stream (the header the loader writes first). */
export const PROBE_RECORD_VERSION = 2;
