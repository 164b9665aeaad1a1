import { type Static, Type } from 'typebox';

/**
 * Who is behind an address. `pod` and `service` come from the identity source; `host` is a node's
 * own address; `world` is anything outside the cluster. Empty strings mean "not known / not applicable"
 * so the shape is fixed (cheap to hash, and every label exists).
 */
export const EndpointKind = Type.Union([
  Type.Literal('pod'),
  Type.Literal('service'),
  Type.Literal('host'),
  Type.Literal('world'),
]);
export type EndpointKind = Static<typeof EndpointKind>;

export const Endpoint = Type.Object(
  {
    ip: Type.String({ maxLength: 64 }),
    kind: EndpointKind,
    namespace: Type.String({ maxLength: 253 }),
    /** Pod name, service name, node name (host) or `world`. */
    name: Type.String({ maxLength: 253 }),
    /** Deployment, StatefulSet, DaemonSet, Job, CronJob, ReplicaSet (unowned) or Pod (bare). */
    workloadKind: Type.String({ maxLength: 64 }),
    workload: Type.String({ maxLength: 253 }),
    /** For pods: the first service selecting it; for services: the service name. */
    service: Type.String({ maxLength: 253 }),
    node: Type.String({ maxLength: 253 }),
  },
  // A sender's extra fields would be kept and hashed with every record that names the endpoint.
  { additionalProperties: false },
);
export type Endpoint = Static<typeof Endpoint>;
