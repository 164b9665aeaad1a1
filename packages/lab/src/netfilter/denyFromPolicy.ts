import type { NetworkPolicy } from '@weft/policy';
import type { PlannedPod } from '../topology/addressPlan.js';

/**
 * A NetworkPolicy that lets every address in but the addresses of `from`: how the scenario's policy
 * drops are written as real policies. NetworkPolicies only allow, so "all but these" is an ipBlock of
 * everything with the pods as exceptions, per family. (The policy-drop fault stays a bare nftables
 * drop: policies add up, so a policy that allows the source, like the scenario's, would undo it.)
 */
export function denyFromPolicy(
  namespace: string,
  name: string,
  selector: Record<string, string>,
  from: readonly PlannedPod[],
): NetworkPolicy {
  return {
    namespace,
    name,
    podSelector: { matchLabels: { ...selector }, matchExpressions: [] },
    policyTypes: ['Ingress'],
    ingress: [
      {
        peers: [
          { ipBlock: { cidr: '0.0.0.0/0', except: from.map((p) => `${p.ipv4}/32`) } },
          { ipBlock: { cidr: '::/0', except: from.map((p) => `${p.ipv6}/128`) } },
        ],
        ports: [],
      },
    ],
    egress: [],
  };
}
