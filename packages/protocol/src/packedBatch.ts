import { type Static, Type } from 'typebox';
import { Endpoint } from './endpoint.js';
import {
  MAX_BATCH_ENDPOINTS,
  MAX_BATCH_RECORDS,
  MAX_CONNECTION_ENDPOINTS,
  MAX_LOST_PER_BATCH,
  MAX_SEQ,
} from './ingestLimits.js';
import {
  Count,
  DnsRecord,
  DropRecord,
  Port,
  TcpConnectRecord,
  TcpStatsRecord,
  Timestamp,
} from './records.js';
import { FLOW_DIRECTIONS, L4_PROTOS } from './wireCodes.js';

/**
 * The batch as it travels (protocol 3). Records name their ends by index into the connection's endpoint
 * table, which every batch extends: `endpoints` are the ones it adds, at index `endpointBase` on (0
 * starts a new table, so a batch with base 0 is self-contained). A node's endpoints barely change from
 * one second to the next, so a batch mostly carries none; when every batch carried its own table
 * (protocol 2), parsing it was 70% of the server's JSON.parse (bench/server/RESULTS.md). Flow records
 * (nearly all of a batch) travel as columns: one array per field, entry i of each being record i,
 * protocol and direction as small numbers. `BatchPacker` builds it from an IngestBatch, `EndpointTable`
 * resolves it on the receiving side and `unpackBatch` turns a resolved one back. Beyond what the schema
 * says, every column of `flows` has the same length and every index is below the table's size once the
 * batch is applied (`packedBatchProblem` checks both), and every count is plausible for the batch's
 * interval and every `ts` inside it (`batchPlausibilityProblem`). No object takes a field it doesn't
 * know: the server keeps only what is described here.
 */
const Index = Type.Integer({ minimum: 0, maximum: MAX_CONNECTION_ENDPOINTS - 1 });
const closed = { additionalProperties: false } as const;

function column<T extends Parameters<typeof Type.Array>[0]>(item: T) {
  return Type.Array(item, { maxItems: MAX_BATCH_RECORDS });
}

export const FlowColumns = Type.Object(
  {
    ts: column(Timestamp),
    src: column(Index),
    dst: column(Index),
    sport: column(Port),
    dport: column(Port),
    /** Index into L4_PROTOS (tcp, udp, icmp, icmpv6, other). */
    proto: column(Type.Integer({ minimum: 0, maximum: L4_PROTOS.length - 1 })),
    /** Index into FLOW_DIRECTIONS (egress, ingress), relative to the observed pod (egress = leaving it). */
    dir: column(Type.Integer({ minimum: 0, maximum: FLOW_DIRECTIONS.length - 1 })),
    bytes: column(Count),
    packets: column(Count),
    tcpFlags: column(Type.Integer({ minimum: 0, maximum: 255 })),
  },
  closed,
);
export type FlowColumns = Static<typeof FlowColumns>;

export const PackedDropRecord = Type.Object({ ...DropRecord.properties, src: Index, dst: Index }, closed);
export type PackedDropRecord = Static<typeof PackedDropRecord>;
export const PackedTcpConnectRecord = Type.Object(
  { ...TcpConnectRecord.properties, src: Index, dst: Index },
  closed,
);
export type PackedTcpConnectRecord = Static<typeof PackedTcpConnectRecord>;
export const PackedTcpStatsRecord = Type.Object(
  { ...TcpStatsRecord.properties, src: Index, dst: Index },
  closed,
);
export type PackedTcpStatsRecord = Static<typeof PackedTcpStatsRecord>;
export const PackedDnsRecord = Type.Object({ ...DnsRecord.properties, client: Index, server: Index }, closed);
export type PackedDnsRecord = Static<typeof PackedDnsRecord>;

export const PackedBatch = Type.Object(
  {
    type: Type.Literal('batch'),
    seq: Type.Integer({ minimum: 0, maximum: MAX_SEQ }),
    /** Interval covered, ms since epoch. */
    start: Timestamp,
    end: Timestamp,
    /** Index in the connection's endpoint table of `endpoints[0]`: 0 starts a new table. */
    endpointBase: Type.Integer({ minimum: 0, maximum: MAX_CONNECTION_ENDPOINTS }),
    /** The endpoints this batch adds to the table. */
    endpoints: Type.Array(Endpoint, { maxItems: MAX_BATCH_ENDPOINTS }),
    flows: FlowColumns,
    drops: Type.Array(PackedDropRecord, { maxItems: MAX_BATCH_RECORDS }),
    tcp: Type.Array(PackedTcpConnectRecord, { maxItems: MAX_BATCH_RECORDS }),
    tcpStats: Type.Array(PackedTcpStatsRecord, { maxItems: MAX_BATCH_RECORDS }),
    dns: Type.Array(PackedDnsRecord, { maxItems: MAX_BATCH_RECORDS }),
    /** Records the probe or collector could not deliver during this interval (map overflow, ring loss, spool overflow). */
    lost: Type.Integer({ minimum: 0, maximum: MAX_LOST_PER_BATCH }),
  },
  closed,
);
export type PackedBatch = Static<typeof PackedBatch>;
