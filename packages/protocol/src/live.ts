import { type Static, Type } from 'typebox';
import { GraphResponse } from './graph.js';

/**
 * Browser <-> server over WebSocket `/api/v1/live`. The browser subscribes with the URL's query string
 * (the shared filter) and may resubscribe at any time; the server sends one update a second.
 */
export const LiveSubscribe = Type.Object({
  type: Type.Literal('subscribe'),
  /** The filter as a query string, e.g. `level=pod&namespace=production`. */
  filter: Type.String({ maxLength: 4096 }),
});
export type LiveSubscribe = Static<typeof LiveSubscribe>;

export const LiveSummary = Type.Object({
  bytesPerSec: Type.Number(),
  packetsPerSec: Type.Number(),
  dropsPerSec: Type.Number(),
  dnsQueriesPerSec: Type.Number(),
  dnsErrorRate: Type.Number(),
  tcpConnectsPerSec: Type.Number(),
  tcpFailuresPerSec: Type.Number(),
  alertsFiring: Type.Integer(),
  alertsPending: Type.Integer(),
  collectors: Type.Integer(),
});
export type LiveSummary = Static<typeof LiveSummary>;

export const LiveUpdate = Type.Object({
  type: Type.Literal('update'),
  seq: Type.Integer(),
  ts: Type.Number(),
  graph: GraphResponse,
  summary: LiveSummary,
  simulated: Type.Boolean(),
});
export type LiveUpdate = Static<typeof LiveUpdate>;

export const LiveError = Type.Object({
  type: Type.Literal('error'),
  message: Type.String(),
  issues: Type.Array(Type.Object({ param: Type.String(), value: Type.String(), reason: Type.String() })),
});
export type LiveError = Static<typeof LiveError>;

export const LiveServerMessage = Type.Union([LiveUpdate, LiveError]);
export type LiveServerMessage = Static<typeof LiveServerMessage>;
