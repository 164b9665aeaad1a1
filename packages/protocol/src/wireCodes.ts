import type { Direction, L4Proto } from './probeRecord.js';

// Typebox-free, so that '@weft/protocol/core' offers it to the collector. Every number a record
// carries in place of a name is decoded here and nowhere else.

/** The flow columns `proto` and `dir` carry these by their index (a number parses faster than a string). */
export const L4_PROTOS = ['tcp', 'udp', 'icmp', 'icmpv6', 'other'] as const satisfies readonly L4Proto[];
export const FLOW_DIRECTIONS = ['egress', 'ingress'] as const satisfies readonly Direction[];

/** The TCP header's flag bits, as a flow record's `tcpFlags` ORs them over its interval. */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;
