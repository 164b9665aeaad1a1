import { type Static, Type } from 'typebox';
import { SourceFields } from './dataSource.js';

/** `/api/v1/graph` and the graph inside live updates. */
export const GraphNodeKind = Type.Union([
  Type.Literal('namespace'),
  Type.Literal('workload'),
  Type.Literal('pod'),
  Type.Literal('node'),
  Type.Literal('service'),
  Type.Literal('world'),
  Type.Literal('host'),
  Type.Literal('others'),
]);
export type GraphNodeKind = Static<typeof GraphNodeKind>;

export const GraphNode = Type.Object({
  /** Stable across updates; the scheme is nodeId.ts (`ns:`, `wl:`, `pod:`, `svc:`, `node:`, `host:`, `world`, `others`). */
  id: Type.String(),
  kind: GraphNodeKind,
  label: Type.String(),
  namespace: Type.String(),
  /** Compound parent (the namespace node's id) when the level nests. */
  parent: Type.Optional(Type.String()),
  workloadKind: Type.Optional(Type.String()),
  node: Type.Optional(Type.String()),
  /** True for CoreDNS-like endpoints (they answered DNS in the window). */
  dns: Type.Optional(Type.Boolean()),
  bytesPerSec: Type.Number(),
  dropsPerSec: Type.Number(),
  /** How many members an `others` node folds. */
  members: Type.Optional(Type.Integer()),
});
export type GraphNode = Static<typeof GraphNode>;

/** At most this many ports are listed on an edge; `portsMore` counts the rest. */
export const MAX_EDGE_PORTS = 8;

/**
 * One service port of an edge with its own health. The health fields are present only when non-zero
 * (an edge's ports are its sums split by port: their connects add up to the edge's tcpConnects, and so
 * on). Failure causes split `tcpFailures`: refused + timeouts + resets = tcpFailures.
 */
export const PortProto = Type.Object({
  port: Type.Integer(),
  proto: Type.String(),
  bytesPerSec: Type.Number(),
  tcpConnects: Type.Optional(Type.Integer()),
  tcpFailures: Type.Optional(Type.Integer()),
  refused: Type.Optional(Type.Integer()),
  timeouts: Type.Optional(Type.Integer()),
  resets: Type.Optional(Type.Integer()),
  dropsPerSec: Type.Optional(Type.Number()),
  /** The reason most of this port's drops gave. */
  dropReason: Type.Optional(Type.String()),
  dnsQueries: Type.Optional(Type.Integer()),
  dnsErrors: Type.Optional(Type.Integer()),
  /**
   * With dnsErrors: the failing answer the edge's client got most often in the window (its name as the
   * client asked it, the response code, how many times), from the client's DNS series.
   */
  dnsFailure: Type.Optional(
    Type.Object({ qname: Type.String(), rcode: Type.String(), count: Type.Integer() }),
  ),
  /**
   * With dnsQueries: the 95th percentile of the answer times (ms, to a tenth) the edge's client got in
   * the window, from the client's DNS series as dnsFailure (timeouts have no answer time).
   */
  dnsP95Ms: Type.Optional(Type.Number()),
});
export type PortProto = Static<typeof PortProto>;

/**
 * What `compare` marks on an edge: it is new (no traffic in the baseline), vanished (traffic only in the
 * baseline; the edge is kept with zero rates so the map can draw it), or its drops, TCP failures or DNS
 * errors appeared or rose past the server's change threshold.
 */
export const EdgeChangeKind = Type.Union([
  Type.Literal('new'),
  Type.Literal('vanished'),
  Type.Literal('drops_rose'),
  Type.Literal('failures_rose'),
  Type.Literal('dns_errors_rose'),
]);
export type EdgeChangeKind = Static<typeof EdgeChangeKind>;

export const GraphEdge = Type.Object({
  /** `<source>-><target>` */
  id: Type.String(),
  /** Client side (who opened the connection or sent the query). */
  source: Type.String(),
  /** Server side. */
  target: Type.String(),
  /**
   * Service ports, biggest first: at most MAX_EDGE_PORTS, those with a problem (failures, drops, DNS
   * errors) kept before quiet ones when there are more.
   */
  ports: Type.Array(PortProto),
  /** How many more ports the edge had than `ports` lists (absent when none). */
  portsMore: Type.Optional(Type.Integer()),
  /** Both directions of the conversation, per second over the window. */
  bytesPerSec: Type.Number(),
  packetsPerSec: Type.Number(),
  dropsPerSec: Type.Number(),
  dropReasons: Type.Record(Type.String(), Type.Number()),
  tcpConnects: Type.Integer(),
  tcpFailures: Type.Integer(),
  connectLatencyP50Ms: Type.Union([Type.Number(), Type.Null()]),
  connectLatencyP95Ms: Type.Union([Type.Number(), Type.Null()]),
  rttMs: Type.Union([Type.Number(), Type.Null()]),
  retransmits: Type.Integer(),
  dnsQueries: Type.Integer(),
  dnsErrors: Type.Integer(),
  /** With `compare`: how this edge differs from the baseline window (absent when it does not). */
  changes: Type.Optional(Type.Array(EdgeChangeKind)),
  /** With `compare`: the edge's figures in the baseline window (absent when it had no traffic then). */
  baseline: Type.Optional(
    Type.Object({
      bytesPerSec: Type.Number(),
      dropsPerSec: Type.Number(),
      tcpFailures: Type.Integer(),
      dnsErrors: Type.Integer(),
    }),
  ),
});
export type GraphEdge = Static<typeof GraphEdge>;

export const TimeModeSchema = Type.Union([Type.Literal('live'), Type.Literal('at'), Type.Literal('range')]);

export const GraphResponse = Type.Object({
  level: Type.String(),
  /** Which form of time answered (timeSelection.ts); start/end are the window actually used. */
  mode: TimeModeSchema,
  start: Type.Number(),
  end: Type.Number(),
  /** With `compare`: the baseline window used. */
  baseline: Type.Optional(Type.Object({ start: Type.Number(), end: Type.Number() })),
  nodes: Type.Array(GraphNode),
  edges: Type.Array(GraphEdge),
  /** Nodes folded into `others` nodes because the level was too dense. */
  folded: Type.Integer(),
  simulated: Type.Boolean(),
  ...SourceFields,
});
export type GraphResponse = Static<typeof GraphResponse>;
