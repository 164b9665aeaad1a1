/**
 * '@weft/protocol/core': the protocol's constants, pure helpers and static types without the TypeBox
 * schemas, which cost a process ~15-20 MB to build at import (bench/collector/RESULTS.md). For
 * processes that never validate wire messages themselves (the collector, the probe's decoder).
 * Nothing here may import typebox at run time: core.test.ts checks it.
 */

export { BatchPacker, packBatch } from './batchPacker.js';
export { type BatchWindow, batchPlausibilityProblem } from './batchPlausibilityProblem.js';
export * from './dropReason.js';
export type { Endpoint, EndpointKind } from './endpoint.js';
export * from './endpointHelpers.js';
export { EndpointTable } from './endpointTable.js';
export * from './formatNumber.js';
export * from './graphDelta.js';
export type {
  CollectorMessage,
  IngestAck,
  IngestBatch,
  IngestHello,
  IngestReject,
  IngestResync,
  IngestWelcome,
  ServerIngestMessage,
} from './ingest.js';
export {
  BATCH_FUTURE_SLACK_MS,
  COUNTER_SLACK_MS,
  IngestCloseCode,
  LINK_BYTES_PER_SECOND,
  LINK_PACKETS_PER_SECOND,
  MAX_BATCH_ENDPOINTS,
  MAX_BATCH_RECORDS,
  MAX_BATCH_SPAN_MS,
  MAX_CONNECTION_ENDPOINTS,
  MAX_CONTEXT_CHANGES,
  MAX_CONTEXT_NAMESPACES,
  MAX_CONTEXT_PODS,
  MAX_CONTEXT_POLICIES,
  MAX_DNS_ADDRS,
  MAX_HELLO_HOOKS,
  MAX_INGEST_FRAME_BYTES,
  MAX_LATENCY_US,
  MAX_LOST_PER_BATCH,
  MAX_SEQ,
  MAX_SEQ_STEP,
  MAX_TIMESTAMP_MS,
  OBJECT_CHANGES_FEATURE,
  POLICY_CONTEXT_FEATURE,
  RECORD_TS_SLACK_MS,
  SEQ_STEP_PER_SECOND,
} from './ingestLimits.js';
export type {
  Inventory,
  InventoryNamespace,
  InventoryNode,
  InventoryPod,
  InventoryService,
} from './inventory.js';
export { INVENTORY_JSON_SCHEMA } from './inventorySchema.js';
export * from './nodeId.js';
export type { ChangedObjectKind, ObjectChange } from './objectChange.js';
export type {
  FlowColumns,
  PackedBatch,
  PackedDnsRecord,
  PackedDropRecord,
  PackedTcpConnectRecord,
  PackedTcpStatsRecord,
} from './packedBatch.js';
export { packedBatchProblem } from './packedBatchProblem.js';
export type { ContextPod, PolicyContext } from './policyContext.js';
export type {
  Direction,
  L4Proto,
  ProbeDns,
  ProbeDrop,
  ProbeFlow,
  ProbeHello,
  ProbeLink,
  ProbeRecord,
  ProbeRecordType,
  ProbeStats,
  ProbeTcp,
  ProbeTcpStats,
  TcpFailCause,
} from './probeRecord.js';
export type {
  DnsAddress,
  DnsRecord,
  DropDirection,
  DropRecord,
  FlowRecord,
  TcpConnectRecord,
  TcpStatsRecord,
} from './records.js';
export * from './timeRange.js';
export * from './timeSelection.js';
export { packedFlow, unpackBatch } from './unpackBatch.js';
export { PROBE_RECORD_VERSION, PROTOCOL_VERSION } from './version.js';
export * from './windowWords.js';
export * from './wireCodes.js';
