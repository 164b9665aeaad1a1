import { type NetworkPolicy, PolicyEvaluator, type PolicyRef, policyKey } from '@weft/policy';
import { MAX_WHATIF_FLOWS, type TimeWindow, type WhatIfResponse } from '@weft/protocol';
import type { PairMatcher } from '../store/match.js';
import type { Store } from '../store/store.js';
import { explainFlow, flowOf } from './explainFlow.js';
import type { PolicyContexts } from './policyContexts.js';
import { heldFromNote, type WindowConnection, windowConnections } from './windowConnections.js';

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
    denied: 0,
    flows: [],
    notes: [],
  };
  const held = heldFromNote(store, window);
  if (held) answer.notes.push(held);
  const today = contexts.current();
  if (!today) {
    answer.notes.push('no collector has sent the pods and policies yet, so nothing can be evaluated');
    return answer;
  }
  const pastedKeys = new Set(pasted.map(policyKey));
  const current = contexts.policies().map((k) => k.policy);
  const replaced = current.filter((p) => pastedKeys.has(policyKey(p)));
  for (const p of replaced) answer.notes.push(`${policyKey(p)} replaces the current policy of that name`);
  const named = pasted.filter((p) =>
    [...p.ingress, ...p.egress].some((r) => r.ports.some((x) => typeof x.port === 'string')),
  );
  if (named.length > 0)
    answer.notes.push(
      `${named.map(policyKey).join(', ')} name ports: the collectors do not send pods' container ports, so a named port matches no connection here and what it would allow is listed as denied`,
    );
  const combined = [...pasted, ...current.filter((p) => !pastedKeys.has(policyKey(p)))];
  const after = new PolicyEvaluator(combined, contexts.world());
  const byKey = new Map(combined.map((p) => [policyKey(p), p]));
  const policyOf = (r: PolicyRef) => byKey.get(policyKey(r));
  let skipped = 0;
  // Most connections are allowed either way: decide with the wordless pass, explain only those listed.
  const denied: WindowConnection[] = [];
  for (const c of connections) {
    const flow = flowOf(c.series);
    if (!flow) {
      skipped++;
      continue;
    }
    answer.evaluated++;
    // Denied today already: the pasted policies are not what denies it.
    if (!after.allows(flow) && today.allows(flow)) denied.push(c);
  }
  answer.denied = denied.length;
  denied.sort((a, b) => b.sum.packets - a.sum.packets || b.sum.bytes - a.sum.bytes);
  for (const c of denied.slice(0, MAX_WHATIF_FLOWS)) {
    const s = c.series;
    answer.flows.push({
      client: s.client,
      server: s.server,
      proto: s.proto,
      port: s.port,
      packets: c.sum.packets,
      bytes: c.sum.bytes,
      connections: c.sum.connects,
      finding: explainFlow(after, policyOf, s, false),
    });
  }
  if (skipped > 0)
    answer.notes.push(
      `${skipped} ICMP or other connections are not evaluated: NetworkPolicy rules name ports`,
    );
  return answer;
}
