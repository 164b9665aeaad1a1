import { type Static, Type } from 'typebox';
import { SourceFields } from './dataSource.js';

/** `/api/v1/drops` */
export const DropPair = Type.Object({
  source: Type.String(),
  destination: Type.String(),
  reason: Type.String(),
  direction: Type.String(),
  packets: Type.Integer(),
  bytes: Type.Integer(),
});
export type DropPair = Static<typeof DropPair>;

export const DropsResponse = Type.Object({
  start: Type.Number(),
  end: Type.Number(),
  packets: Type.Integer(),
  bytes: Type.Integer(),
  byReason: Type.Array(
    Type.Object({ reason: Type.String(), packets: Type.Integer(), bytes: Type.Integer() }),
  ),
  byDirection: Type.Array(Type.Object({ direction: Type.String(), packets: Type.Integer() })),
  topPairs: Type.Array(DropPair),
  ...SourceFields,
});
export type DropsResponse = Static<typeof DropsResponse>;
