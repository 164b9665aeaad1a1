import { type Static, Type } from 'typebox';
import { MAX_DNS_ADDRS } from './ingestLimits.js';

/**
 * Records written by the kernel probe (`weft-probe --format=json`, one object per line; the binary
 * format decodes to the same objects). Addresses are text (IPv4 dotted or IPv6), `ts` is ms since the
 * Unix epoch. These are the probe's own facts: no pod names, which the collector adds.
 */
export const L4Proto = Type.Union([
  Type.Literal('tcp'),
  Type.Literal('udp'),
  Type.Literal('icmp'),
  Type.Literal('icmpv6'),
  Type.Literal('other'),
]);
export type L4Proto = Static<typeof L4Proto>;

export const Direction = Type.Union([Type.Literal('ingress'), Type.Literal('egress')]);
export type Direction = Static<typeof Direction>;

const FiveTuple = {
  src: Type.String(),
  dst: Type.String(),
  sport: Type.Integer({ minimum: 0, maximum: 65535 }),
  dport: Type.Integer({ minimum: 0, maximum: 65535 }),
};

export const ProbeFlow = Type.Object({
  type: Type.Literal('flow'),
  ts: Type.Number(),
  ...FiveTuple,
  proto: L4Proto,
  ifname: Type.String(),
  /** Relative to the pod behind the veth: egress = leaving the pod. */
  dir: Direction,
  /** Delta for this interval. */
  bytes: Type.Integer({ minimum: 0 }),
  packets: Type.Integer({ minimum: 0 }),
  /** OR of the TCP flags seen this interval (FIN=1 SYN=2 RST=4 PSH=8 ACK=16 ...). */
  tcp_flags: Type.Integer({ minimum: 0, maximum: 255 }),
});
export type ProbeFlow = Static<typeof ProbeFlow>;

export const ProbeDrop = Type.Object({
  type: Type.Literal('drop'),
  ts: Type.Number(),
  ...FiveTuple,
  proto: L4Proto,
  ifname: Type.Optional(Type.String()),
  /** The kernel's enum skb_drop_reason name without the SKB_DROP_REASON_ prefix, e.g. NETFILTER_DROP. */
  reason: Type.String(),
  packets: Type.Integer({ minimum: 0 }),
  bytes: Type.Integer({ minimum: 0 }),
  /**
   * Inode of the network namespace the packet was dropped in (the device's, else the sending
   * socket's); absent when unknown. Tells nodes sharing one kernel (the lab) whose drop it is.
   */
  netns: Type.Optional(Type.Integer({ minimum: 1, maximum: 0xffffffff })),
});
export type ProbeDrop = Static<typeof ProbeDrop>;

export const TcpFailCause = Type.Union([
  Type.Literal('refused'),
  Type.Literal('timeout'),
  Type.Literal('reset'),
]);
export type TcpFailCause = Static<typeof TcpFailCause>;

export const ProbeTcp = Type.Object({
  type: Type.Literal('tcp'),
  ts: Type.Number(),
  event: Type.Union([Type.Literal('connect_ok'), Type.Literal('connect_fail')]),
  ...FiveTuple,
  latency_us: Type.Optional(Type.Number({ minimum: 0 })),
  cause: Type.Optional(TcpFailCause),
});
export type ProbeTcp = Static<typeof ProbeTcp>;

export const ProbeTcpStats = Type.Object({
  type: Type.Literal('tcp_stats'),
  ts: Type.Number(),
  ...FiveTuple,
  srtt_us: Type.Number({ minimum: 0 }),
  retransmits: Type.Integer({ minimum: 0 }),
});
export type ProbeTcpStats = Static<typeof ProbeTcpStats>;

export const ProbeDns = Type.Object({
  type: Type.Literal('dns'),
  ts: Type.Number(),
  client: Type.String(),
  server: Type.String(),
  cport: Type.Integer({ minimum: 0, maximum: 65535 }),
  id: Type.Integer({ minimum: 0, maximum: 65535 }),
  qname: Type.String({ maxLength: 255 }),
  /** A, AAAA, CNAME, SRV, PTR, TXT, MX, NS, SOA, ANY or TYPE<n>. */
  qtype: Type.String(),
  /** NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED or RCODE<n>; TIMEOUT when no answer came. */
  rcode: Type.String(),
  answers: Type.Integer({ minimum: 0 }),
  latency_us: Type.Number({ minimum: 0 }),
  /**
   * The A/AAAA addresses the answer gave for the question's name (CNAMEs followed), in its order, at
   * most MAX_DNS_ADDRS; absent when it gave none or was not read (an older probe, another type).
   */
  addrs: Type.Optional(
    Type.Array(Type.Object({ ip: Type.String(), ttl: Type.Integer({ minimum: 0 }) }), {
      maxItems: MAX_DNS_ADDRS,
    }),
  ),
});
export type ProbeDns = Static<typeof ProbeDns>;

/** Periodic health of the probe: what it could not count. */
export const ProbeStats = Type.Object({
  type: Type.Literal('stats'),
  ts: Type.Number(),
  /** Flow map insertions refused because the map was full (since start). */
  flow_overflow: Type.Integer({ minimum: 0 }),
  /** Ring buffer reservations that failed (since start). */
  ring_lost: Type.Integer({ minimum: 0 }),
  /** Currently attached links. */
  links: Type.Integer({ minimum: 0 }),
  /**
   * DNS responses to a pending query that were not counted as its answer because they came from
   * another server address or port, or carried another question: spoofed or stray (since start).
   */
  dns_mismatch: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type ProbeStats = Static<typeof ProbeStats>;

/** A watched link attached or detached (pods come and go). */
export const ProbeLink = Type.Object({
  type: Type.Literal('link'),
  ts: Type.Number(),
  event: Type.Union([Type.Literal('attach'), Type.Literal('detach'), Type.Literal('error')]),
  ifname: Type.String(),
  ifindex: Type.Integer({ minimum: 0 }),
  message: Type.Optional(Type.String()),
});
export type ProbeLink = Static<typeof ProbeLink>;

/** First record of a stream: what this kernel gave the probe. */
export const ProbeHello = Type.Object({
  type: Type.Literal('hello'),
  ts: Type.Number(),
  version: Type.Integer(),
  hooks: Type.Array(Type.String()),
  kernel: Type.String(),
});
export type ProbeHello = Static<typeof ProbeHello>;

export const ProbeRecord = Type.Union([
  ProbeFlow,
  ProbeDrop,
  ProbeTcp,
  ProbeTcpStats,
  ProbeDns,
  ProbeStats,
  ProbeLink,
  ProbeHello,
]);
export type ProbeRecord = Static<typeof ProbeRecord>;
export type ProbeRecordType = ProbeRecord['type'];
