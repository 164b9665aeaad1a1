import type { FlowRow } from '@weft/protocol';

/** A row's verdict in full: `forwarded`, `dropped: policy_drop`, and the denying policy when known. */
export function verdictText(r: FlowRow): string {
  if (r.verdict !== 'dropped') return r.verdict;
  const base = `dropped: ${r.reason || 'unknown reason'}`;
  return r.policy?.policy ? `${base} (denied by ${r.policy.policy.namespace}/${r.policy.policy.name})` : base;
}

/** Where a merged row's connection was seen and what each point saw: `egress at node-a: forwarded`. */
export function seenText(r: FlowRow): string[] {
  return (r.seen ?? []).map(
    (o) =>
      `${o.dir} at ${o.node}: ${o.verdict === 'dropped' ? `dropped: ${o.reason || 'unknown reason'}` : o.verdict}`,
  );
}
