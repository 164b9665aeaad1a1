import { type Static, Type } from 'typebox';
import { SourceFields } from './dataSource.js';

/** `/api/v1/dns` */
export const FailingName = Type.Object({
  qname: Type.String(),
  rcode: Type.String(),
  count: Type.Integer(),
});
export type FailingName = Static<typeof FailingName>;

export const DnsClient = Type.Object({
  namespace: Type.String(),
  pod: Type.String(),
  queries: Type.Integer(),
  errors: Type.Integer(),
  errorRate: Type.Number(),
  p50Ms: Type.Union([Type.Number(), Type.Null()]),
  p95Ms: Type.Union([Type.Number(), Type.Null()]),
  p99Ms: Type.Union([Type.Number(), Type.Null()]),
  rcodes: Type.Record(Type.String(), Type.Integer()),
  topFailing: Type.Array(FailingName),
});
export type DnsClient = Static<typeof DnsClient>;

export const DnsResponse = Type.Object({
  start: Type.Number(),
  end: Type.Number(),
  queries: Type.Integer(),
  errors: Type.Integer(),
  p50Ms: Type.Union([Type.Number(), Type.Null()]),
  p95Ms: Type.Union([Type.Number(), Type.Null()]),
  p99Ms: Type.Union([Type.Number(), Type.Null()]),
  rcodes: Type.Record(Type.String(), Type.Integer()),
  topFailing: Type.Array(FailingName),
  clients: Type.Array(DnsClient),
  ...SourceFields,
});
export type DnsResponse = Static<typeof DnsResponse>;
