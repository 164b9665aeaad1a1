import { type Static, Type } from 'typebox';
import { Endpoint } from './endpoint.js';
import { Direction, L4Proto, TcpFailCause } from './probeRecord.js';

/**
 * Records as the collector sends them to the server: the probe's facts with both ends named.
 * `ts` is the end of the interval they cover, in ms since the Unix epoch.
 */
const Pair = {
  ts: Type.Number(),
  src: Endpoint,
  dst: Endpoint,
  sport: Type.Integer({ minimum: 0, maximum: 65535 }),
  dport: Type.Integer({ minimum: 0, maximum: 65535 }),
  proto: L4Proto,
};

export const FlowRecord = Type.Object({
  ...Pair,
  /** Relative to the observed pod (egress = leaving it). */
  dir: Direction,
  bytes: Type.Integer({ minimum: 0 }),
  packets: Type.Integer({ minimum: 0 }),
  tcpFlags: Type.Integer({ minimum: 0, maximum: 255 }),
});
export type FlowRecord = Static<typeof FlowRecord>;

export const DropDirection = Type.Union([Direction, Type.Literal('unknown')]);
export type DropDirection = Static<typeof DropDirection>;

export const DropRecord = Type.Object({
  ...Pair,
  dir: DropDirection,
  /** Seed label: policy_drop, no_socket, tcp_reset, ... */
  reason: Type.String({ maxLength: 64 }),
  /** The kernel's own name, e.g. NETFILTER_DROP. */
  kernelReason: Type.String({ maxLength: 64 }),
  packets: Type.Integer({ minimum: 0 }),
  bytes: Type.Integer({ minimum: 0 }),
});
export type DropRecord = Static<typeof DropRecord>;

export const TcpConnectRecord = Type.Object({
  ...Pair,
  outcome: Type.Union([Type.Literal('ok'), Type.Literal('fail')]),
  latencyUs: Type.Optional(Type.Number({ minimum: 0 })),
  cause: Type.Optional(TcpFailCause),
});
export type TcpConnectRecord = Static<typeof TcpConnectRecord>;

export const TcpStatsRecord = Type.Object({
  ...Pair,
  srttUs: Type.Number({ minimum: 0 }),
  retransmits: Type.Integer({ minimum: 0 }),
});
export type TcpStatsRecord = Static<typeof TcpStatsRecord>;

export const DnsRecord = Type.Object({
  ts: Type.Number(),
  client: Endpoint,
  server: Endpoint,
  id: Type.Integer({ minimum: 0, maximum: 65535 }),
  qname: Type.String({ maxLength: 255 }),
  qtype: Type.String({ maxLength: 16 }),
  rcode: Type.String({ maxLength: 16 }),
  answers: Type.Integer({ minimum: 0 }),
  latencyUs: Type.Number({ minimum: 0 }),
});
export type DnsRecord = Static<typeof DnsRecord>;
