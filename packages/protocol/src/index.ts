export * from './alerts.js';
export { BatchPacker } from './batchPacker.js';
export {
  FLOW_DIRECTIONS,
  L4_PROTOS,
  packBatch,
  packedBatchProblem,
  packedFlow,
  unpackBatch,
} from './batchPacking.js';
export { type BatchWindow, batchPlausibilityProblem } from './batchPlausibilityProblem.js';
export * from './dataSource.js';
export * from './diagnose.js';
export * from './dns.js';
export * from './dropReason.js';
export * from './drops.js';
export * from './endpoint.js';
export { EndpointTable } from './endpointTable.js';
export * from './filter.js';
export * from './flows.js';
export * from './formatNumber.js';
export * from './graph.js';
export * from './ingest.js';
export * from './inventory.js';
export * from './live.js';
export * from './nodeId.js';
export * from './objectChange.js';
export * from './packedBatch.js';
export * from './policyContext.js';
export * from './policyFinding.js';
export * from './policyWhatIf.js';
export * from './probeRecord.js';
export * from './records.js';
export * from './status.js';
export * from './timeline.js';
export * from './timeRange.js';
export * from './timeSelection.js';
export * from './timeseries.js';
export { PROBE_RECORD_VERSION, PROTOCOL_VERSION } from './version.js';
export * from './windowWords.js';
