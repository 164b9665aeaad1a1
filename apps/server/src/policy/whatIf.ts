import { type NetworkPolicy, PolicyEvaluator, type PolicyRef, policyKey } from '@weft/policy';
import type { TimeWindow, WhatIfFlow, WhatIfResponse } from '@weft/protocol';
import type { PairMatcher } from '../store/match.js';
import type { Store } from '../store/store.js';
import { explainFlow } from './explainFlow.js';
import type { PolicyContexts } from './policyContexts.js';
import { windowConnections } from './windowConnections.js';

const EVALUATED = new Set(['tcp', 'udp', 'sctp']);

/**
 * The connections of a window the current policies allow and the current ones plus `pasted` would
 * deny (a pasted policy replaces the current one of its namespace/name, as kubectl apply does), each
 * with the policy that would deny it: the pasted policies come first in the evaluator, so a pasted one
 * selecting the denied end is the one named.
 */
export function whatIf(
  store: Store,
  contexts: PolicyContexts,
  pasted: readonly NetworkPolicy[],
  asked: TimeWindow,
  match: PairMatcher | null,
): WhatIfResponse {
  const { window, connections } = windowConnections(store, asked, match);
  const answer: WhatIfResponse = {
    start: window.start,
    end: window.end,
    policies: pasted.map((p) => ({ namespace: p.namespace, name: p.name })),
    evaluated: 0,
    flows: [],
    notes: [],
  };
  const today = contexts.current();
  if (!today) {
    answer.notes.push('no collector has sent the pods and policies yet, so nothing can be evaluated');
    return answer;
  }
  const pastedKeys = new Set(pasted.map(policyKey));
  const current = contexts.policies().map((k) => k.policy);
  const replaced = current.filter((p) => pastedKeys.has(policyKey(p)));
  for (const p of replaced) answer.notes.push(`${policyKey(p)} replaces the current policy of that name`);
  const combined = [...pasted, ...current.filter((p) => !pastedKeys.has(policyKey(p)))];
  const after = new PolicyEvaluator(combined, contexts.world());
  const byKey = new Map(combined.map((p) => [policyKey(p), p]));
  const policyOf = (r: PolicyRef) => byKey.get(policyKey(r));
  let skipped = 0;
  for (const c of connections) {
    const s = c.series;
    if (!EVALUATED.has(s.proto)) {
      skipped++;
      continue;
    }
    answer.evaluated++;
    const denied = explainFlow(after, policyOf, s, false);
    if (denied.verdict !== 'denied') continue;
    // Denied today already: the pasted policies are not what denies it.
    if (explainFlow(today, () => undefined, s, false).verdict === 'denied') continue;
    const flow: WhatIfFlow = {
      client: s.client,
      server: s.server,
      proto: s.proto,
      port: s.port,
      packets: c.sum.packets,
      bytes: c.sum.bytes,
      connections: c.sum.connects,
      finding: denied,
    };
    answer.flows.push(flow);
  }
  if (skipped > 0)
    answer.notes.push(
      `${skipped} ICMP or other connections are not evaluated: NetworkPolicy rules name ports`,
    );
  answer.flows.sort((a, b) => b.packets - a.packets || b.bytes - a.bytes);
  return answer;
}
