import { policyKey } from '@weft/policy';
import type { PolicyFinding, TimeWindow } from '@weft/protocol';
import { endpointIs, type Subject } from '../diagnose/subject.js';
import type { EdgeSeries } from '../store/series.js';
import type { Store } from '../store/store.js';
import { StoreRead } from '../store/storeRead.js';
import { explainFlow } from './explainFlow.js';
import type { PolicyContexts } from './policyContexts.js';

/** A connection's trouble over a window: policy drops, then failed connects, rank it. */
interface Trouble {
  series: EdgeSeries;
  policyDrops: number;
  failures: number;
}

function troubleOf(store: Store, s: EdgeSeries, win: TimeWindow, now: number): Trouble {
  const sum = new StoreRead(store, now).edgeSum(s, win);
  return { series: s, policyDrops: sum.dropsFor('policy_drop'), failures: sum.failures };
}

/** Evaluates connections against the current policies, each (client, server, protocol, port) once. */
export class FlowExplainer {
  private readonly cache = new Map<string, PolicyFinding>();
  private readonly byKey;

  constructor(private readonly contexts: PolicyContexts) {
    this.byKey = new Map(contexts.policies().map((k) => [policyKey(k.policy), k.policy]));
  }

  explain(
    s: { client: EdgeSeries['client']; server: EdgeSeries['server']; proto: string; port: number },
    dropped: boolean,
  ): PolicyFinding {
    const key = `${s.client.ip}\u001f${s.client.namespace}/${s.client.name}\u001f${s.server.ip}\u001f${s.server.namespace}/${s.server.name}\u001f${s.proto}\u001f${s.port}\u001f${dropped}`;
    let f = this.cache.get(key);
    if (!f) {
      f = explainFlow(this.contexts.current(), (r) => this.byKey.get(policyKey(r)), s, dropped);
      this.cache.set(key, f);
    }
    return f;
  }
}

/**
 * For a pair (either direction), the connection with the most policy drops (else the most failed
 * connects) over the window, explained; null when none dropped or failed.
 */
export function pairFinding(
  store: Store,
  contexts: PolicyContexts,
  from: Subject,
  to: Subject,
  win: TimeWindow,
  now: number,
): PolicyFinding | null {
  let worst: Trouble | null = null;
  for (const s of store.edges.values()) {
    if (s.lastSeen < win.start - 120_000) continue;
    const pair =
      (endpointIs(s.client, from) && endpointIs(s.server, to)) ||
      (endpointIs(s.client, to) && endpointIs(s.server, from));
    if (!pair) continue;
    const t = troubleOf(store, s, win, now);
    if (t.policyDrops === 0 && t.failures === 0) continue;
    if (
      !worst ||
      t.policyDrops > worst.policyDrops ||
      (t.policyDrops === worst.policyDrops && t.failures > worst.failures)
    )
      worst = t;
  }
  if (!worst) return null;
  return new FlowExplainer(contexts).explain(worst.series, worst.policyDrops > 0);
}
