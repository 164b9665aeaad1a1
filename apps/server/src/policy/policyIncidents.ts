import type { FilterState, Incident, TimeWindow } from '@weft/protocol';
import type { PolicyChange } from './policyContexts.js';

/**
 * NetworkPolicy creations, updates and deletions in the range as timeline incidents ("what changed"),
 * those of the filter's namespaces when it names some.
 */
export function policyIncidents(
  changes: readonly PolicyChange[],
  f: FilterState,
  range: TimeWindow,
): Incident[] {
  const namespaces = new Set(f.namespace);
  return changes
    .filter((c) => c.at >= range.start && c.at <= range.end)
    .filter((c) => namespaces.size === 0 || namespaces.has(c.policy.namespace))
    .map((c) => ({
      kind: `policy_${c.change}` as const,
      at: c.at,
      label: `NetworkPolicy ${c.policy.namespace}/${c.policy.name} ${c.change}`,
      policy: { namespace: c.policy.namespace, name: c.policy.name },
    }));
}

/** Two oldest-first incident lists as one. */
export function mergeIncidents(a: readonly Incident[], b: readonly Incident[]): Incident[] {
  return [...a, ...b].sort((x, y) => x.at - y.at);
}
