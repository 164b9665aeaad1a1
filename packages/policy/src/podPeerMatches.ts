import { selectorMatches } from './labelSelector.js';
import type { PolicyPeer } from './networkPolicy.js';
import type { WorldPod } from './world.js';

/**
 * Whether a pod is the peer a selector entry names: namespaceSelector picks namespaces by their labels
 * (without it, the policy's own namespace), podSelector picks pods in them (without it, all). An ipBlock
 * entry is about addresses and never matches here.
 */
export function podPeerMatches(
  peer: PolicyPeer,
  policyNamespace: string,
  pod: WorldPod,
  namespaceLabels: (ns: string) => Readonly<Record<string, string>>,
): boolean {
  if (peer.ipBlock) return false;
  if (peer.namespaceSelector) {
    if (!selectorMatches(peer.namespaceSelector, namespaceLabels(pod.namespace))) return false;
  } else if (pod.namespace !== policyNamespace) return false;
  return !peer.podSelector || selectorMatches(peer.podSelector, pod.labels);
}
