/**
 * Drop reasons: the probe reports the kernel's `enum skb_drop_reason` names (NETFILTER_DROP,
 * NO_SOCKET, ...); metrics and the UI use the seed article's labels: `policy_drop` for netfilter,
 * the lower-case kernel name for the rest.
 */
export const POLICY_DROP = 'policy_drop';

/**
 * Frees that are routine, not drops (the kernel calls kfree_skb for them too). QUEUE_PURGE is the
 * bulk free of a socket's queues when it closes: it fires on ordinary connection teardown.
 */
const ROUTINE = new Set([
  'NOT_DROPPED_YET',
  'NOT_SPECIFIED',
  'SOCKET_CLOSE',
  'SOCKET_FILTER',
  'CONSUMED',
  'NOMEM_CONSUMED',
  'QUEUE_PURGE',
]);

export function isRoutineFree(kernelReason: string): boolean {
  return ROUTINE.has(kernelReason);
}

export function dropReasonLabel(kernelReason: string): string {
  if (kernelReason === 'NETFILTER_DROP') return POLICY_DROP;
  return kernelReason.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}
