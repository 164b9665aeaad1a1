/**
 * '@weft/protocol/core': the protocol's constants, pure helpers and static types without the TypeBox
 * schemas, which cost a process ~15-20 MB to build at import (bench/collector/RESULTS.md). For
 * processes that never validate wire messages themselves (the collector, the probe's decoder).
 * Nothing here may import typebox at run time: core.test.ts checks it.
 */

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
export { dropReasonLabel, isRoutineFree, POLICY_DROP } from './dropReason.js';
export type { Endpoint, EndpointKind } from './endpoint.js';
export { endpointLabel, HOST, hostEndpoint, WORLD, worldEndpoint } from './endpointHelpers.js';
export { EndpointTable } from './endpointTable.js';
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
export {
  hostNodeId,
  kubeNodeId,
  levelOfNodeId,
  type NodeIdKind,
  namespaceNodeId,
  nodeIdOf,
  nodeOf,
  type ParsedNodeId,
  parseEdgeId,
  parseNodeId,
  podNodeId,
  serviceNodeId,
  WORLD_NODE_ID,
  workloadNodeId,
} from './nodeId.js';
export type { ChangedObjectKind, ObjectChange } from './objectChange.js';
export type {
  FlowColumns,
  PackedBatch,
  PackedDnsRecord,
  PackedDropRecord,
  PackedTcpConnectRecord,
  PackedTcpStatsRecord,
} from './packedBatch.js';
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
  DnsRecord,
  DropDirection,
  DropRecord,
  FlowRecord,
  TcpConnectRecord,
  TcpStatsRecord,
} from './records.js';
export { isTimeExpr, resolveTimeExpr, type TimeWindow } from './timeRange.js';
export {
  DEFAULT_RATE_WINDOW_MS,
  DEFAULT_TIMELINE_MS,
  isCompareExpr,
  MAX_FUTURE_SKEW_MS,
  type ResolvedTime,
  rateWindowEndingAt,
  resolveCompare,
  resolveTime,
  type TimeChoice,
  type TimeMode,
  timeMode,
} from './timeSelection.js';
export { PROBE_RECORD_VERSION, PROTOCOL_VERSION } from './version.js';
