import { type Static, Type } from 'typebox';

/** `/api/v1/status` */
export const CollectorStatus = Type.Object({
  node: Type.String(),
  boot: Type.String(),
  version: Type.String(),
  /** The first hooks the collector listed (the server keeps a bounded number). */
  hooks: Type.Array(Type.String()),
  /** How many hooks the collector listed in all. */
  hooksTotal: Type.Optional(Type.Integer({ minimum: 0 })),
  simulated: Type.Boolean(),
  connected: Type.Boolean(),
  connectedAt: Type.Number(),
  lastSeen: Type.Number(),
  /** ms between the end of the newest batch's interval and its arrival */
  lagMs: Type.Number(),
  batches: Type.Integer(),
  rejected: Type.Integer(),
  recordsLost: Type.Integer(),
});
export type CollectorStatus = Static<typeof CollectorStatus>;

export const StatusResponse = Type.Object({
  version: Type.String(),
  uptimeS: Type.Number(),
  simulated: Type.Boolean(),
  collectors: Type.Array(CollectorStatus),
});
export type StatusResponse = Static<typeof StatusResponse>;
