import { type Static, Type } from 'typebox';

/**
 * A static description of a cluster's endpoints: what the lab writes when it builds its cluster, and
 * what the collector's file identity source reads (JSON) for anything without a Kubernetes API.
 */
export const InventoryPod = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 253 }),
  namespace: Type.String({ minLength: 1, maxLength: 63 }),
  /** IPv4 and/or IPv6 addresses. */
  ips: Type.Array(Type.String(), { minItems: 1, maxItems: 4 }),
  node: Type.String({ maxLength: 253 }),
  workloadKind: Type.String({ maxLength: 64 }),
  workload: Type.String({ maxLength: 253 }),
  labels: Type.Record(Type.String(), Type.String()),
  /** Host-side veth of the pod (the probe attaches here), when known. */
  hostIfname: Type.Optional(Type.String({ maxLength: 15 })),
  /**
   * The pod's network namespace as `ip netns` names it (a file in /run/netns), when several nodes
   * share one kernel (the lab): a drop the kernel reports in it is this pod's node's to count.
   */
  netns: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' })),
});
export type InventoryPod = Static<typeof InventoryPod>;

export const InventoryService = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 253 }),
  namespace: Type.String({ minLength: 1, maxLength: 63 }),
  clusterIPs: Type.Array(Type.String(), { maxItems: 4 }),
  ports: Type.Array(
    Type.Object({ port: Type.Integer(), protocol: Type.String(), targetPort: Type.Optional(Type.Integer()) }),
  ),
  selector: Type.Record(Type.String(), Type.String()),
});
export type InventoryService = Static<typeof InventoryService>;

export const InventoryNode = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 253 }),
  ips: Type.Array(Type.String(), { maxItems: 8 }),
  /** Pod CIDRs of the node (lab bridges), for telling pods from unknown addresses. */
  podCIDRs: Type.Optional(Type.Array(Type.String())),
});
export type InventoryNode = Static<typeof InventoryNode>;

/** A namespace with its labels (kubernetes.io/metadata.name at least), for namespaceSelectors. */
export const InventoryNamespace = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 63 }),
  labels: Type.Record(Type.String(), Type.String()),
});
export type InventoryNamespace = Static<typeof InventoryNamespace>;

export const Inventory = Type.Object({
  version: Type.Literal(1),
  /** True when it describes the simulated lab. */
  simulated: Type.Optional(Type.Boolean()),
  nodes: Type.Array(InventoryNode),
  pods: Type.Array(InventoryPod),
  services: Type.Array(InventoryService),
  /** Absent in inventories written before namespaces carried labels. */
  namespaces: Type.Optional(Type.Array(InventoryNamespace)),
  /**
   * The NetworkPolicies in force, as networking.k8s.io/v1 objects (metadata, spec): the lab's applied
   * ones. Read by @weft/policy's parser, which names what it cannot take.
   */
  policies: Type.Optional(Type.Array(Type.Unknown())),
});
export type Inventory = Static<typeof Inventory>;
