/**
 * The few fields of Kubernetes API objects the collector reads, typed by hand (the generated models
 * of a client library cost tens of MB of memory for four kinds). Everything is optional: the
 * collector reads what the API server sent and skips what it cannot use.
 */

export interface OwnerReference {
  kind: string;
  name: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

export interface KubeObject {
  metadata?: ObjectMeta;
}

export interface Pod extends KubeObject {
  spec?: { nodeName?: string; hostNetwork?: boolean };
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: { ip?: string }[];
    containerStatuses?: { restartCount?: number }[];
  };
}

export interface Service extends KubeObject {
  spec?: {
    clusterIP?: string;
    clusterIPs?: string[];
    selector?: Record<string, string>;
    type?: string;
    ports?: unknown[];
  };
}

export interface Node extends KubeObject {
  status?: { addresses?: { type: string; address: string }[] };
}

export type ReplicaSet = KubeObject;

/** A Deployment, StatefulSet or DaemonSet: its pod template is what a rollout changes. */
export interface Workload extends KubeObject {
  spec?: { template?: unknown };
}

export interface EndpointSlice extends KubeObject {
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean | null } }[];
  ports?: { name?: string; port?: number; protocol?: string }[];
}

export type Namespace = KubeObject;

/** Kept whole (spec as served): the server's policy parser reads it. */
export interface NetworkPolicyObject extends KubeObject {
  apiVersion?: string;
  kind?: string;
  spec?: unknown;
}

/** A list answer: items plus the resourceVersion to watch from and, when paged, the next page's token. */
export interface KubeList {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

/** The API's error body (also the object of a watch ERROR event). */
export interface Status {
  kind: 'Status';
  code?: number;
  reason?: string;
  message?: string;
}

/** One line of a watch stream. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject | Status;
}
