import type { FlowRow } from '@weft/protocol';

/** A row's verdict in full: `forwarded`, `dropped: policy_drop`, and the denying policy when known. */
export function verdictText(r: FlowRow): string {
  if (r.verdict !== 'dropped') return r.verdict;
  const base = `dropped: ${r.reason || 'unknown reason'}`;
  return r.policy?.policy ? `${base} (denied by ${r.policy.policy.namespace}/${r.policy.policy.name})` : base;
}
