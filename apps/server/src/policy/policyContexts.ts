import {
  type NetworkPolicy,
  PolicyError,
  PolicyEvaluator,
  type PolicyRef,
  parsePolicies,
  policyKey,
  type World,
} from '@weft/policy';
import type { ContextPod, InventoryNamespace, PolicyContext } from '@weft/protocol';
import { ObjectChangeLog } from '../changes/objectChangeLog.js';

/** A policy as the server holds it: checked, with when it was created (the API's creationTimestamp). */
export interface KnownPolicy {
  policy: NetworkPolicy;
  createdAt: number | null;
  /** Its spec as sent, to tell an update from a resend. */
  spec: string;
}

/** A NetworkPolicy appearing, changing or going, as the policy context showed it. */
export interface PolicyChange {
  at: number;
  change: 'created' | 'updated' | 'deleted';
  policy: PolicyRef;
}

interface NodeView {
  pods: readonly ContextPod[];
  namespaces: readonly InventoryNamespace[];
  policies: Map<string, KnownPolicy>;
  unreadable: { policy: string; reason: string }[];
}

/** Changes kept for the timeline and Diagnose, oldest dropped first. */
const MAX_CHANGES = 2_000;
/** Parsed policies kept by their text, so a resend (every collector sends the same) is not parsed again. */
const MAX_PARSED = 50_000;

type RawPolicy = { metadata?: { name?: unknown; namespace?: unknown; creationTimestamp?: unknown } };

/**
 * What the collectors said NetworkPolicies are evaluated against: each node's pods (the union is every
 * pod a collector names), and the cluster's namespaces and policies as one collector sees them (the
 * first connected node by name that sent any, so two collectors a moment apart never make a policy
 * flap). A policy the parser refuses is left out and named (`unreadable`).
 */
export class PolicyContexts {
  private readonly views = new Map<string, NodeView>();
  private readonly parsed = new Map<string, { policy: NetworkPolicy } | { error: string }>();
  private leader = '';
  private evaluator: PolicyEvaluator | null = null;
  private readonly changeLog: PolicyChange[] = [];
  /** The other objects' changes the contexts bring (Services, EndpointSlices, workloads, pods). */
  readonly objects = new ObjectChangeLog();

  constructor(private readonly connected: () => ReadonlySet<string> = () => new Set()) {}

  /** Whether any collector has sent a context (without one, nothing can be said of policies). */
  get known(): boolean {
    return this.views.size > 0;
  }

  take(node: string, msg: PolicyContext, now: number): void {
    const policies = new Map<string, KnownPolicy>();
    const unreadable: NodeView['unreadable'] = [];
    for (const raw of msg.policies) {
      const r = this.parse(raw);
      const meta = (raw as RawPolicy).metadata;
      if ('error' in r) {
        unreadable.push({
          policy: `${String(meta?.namespace ?? '')}/${String(meta?.name ?? '')}`,
          reason: r.error,
        });
        continue;
      }
      const created =
        typeof meta?.creationTimestamp === 'string' ? Date.parse(meta.creationTimestamp) : Number.NaN;
      policies.set(policyKey(r.policy), {
        policy: r.policy,
        createdAt: Number.isFinite(created) ? created : null,
        spec: JSON.stringify((raw as { spec?: unknown }).spec ?? null),
      });
    }
    if (msg.changes) this.objects.take(msg.changes);
    const before = this.leaderView();
    this.views.set(node, { pods: msg.pods, namespaces: msg.namespaces, policies, unreadable });
    this.chooseLeader();
    const after = this.leaderView();
    if (after && after !== before) this.record(before?.policies ?? null, after.policies, now);
    this.evaluator = null;
  }

  /** The evaluator over the current view, made once per change. */
  current(): PolicyEvaluator | null {
    if (!this.known) return null;
    this.evaluator ??= new PolicyEvaluator(
      this.policies().map((k) => k.policy),
      this.world(),
    );
    return this.evaluator;
  }

  policies(): KnownPolicy[] {
    return [...(this.leaderView()?.policies.values() ?? [])];
  }

  unreadable(): NodeView['unreadable'] {
    return this.leaderView()?.unreadable ?? [];
  }

  world(): World {
    const pods = [];
    for (const v of this.views.values())
      for (const p of v.pods)
        pods.push({ namespace: p.namespace, name: p.name, labels: p.labels, ips: p.ips });
    return { namespaces: [...(this.leaderView()?.namespaces ?? [])], pods };
  }

  /** Policy creations, updates and deletions in [from, to], oldest first. */
  changes(from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): PolicyChange[] {
    return this.changeLog.filter((c) => c.at >= from && c.at <= to);
  }

  private leaderView(): NodeView | undefined {
    return this.views.get(this.leader);
  }

  private chooseLeader(): void {
    const connected = this.connected();
    const current = this.views.has(this.leader) && connected.has(this.leader);
    if (current) return;
    const nodes = [...this.views.keys()].sort();
    this.leader = nodes.find((n) => connected.has(n)) ?? nodes[0] ?? '';
  }

  /**
   * The first view's policies are created when the API says they were; later ones are compared with
   * the view before (a new policy dated by its creationTimestamp when it has one, else now).
   */
  private record(
    before: Map<string, KnownPolicy> | null,
    after: Map<string, KnownPolicy>,
    now: number,
  ): void {
    const add = (c: PolicyChange) => this.changeLog.push(c);
    for (const [key, k] of after) {
      const old = before?.get(key);
      if (!old) add({ at: k.createdAt ?? now, change: 'created', policy: refOf(k.policy) });
      else if (old.spec !== k.spec) add({ at: now, change: 'updated', policy: refOf(k.policy) });
    }
    if (before)
      for (const [key, k] of before)
        if (!after.has(key)) add({ at: now, change: 'deleted', policy: refOf(k.policy) });
    this.changeLog.sort((a, b) => a.at - b.at);
    if (this.changeLog.length > MAX_CHANGES) this.changeLog.splice(0, this.changeLog.length - MAX_CHANGES);
  }

  private parse(raw: unknown): { policy: NetworkPolicy } | { error: string } {
    const text = JSON.stringify(raw);
    let r = this.parsed.get(text);
    if (!r) {
      try {
        const [policy] = parsePolicies(text, { source: 'NetworkPolicy' });
        r = policy ? { policy } : { error: 'empty' };
      } catch (err) {
        r = { error: err instanceof PolicyError ? err.message : String(err) };
      }
      if (this.parsed.size >= MAX_PARSED) this.parsed.clear();
      this.parsed.set(text, r);
    }
    return r;
  }
}

const refOf = (p: NetworkPolicy): PolicyRef => ({ namespace: p.namespace, name: p.name });
