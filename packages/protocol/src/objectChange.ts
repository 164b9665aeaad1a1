import { type Static, Type } from 'typebox';

/** The Kubernetes kinds whose changes Weft records besides NetworkPolicies ("what changed"). */
export const ChangedObjectKind = Type.Union([
  Type.Literal('Service'),
  Type.Literal('EndpointSlice'),
  Type.Literal('Deployment'),
  Type.Literal('StatefulSet'),
  Type.Literal('DaemonSet'),
  Type.Literal('Pod'),
]);
export type ChangedObjectKind = Static<typeof ChangedObjectKind>;

/**
 * A change a collector saw through its list/watch after the first list (the initial list is never a
 * change): a Service created, its selector/ports/type updated, or deleted; an EndpointSlice's ready
 * endpoints or ports changed; a workload's pod template changed (`rolled_out`); a pod's containers
 * restarted, or the pod deleted (replaced, for a controller's pod). Status-only updates are not changes.
 */
export const ObjectChange = Type.Object(
  {
    /** `<uid>@<resourceVersion>:<change>` (uid: `ns/name` when the object has none): the same change seen by several collectors is kept once. */
    id: Type.String({ minLength: 1, maxLength: 400 }),
    /** ms since epoch: when the collector's watch delivered it. */
    at: Type.Number(),
    kind: ChangedObjectKind,
    change: Type.Union([
      Type.Literal('created'),
      Type.Literal('updated'),
      Type.Literal('deleted'),
      Type.Literal('rolled_out'),
      Type.Literal('restarted'),
    ]),
    namespace: Type.String({ minLength: 1, maxLength: 63 }),
    name: Type.String({ minLength: 1, maxLength: 253 }),
    /**
     * What it belongs to, to match a diagnose subject: a pod's workload, an EndpointSlice's Service
     * (its kubernetes.io/service-name label); the object's own name otherwise.
     */
    owner: Type.String({ maxLength: 253 }),
    /** Plain words on what changed: "restarts 3 -> 4", "ready endpoints 3 -> 2", "ports". */
    detail: Type.String({ maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type ObjectChange = Static<typeof ObjectChange>;
