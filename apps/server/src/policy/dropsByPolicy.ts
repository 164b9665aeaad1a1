import { type DropsResponse, endpointLabel, type FilterState, type TimeWindow } from '@weft/protocol';
import { EdgeBucket } from '../store/edgeBucket.js';
import { pairMatcher } from '../store/match.js';
import type { Store } from '../store/store.js';
import { StoreRead } from '../store/storeRead.js';
import { FlowExplainer } from './pairFinding.js';
import type { PolicyContexts } from './policyContexts.js';

type ByPolicy = NonNullable<DropsResponse['byPolicy']>[number];

/**
 * The drops answer with its policy_drop packets grouped by the NetworkPolicy that denies them, and its
 * policy_drop pairs explained (the pair's connection that dropped most stands for it).
 */
export function withDropsByPolicy(
  answer: DropsResponse,
  store: Store,
  contexts: PolicyContexts,
  f: FilterState,
  asked: TimeWindow,
): DropsResponse {
  if (f.reason && f.reason !== 'policy_drop') return answer;
  const match = pairMatcher(f);
  const read = new StoreRead(store);
  const win = read.window(asked);
  const explainer = new FlowExplainer(contexts);
  const groups = new Map<string, ByPolicy & { seen: Set<string> }>();
  const pairs = new Map<string, { packets: number; finding: ReturnType<FlowExplainer['explain']> }>();
  for (const s of store.edges.values()) {
    if (s.lastSeen < win.start - 120_000) continue;
    if (!match(s.client, s.server, s.proto, s.port)) continue;
    const sum = new EdgeBucket(0);
    read.visit(s, win, (b) => {
      if (b.drops) sum.merge(b);
    });
    const packets = sum.dropsFor('policy_drop');
    if (packets === 0) continue;
    const finding = explainer.explain(s, true);
    const key = finding.policy
      ? `${finding.policy.namespace}/${finding.policy.name}`
      : `\u001f${finding.verdict}`;
    const g = groups.get(key) ?? {
      ...(finding.policy ? { policy: finding.policy } : {}),
      verdict: finding.verdict,
      packets: 0,
      pairs: 0,
      seen: new Set<string>(),
    };
    const pair = `${endpointLabel(s.client)}\u001f${endpointLabel(s.server)}`;
    g.packets += packets;
    if (!g.seen.has(pair)) {
      g.seen.add(pair);
      g.pairs++;
    }
    groups.set(key, g);
    const best = pairs.get(pair);
    if (!best || packets > best.packets) pairs.set(pair, { packets, finding });
  }
  return {
    ...answer,
    topPairs: answer.topPairs.map((p) => {
      const found = p.reason === 'policy_drop' ? pairs.get(`${p.source}\u001f${p.destination}`) : undefined;
      return found ? { ...p, policy: found.finding } : p;
    }),
    byPolicy: [...groups.values()].map(({ seen: _, ...g }) => g).sort((a, b) => b.packets - a.packets),
  };
}
