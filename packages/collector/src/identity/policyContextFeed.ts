import {
  type ContextPod,
  MAX_CONTEXT_CHANGES,
  MAX_CONTEXT_NAMESPACES,
  MAX_CONTEXT_PODS,
  MAX_CONTEXT_POLICIES,
  type ObjectChange,
  type PolicyContext,
} from '@weft/protocol/core';
import { ObjectChangeTracker } from './objectChangeTracker.js';

type Labels = Record<string, string>;

/** A NetworkPolicy object as kept: what the server's parser reads, and its creation time. */
export interface KeptPolicy {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; creationTimestamp?: string };
  spec?: unknown;
}

/**
 * What NetworkPolicies are evaluated against, as this collector knows it: the cluster's namespaces
 * (labels) and policies, and its own node's pods (labels, addresses). The identity sources keep it
 * current; the ingest clients send its message after each welcome and whenever it changed.
 */
export class PolicyContextFeed {
  private readonly namespaces = new Map<string, Labels>();
  private readonly policies = new Map<string, KeptPolicy>();
  private readonly pods = new Map<string, ContextPod>();
  private version = 0;
  private cached: { version: number; withChanges: boolean; text: string } | null = null;
  private synced = false;
  private changes: ObjectChange[] = [];
  /** Services, EndpointSlices, workloads and pods as watched: their changes ride along with the context. */
  readonly objects = new ObjectChangeTracker((list) => {
    this.changes = list;
    this.version++;
  });

  constructor(private readonly node: string) {}

  /**
   * The namespaces and policies have been listed once: until then there is no message, so a
   * collector starting up never tells the server that every policy is gone.
   */
  markSynced(): void {
    this.synced = true;
  }

  upsertNamespace(name: string, labels: Labels): void {
    this.namespaces.set(name, labels);
    this.version++;
  }

  deleteNamespace(name: string): void {
    if (this.namespaces.delete(name)) this.version++;
  }

  replaceNamespaces(list: readonly { name: string; labels: Labels }[]): void {
    this.namespaces.clear();
    for (const ns of list) this.namespaces.set(ns.name, ns.labels);
    this.version++;
  }

  upsertPolicy(p: KeptPolicy): void {
    this.policies.set(`${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`, p);
    this.version++;
  }

  deletePolicy(namespace: string, name: string): void {
    if (this.policies.delete(`${namespace}/${name}`)) this.version++;
  }

  replacePolicies(list: readonly KeptPolicy[]): void {
    this.policies.clear();
    for (const p of list) this.upsertPolicy(p);
    this.version++;
  }

  /** A pod of any node: only this node's are sent (the other nodes' collectors send theirs). */
  upsertPod(uid: string, pod: ContextPod & { node: string }): void {
    if (pod.node !== this.node) {
      this.deletePod(uid);
      return;
    }
    this.pods.set(uid, { namespace: pod.namespace, name: pod.name, ips: pod.ips, labels: pod.labels });
    this.version++;
  }

  deletePod(uid: string): void {
    if (this.pods.delete(uid)) this.version++;
  }

  replacePods(list: readonly (ContextPod & { node: string; uid: string })[]): void {
    this.pods.clear();
    for (const p of list) this.upsertPod(p.uid, p);
    this.version++;
  }

  /**
   * The context as it is now, serialized once per change (the same string until the next one); null
   * before it synced. `withChanges`: the object changes too (a server that said it takes them).
   */
  message(withChanges = true): string | null {
    if (!this.synced) return null;
    if (this.cached?.version !== this.version || this.cached.withChanges !== withChanges) {
      const msg: PolicyContext = {
        type: 'policy_context',
        // Past the server's bounds the rest is left out (a selector over it then matches less), not the message refused.
        namespaces: [...this.namespaces]
          .slice(0, MAX_CONTEXT_NAMESPACES)
          .map(([name, labels]) => ({ name, labels })),
        policies: [...this.policies.values()].slice(0, MAX_CONTEXT_POLICIES),
        pods: [...this.pods.values()].slice(0, MAX_CONTEXT_PODS),
        ...(withChanges && this.changes.length ? { changes: this.changes.slice(-MAX_CONTEXT_CHANGES) } : {}),
      };
      this.cached = { version: this.version, withChanges, text: JSON.stringify(msg) };
    }
    return this.cached.text;
  }
}
