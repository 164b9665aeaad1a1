import { type Static, Type } from 'typebox';
import {
  MAX_CONTEXT_CHANGES,
  MAX_CONTEXT_NAMESPACES,
  MAX_CONTEXT_PODS,
  MAX_CONTEXT_POLICIES,
} from './ingestLimits.js';
import { InventoryNamespace } from './inventory.js';
import { ObjectChange } from './objectChange.js';

/** A pod as NetworkPolicy selectors see it: its labels and addresses. */
export const ContextPod = Type.Object({
  namespace: Type.String({ minLength: 1, maxLength: 63 }),
  name: Type.String({ minLength: 1, maxLength: 253 }),
  ips: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 4 }),
  labels: Type.Record(Type.String(), Type.String()),
});
export type ContextPod = Static<typeof ContextPod>;

/**
 * Collector -> server, beside the batches, whenever it changed (and after each welcome that lists
 * POLICY_CONTEXT_FEATURE): what a NetworkPolicy is evaluated against. Namespaces and policies are the
 * cluster's (every collector sees the same); pods are the sender's node's, so the server's view of
 * every pod is the union over its collectors. Policies are the API's own objects (metadata and spec),
 * checked by the server's parser: one it cannot read is skipped and named, not the message refused.
 */
export const PolicyContext = Type.Object(
  {
    type: Type.Literal('policy_context'),
    namespaces: Type.Array(InventoryNamespace, { maxItems: MAX_CONTEXT_NAMESPACES }),
    policies: Type.Array(Type.Unknown(), { maxItems: MAX_CONTEXT_POLICIES }),
    pods: Type.Array(ContextPod, { maxItems: MAX_CONTEXT_PODS }),
    /**
     * The collector's newest Service, EndpointSlice, workload and pod changes (objectChange.ts), resent
     * with every context so a reconnect loses none; the server keeps each id once.
     */
    changes: Type.Optional(Type.Array(ObjectChange, { maxItems: MAX_CONTEXT_CHANGES })),
  },
  { additionalProperties: false },
);
export type PolicyContext = Static<typeof PolicyContext>;
