/**
 * Drop reasons: the probe reports the kernel's `enum skb_drop_reason` names (NETFILTER_DROP,
 * NO_SOCKET, ...); metrics and the UI use the seed article's labels: `policy_drop` for netfilter,
 * the lower-case kernel name for the rest.
 */
export const POLICY_DROP = 'policy_drop';

/** Frees that are routine, not drops (the kernel calls kfree_skb for them too). */
const ROUTINE = new Set(['NOT_SPECIFIED', 'SOCKET_CLOSE', 'SOCKET_FILTER', 'CONSUMED', 'NOMEM_CONSUMED']);

export function isRoutineFree(kernelReason: string): boolean {
  return ROUTINE.has(kernelReason);
}

export function dropReasonLabel(kernelReason: string): string {
  if (kernelReason === 'NETFILTER_DROP') return POLICY_DROP;
  return kernelReason.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}
