import { type Static, Type } from 'typebox';
import { Endpoint } from './endpoint.js';
import { MAX_DNS_ADDRS, MAX_LATENCY_US, MAX_SEQ, MAX_TIMESTAMP_MS } from './ingestLimits.js';
import { Direction, L4Proto, TcpFailCause } from './probeRecord.js';

/**
 * Records as the collector sends them to the server: the probe's facts with both ends named.
 * `ts` is the end of the interval they cover, in ms since the Unix epoch.
 *
 * Every number has a range and no record takes fields it doesn't know: what the server keeps is only
 * what is described here. What a range can't say (a count plausible for its batch's interval, `ts`
 * inside it) `batchPlausibilityProblem` checks.
 */
export const Timestamp = Type.Number({ minimum: 0, maximum: MAX_TIMESTAMP_MS });
/** A count of packets, bytes, records: exact (below 2^53). */
export const Count = Type.Integer({ minimum: 0, maximum: MAX_SEQ });
export const Port = Type.Integer({ minimum: 0, maximum: 65535 });
export const LatencyUs = Type.Number({ minimum: 0, maximum: MAX_LATENCY_US });
const closed = { additionalProperties: false } as const;

const Pair = {
  ts: Timestamp,
  src: Endpoint,
  dst: Endpoint,
  sport: Port,
  dport: Port,
  proto: L4Proto,
};

export const FlowRecord = Type.Object(
  {
    ...Pair,
    /** Relative to the observed pod (egress = leaving it). */
    dir: Direction,
    bytes: Count,
    packets: Count,
    tcpFlags: Type.Integer({ minimum: 0, maximum: 255 }),
  },
  closed,
);
export type FlowRecord = Static<typeof FlowRecord>;

export const DropDirection = Type.Union([Direction, Type.Literal('unknown')]);
export type DropDirection = Static<typeof DropDirection>;

export const DropRecord = Type.Object(
  {
    ...Pair,
    dir: DropDirection,
    /** Seed label: policy_drop, no_socket, tcp_reset, ... */
    reason: Type.String({ maxLength: 64 }),
    /** The kernel's own name, e.g. NETFILTER_DROP. */
    kernelReason: Type.String({ maxLength: 64 }),
    packets: Count,
    bytes: Count,
  },
  closed,
);
export type DropRecord = Static<typeof DropRecord>;

export const TcpConnectRecord = Type.Object(
  {
    ...Pair,
    outcome: Type.Union([Type.Literal('ok'), Type.Literal('fail')]),
    latencyUs: Type.Optional(LatencyUs),
    cause: Type.Optional(TcpFailCause),
  },
  closed,
);
export type TcpConnectRecord = Static<typeof TcpConnectRecord>;

export const TcpStatsRecord = Type.Object(
  {
    ...Pair,
    srttUs: LatencyUs,
    retransmits: Count,
  },
  closed,
);
export type TcpStatsRecord = Static<typeof TcpStatsRecord>;

/**
 * An address in text form as the probe writes it (IPv4 dotted, IPv6 as inet_ntop): only hex digits,
 * dots and colons, so it is inert wherever it is shown.
 */
export const IpText = Type.String({ minLength: 2, maxLength: 45, pattern: '^[0-9A-Fa-f.:]+$' });
/** A DNS answer's TTL: RFC 2181 makes it 31 bits. */
export const DnsTtl = Type.Integer({ minimum: 0, maximum: 0x7fffffff });

/** An address a DNS answer gave for its question's name (A or AAAA, CNAMEs followed). */
export const DnsAddress = Type.Object({ ip: IpText, ttl: DnsTtl }, closed);
export type DnsAddress = Static<typeof DnsAddress>;

export const DnsRecord = Type.Object(
  {
    ts: Timestamp,
    client: Endpoint,
    server: Endpoint,
    /**
     * The client's UDP/TCP port: with `id`, what tells two queries of one client apart (resolvers open a
     * socket per lookup). Optional: collectors before it sent none, and journals on disk hold such records.
     */
    cport: Type.Optional(Port),
    id: Type.Integer({ minimum: 0, maximum: 65535 }),
    qname: Type.String({ maxLength: 255 }),
    qtype: Type.String({ maxLength: 16 }),
    rcode: Type.String({ maxLength: 16 }),
    /** A DNS answer count is 16 bits. */
    answers: Type.Integer({ minimum: 0, maximum: 65535 }),
    latencyUs: LatencyUs,
    /** What the answer resolved the name to (optional: older collectors, and answers without any). */
    addrs: Type.Optional(Type.Array(DnsAddress, { maxItems: MAX_DNS_ADDRS })),
  },
  closed,
);
export type DnsRecord = Static<typeof DnsRecord>;
