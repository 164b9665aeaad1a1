import { type Static, Type } from 'typebox';
import { Endpoint } from './endpoint.js';
import { PolicyFinding } from './policyFinding.js';

/** One observation point's record of a connection a merged row stands for (`merge=connection`). */
export const FlowObservation = Type.Object({
  seq: Type.Integer({ minimum: 0 }),
  node: Type.String(),
  dir: Type.String(),
  verdict: Type.Union([Type.Literal('forwarded'), Type.Literal('dropped')]),
  reason: Type.String(),
  bytes: Type.Integer(),
  packets: Type.Integer(),
  tcpFlags: Type.Integer(),
});
export type FlowObservation = Static<typeof FlowObservation>;

/**
 * The DNS name on a flow row. A flow to an address its source learned from a DNS answer carries the
 * name it asked for (`name` alone); a DNS flow (to or from port 53) whose query is known carries that
 * query: name, type and response code.
 */
export const FlowDns = Type.Object({
  name: Type.String({ maxLength: 255 }),
  qtype: Type.Optional(Type.String({ maxLength: 16 })),
  rcode: Type.Optional(Type.String({ maxLength: 16 })),
});
export type FlowDns = Static<typeof FlowDns>;

/** `/api/v1/flows`: recent records, newest first. */
export const FlowRow = Type.Object({
  ts: Type.Number(),
  node: Type.String(),
  src: Endpoint,
  dst: Endpoint,
  sport: Type.Integer(),
  dport: Type.Integer(),
  proto: Type.String(),
  dir: Type.String(),
  verdict: Type.Union([Type.Literal('forwarded'), Type.Literal('dropped')]),
  reason: Type.String(),
  bytes: Type.Integer(),
  packets: Type.Integer(),
  tcpFlags: Type.Integer(),
  dns: Type.Optional(FlowDns),
  /** On a policy_drop row: the NetworkPolicy that denies the connection, or that none does. */
  policy: Type.Optional(PolicyFinding),
  /**
   * The row's place in the server's flow ring (arrival order, never reused): names the row in a link
   * and is what `after=` follows from.
   */
  seq: Type.Optional(Type.Integer({ minimum: 0 })),
  /**
   * A merged row (`merge=connection`): every matching observation of the connection in that interval,
   * oldest first. The row itself is the observation that dropped it, if one did, else the first.
   */
  seen: Type.Optional(Type.Array(FlowObservation)),
});
export type FlowRow = Static<typeof FlowRow>;

export const FlowsResponse = Type.Object({
  flows: Type.Array(FlowRow),
  /** Matching rows in the window before the limit applied. */
  total: Type.Integer(),
  /** The window the rows were taken from (live: the rate window), ms since the epoch. */
  start: Type.Optional(Type.Number()),
  end: Type.Optional(Type.Number()),
  /** The cursor of the next page (`cursor=`), absent on the last one. */
  next: Type.Optional(Type.String()),
  /** The newest row's seq in the ring when answered (-1 when empty): `after=` it gets only newer rows. */
  head: Type.Optional(Type.Integer({ minimum: -1 })),
});
export type FlowsResponse = Static<typeof FlowsResponse>;
