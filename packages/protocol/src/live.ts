import { type Static, type TObject, Type } from 'typebox';
import { GraphEdge, GraphNode, GraphResponse } from './graph.js';

/**
 * Browser <-> server over WebSocket `/api/v1/live`. The browser subscribes with the URL's query string
 * (the shared filter) and may resubscribe at any time. The server answers a subscribe with the whole
 * graph (`update`), then once a second sends what changed since the message before (`delta`), or the
 * whole graph again when the client fell behind. A client that finds a delta not following the message
 * it holds (`base` is not the `seq` it applied) asks for the whole graph with `resync`.
 */
export const LiveSubscribe = Type.Object({
  type: Type.Literal('subscribe'),
  /** The filter as a query string, e.g. `level=pod&namespace=production`. */
  filter: Type.String({ maxLength: 4096 }),
  /**
   * The client's number for this subscription, echoed on every update and delta answering it, so that
   * messages still in flight for the one before are told apart.
   */
  sub: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 })),
});
export type LiveSubscribe = Static<typeof LiveSubscribe>;

/** "The graph I hold is not the server's last one": the next message is the whole graph. */
export const LiveResync = Type.Object({ type: Type.Literal('resync') });
export type LiveResync = Static<typeof LiveResync>;

export const LiveClientMessage = Type.Union([LiveSubscribe, LiveResync]);
export type LiveClientMessage = Static<typeof LiveClientMessage>;

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

/** The whole graph: the answer to a subscribe or a resync, and after the client fell behind. */
export const LiveUpdate = Type.Object({
  type: Type.Literal('update'),
  seq: Type.Integer(),
  /** The subscribe's `sub`, when it had one. */
  sub: Type.Optional(Type.Integer()),
  ts: Type.Number(),
  graph: GraphResponse,
  summary: LiveSummary,
  simulated: Type.Boolean(),
});
export type LiveUpdate = Static<typeof LiveUpdate>;

/** A graph's fields other than its nodes and edges (level, window, folded, source...). */
export const GraphHead = Type.Omit(GraphResponse, ['nodes', 'edges']);
export type GraphHead = Static<typeof GraphHead>;

/**
 * How one list (nodes or edges, each keyed by `id`) changed: `put` the items that are new or changed
 * shape (an optional field came or went), whole; `patch` for the others that changed, their id and the
 * fields whose values differ; `remove` the ids gone.
 */
function itemChanges<T extends TObject>(item: T) {
  return Type.Object({
    put: Type.Array(item),
    patch: Type.Array(Type.Intersect([Type.Partial(item), Type.Object({ id: Type.String() })])),
    remove: Type.Array(Type.String()),
  });
}
export const NodeChanges = itemChanges(GraphNode);
export type NodeChanges = Static<typeof NodeChanges>;
export const EdgeChanges = itemChanges(GraphEdge);
export type EdgeChanges = Static<typeof EdgeChanges>;

/**
 * What changed since the message numbered `base`: applied to that message's graph (graphDelta.ts
 * applyGraphDelta) it gives this round's graph, exactly as an `update` would carry it.
 */
export const LiveDelta = Type.Object({
  type: Type.Literal('delta'),
  seq: Type.Integer(),
  base: Type.Integer(),
  sub: Type.Optional(Type.Integer()),
  ts: Type.Number(),
  head: GraphHead,
  nodes: NodeChanges,
  edges: EdgeChanges,
  summary: LiveSummary,
  simulated: Type.Boolean(),
});
export type LiveDelta = Static<typeof LiveDelta>;

export const LiveError = Type.Object({
  type: Type.Literal('error'),
  message: Type.String(),
  issues: Type.Array(Type.Object({ param: Type.String(), value: Type.String(), reason: Type.String() })),
});
export type LiveError = Static<typeof LiveError>;

export const LiveServerMessage = Type.Union([LiveUpdate, LiveDelta, LiveError]);
export type LiveServerMessage = Static<typeof LiveServerMessage>;
