import { type Static, Type } from 'typebox';

/**
 * A lab cluster declared as data: nodes, namespaces, pods, headless services, external endpoints,
 * and the traffic that runs between them. Addresses are not declared: the address plan derives them
 * from the lab prefix, so two labs with different prefixes never collide on one host.
 * Items marked `trouble` belong to the default scenario only (`clean` leaves them out).
 */
const DNS_LABEL = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$';
const DNS_SUBDOMAIN = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$';

const Label = Type.String({ pattern: DNS_LABEL, maxLength: 63 });
const Subdomain = Type.String({ pattern: DNS_SUBDOMAIN, maxLength: 253 });
const LabelMap = Type.Record(
  Type.String({ pattern: '^[A-Za-z0-9]([A-Za-z0-9._/-]{0,251}[A-Za-z0-9])?$' }),
  Type.String({ pattern: '^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$' }),
);
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
/** A scenario fault's id: `s1`, `s2`, ... (user faults are `f1`, `f2`, ...). */
const FaultId = Type.String({ pattern: '^s[1-9][0-9]?$' });

export const AppProtocol = Type.Union([Type.Literal('http'), Type.Literal('kv'), Type.Literal('dns')]);
/** http: HTTP/1.1; kv: a line-based request/response protocol standing in for postgres/redis; dns: the lab DNS. */
export type AppProtocol = Static<typeof AppProtocol>;

export const WorkloadKind = Type.Union([
  Type.Literal('Deployment'),
  Type.Literal('StatefulSet'),
  Type.Literal('DaemonSet'),
  Type.Literal('Job'),
  Type.Literal('CronJob'),
  Type.Literal('ReplicaSet'),
  Type.Literal('Pod'),
]);
export type WorkloadKind = Static<typeof WorkloadKind>;

export const TopologyNode = Type.Object({ name: Subdomain }, { additionalProperties: false });
export type TopologyNode = Static<typeof TopologyNode>;

export const TopologyPod = Type.Object(
  {
    name: Type.String({ pattern: DNS_SUBDOMAIN, maxLength: 63 }),
    namespace: Label,
    node: Subdomain,
    workloadKind: WorkloadKind,
    workload: Subdomain,
    labels: LabelMap,
    trouble: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type TopologyPod = Static<typeof TopologyPod>;

export const ServicePort = Type.Object(
  {
    name: Type.Optional(Label),
    port: Port,
    protocol: Type.Union([Type.Literal('TCP'), Type.Literal('UDP')]),
    appProtocol: AppProtocol,
  },
  { additionalProperties: false },
);
export type ServicePort = Static<typeof ServicePort>;

export const TopologyService = Type.Object(
  {
    name: Label,
    namespace: Label,
    selector: LabelMap,
    ports: Type.Array(ServicePort, { minItems: 1, maxItems: 16 }),
  },
  { additionalProperties: false },
);
export type TopologyService = Static<typeof TopologyService>;

/** An endpoint outside the cluster, served from the lab's `world` namespace (TEST-NET addresses). */
export const TopologyExternal = Type.Object(
  {
    name: Subdomain,
    ports: Type.Array(
      Type.Object({ port: Port, appProtocol: Type.Union([Type.Literal('http'), Type.Literal('kv')]) }),
      { minItems: 1, maxItems: 8 },
    ),
  },
  { additionalProperties: false },
);
export type TopologyExternal = Static<typeof TopologyExternal>;

export const WorkloadRef = Type.Object(
  { namespace: Label, workload: Subdomain },
  { additionalProperties: false },
);
export type WorkloadRef = Static<typeof WorkloadRef>;

export const TrafficFlow = Type.Object(
  {
    name: Label,
    /** Every pod of this workload runs the generator. */
    from: WorkloadRef,
    /** `<service>.<namespace>` or an external name. Resolved through the lab DNS before each request. */
    to: Subdomain,
    port: Port,
    /** Requests per second, per client pod. */
    ratePerSec: Type.Number({ exclusiveMinimum: 0, maximum: 1000 }),
    requestBytes: Type.Integer({ minimum: 0, maximum: 16 * 1024 * 1024 }),
    responseBytes: Type.Integer({ minimum: 0, maximum: 16 * 1024 * 1024 }),
    /** Address family used to connect (default 4). */
    family: Type.Optional(Type.Union([Type.Literal(4), Type.Literal(6)])),
    /** `one`: one backend per request, round robin; `all`: each backend at the rate (scrapes). */
    fanout: Type.Optional(Type.Union([Type.Literal('one'), Type.Literal('all')])),
    /** The id of one of `faults`: this client runs only while that fault is on (it is the fault's). */
    fault: Type.Optional(FaultId),
    trouble: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type TrafficFlow = Static<typeof TrafficFlow>;

/** DNS lookups that lead to no connection (a name that does not exist, for instance). */
export const TopologyLookup = Type.Object(
  {
    from: WorkloadRef,
    name: Subdomain,
    ratePerSec: Type.Number({ exclusiveMinimum: 0, maximum: 1000 }),
    /** As on traffic: these lookups run only while that fault is on. */
    fault: Type.Optional(FaultId),
    trouble: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type TopologyLookup = Static<typeof TopologyLookup>;

/** An ingress network policy that drops packets from one workload to the selected pods. */
export const TopologyPolicy = Type.Object(
  {
    name: Label,
    namespace: Label,
    podSelector: LabelMap,
    denyFrom: WorkloadRef,
    trouble: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type TopologyPolicy = Static<typeof TopologyPolicy>;

export const TopologyDns = Type.Object(
  {
    /** Every n-th answer is delayed by slowMs ("a slow DNS answer now and then"). */
    slowEvery: Type.Integer({ minimum: 1 }),
    slowMs: Type.Integer({ minimum: 1, maximum: 10_000 }),
    trouble: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type TopologyDns = Static<typeof TopologyDns>;

/**
 * A fault the lab starts with: `fault` is what `weft lab fault add` takes (kind and options), checked
 * by parseFaultSpec. While the lab runs it is a fault like the others (listed, cleared, put back by id).
 */
export const TopologyFault = Type.Object(
  {
    id: FaultId,
    fault: Type.Record(
      Type.String({ maxLength: 40 }),
      Type.Union([Type.String({ maxLength: 253 }), Type.Number()]),
    ),
    trouble: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type TopologyFault = Static<typeof TopologyFault>;

export const Topology = Type.Object(
  {
    version: Type.Literal(1),
    nodes: Type.Array(TopologyNode, { minItems: 1, maxItems: 9 }),
    namespaces: Type.Array(Label, { minItems: 1, maxItems: 64 }),
    pods: Type.Array(TopologyPod, { minItems: 1, maxItems: 200 }),
    services: Type.Array(TopologyService, { maxItems: 200 }),
    external: Type.Optional(Type.Array(TopologyExternal, { maxItems: 4 })),
    traffic: Type.Array(TrafficFlow, { maxItems: 200 }),
    lookups: Type.Optional(Type.Array(TopologyLookup, { maxItems: 64 })),
    policies: Type.Optional(Type.Array(TopologyPolicy, { maxItems: 64 })),
    dns: Type.Optional(TopologyDns),
    faults: Type.Optional(Type.Array(TopologyFault, { maxItems: 16 })),
  },
  { additionalProperties: false },
);
export type Topology = Static<typeof Topology>;

export const CLUSTER_DOMAIN = 'cluster.local';

export function serviceFqdn(service: string, namespace: string): string {
  return `${service}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}
