import { type Static, Type } from 'typebox';
import { MAX_BATCH_RECORDS, MAX_HELLO_HOOKS, MAX_LOST_PER_BATCH, MAX_SEQ } from './ingestLimits.js';
import { PackedBatch } from './packedBatch.js';
import { DnsRecord, DropRecord, FlowRecord, TcpConnectRecord, TcpStatsRecord, Timestamp } from './records.js';

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

/**
 * Collector -> server over WebSocket `/api/v1/ingest` (Authorization: Bearer <token>).
 * The collector sends a hello, waits for `welcome`, then one batch per interval, packed (PackedBatch:
 * endpoints in a table the connection builds up, flow records as columns; IngestBatch below is the
 * same batch unpacked, the shape the collector aggregates and tests write). Each batch carries a
 * sequence number per collector boot; the server acknowledges it, and the collector keeps
 * unacknowledged batches in a bounded spool and resends them after a reconnect, packed afresh against
 * the new connection's table. The server drops a batch whose (boot, seq) it has already stored, so
 * nothing is counted twice.
 */
export const IngestHello = Type.Object(
  {
    type: Type.Literal('hello'),
    protocol: Type.Integer({ minimum: 1, maximum: 1000 }),
    node: Type.String({ minLength: 1, maxLength: 253 }),
    /** Random id of this collector process; sequence numbers restart with it. */
    boot: Type.String({ minLength: 1, maxLength: 64 }),
    collectorVersion: Type.String({ maxLength: 64 }),
    /** Hooks the probe attached (tc:ifname, tp_btf/kfree_skb, ...). */
    hooks: Type.Array(Type.String({ maxLength: 128 }), { maxItems: MAX_HELLO_HOOKS }),
    /** True when the records come from the simulated lab, not a kernel. */
    simulated: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type IngestHello = Static<typeof IngestHello>;

/** A batch with both ends of every record named in full: what packBatch packs for the wire. */
export const IngestBatch = Type.Object(
  {
    type: Type.Literal('batch'),
    seq: Type.Integer({ minimum: 0, maximum: MAX_SEQ }),
    /** Interval covered, ms since epoch. */
    start: Timestamp,
    end: Timestamp,
    flows: Type.Array(FlowRecord, { maxItems: MAX_BATCH_RECORDS }),
    drops: Type.Array(DropRecord, { maxItems: MAX_BATCH_RECORDS }),
    tcp: Type.Array(TcpConnectRecord, { maxItems: MAX_BATCH_RECORDS }),
    tcpStats: Type.Array(TcpStatsRecord, { maxItems: MAX_BATCH_RECORDS }),
    dns: Type.Array(DnsRecord, { maxItems: MAX_BATCH_RECORDS }),
    /** Records the probe or collector could not deliver during this interval (map overflow, ring loss, spool overflow). */
    lost: Type.Integer({ minimum: 0, maximum: MAX_LOST_PER_BATCH }),
  },
  { additionalProperties: false },
);
export type IngestBatch = Static<typeof IngestBatch>;

export const CollectorMessage = Type.Union([IngestHello, PackedBatch]);
export type CollectorMessage = Static<typeof CollectorMessage>;

export const IngestWelcome = Type.Object({
  type: Type.Literal('welcome'),
  protocol: Type.Integer(),
  serverVersion: Type.String(),
  /** Highest sequence number the server already holds for this boot, -1 if none. */
  lastSeq: Type.Integer({ minimum: -1 }),
  /** Optional messages this server takes beside batches (POLICY_CONTEXT_FEATURE). */
  features: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 32 })),
});
export type IngestWelcome = Static<typeof IngestWelcome>;

export const IngestAck = Type.Object({ type: Type.Literal('ack'), seq: Type.Integer({ minimum: 0 }) });
export type IngestAck = Static<typeof IngestAck>;

export const IngestReject = Type.Object({
  type: Type.Literal('reject'),
  seq: Type.Optional(Type.Integer()),
  reason: Type.String(),
});
export type IngestReject = Static<typeof IngestReject>;

/**
 * The batch `seq` was packed against an endpoint table this connection doesn't have (the server did not
 * take an earlier batch): start a new table and send again from `seq`. Nothing is given up.
 */
export const IngestResync = Type.Object({
  type: Type.Literal('resync'),
  seq: Type.Integer({ minimum: 0 }),
  reason: Type.String(),
});
export type IngestResync = Static<typeof IngestResync>;

export const ServerIngestMessage = Type.Union([IngestWelcome, IngestAck, IngestReject, IngestResync]);
export type ServerIngestMessage = Static<typeof ServerIngestMessage>;
