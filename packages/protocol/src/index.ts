/**
 * '@weft/protocol': everything '@weft/protocol/core' offers (constants, pure helpers, static types),
 * plus the TypeBox schemas of the wire messages, for the processes that validate them (the server, the
 * web's fixtures and tests). Built from core, so the two can never disagree on a name.
 */

// biome-ignore-all assist/source/organizeImports: core goes last, so that a name core offers as a type only is the schema module's value and type
export * from './alerts.js';
export * from './dataSource.js';
export * from './diagnose.js';
export * from './dns.js';
export * from './drops.js';
export * from './endpoint.js';
export * from './filter.js';
export * from './flowSearch.js';
export * from './flows.js';
export * from './tcpState.js';
export * from './graph.js';
export * from './ingest.js';
export * from './inventory.js';
export * from './live.js';
export * from './objectChange.js';
export * from './packedBatch.js';
export * from './policyContext.js';
export * from './policyFinding.js';
export * from './policyWhatIf.js';
export * from './probeRecord.js';
export * from './records.js';
export * from './status.js';
export * from './timeline.js';
export * from './timeseries.js';
export * from './core.js';
