/** What policies are evaluated against: namespaces with their labels and pods with theirs. */

export interface WorldNamespace {
  name: string;
  /** Should carry kubernetes.io/metadata.name (Kubernetes sets it on every namespace). */
  labels: Record<string, string>;
}

export interface ContainerPort {
  name: string;
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

export interface WorldPod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  ips: string[];
  /** Named container ports, for policies that name a port. */
  ports?: ContainerPort[];
}

export interface World {
  namespaces: WorldNamespace[];
  pods: WorldPod[];
}

/** A flow end: a pod by name (with the address used, if known) or a bare address. */
export type FlowEnd = { namespace: string; name: string; ip?: string } | { ip: string };

export interface Flow {
  src: FlowEnd;
  dst: FlowEnd;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  /** Destination port. */
  port: number;
}
