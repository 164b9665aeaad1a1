import { DEFAULT_CONFIG } from '../../apps/server/src/config.js';
import { Store } from '../../apps/server/src/store/store.js';
import { DEFAULT_FILTER, type FilterState, resolveTime } from '../../packages/protocol/src/index.js';
import { flowBatch, syntheticCluster } from './syntheticCluster.js';
import { queryGraph, T } from '../../apps/server/src/store/_gq.js';
const PODS = 5_000, EDGES = 50_000, HISTORY_S = 900, EVERY = 15;
const RATE_WINDOW_S = DEFAULT_CONFIG.rateWindowS;
const cluster = syntheticCluster(PODS, EDGES);
const end = Math.floor(Date.now() / 1000) * 1000;
const start = end - HISTORY_S * 1000;
const clock = { now: start };
const store = new Store({ ...DEFAULT_CONFIG, memoryBudgetMiB: 4096, now: () => clock.now });
store.observedNodes = new Set(cluster.pods.map((p) => p.node));
const perSecond = Math.ceil(EDGES / EVERY);
let seq = 0;
for (let s = 0; s < HISTORY_S; s++) {
  const t = start + s * 1000;
  clock.now = t + 1000;
  const dense = s >= HISTORY_S - RATE_WINDOW_S - 1;
  if (dense) for (let from = 0; from < EDGES; from += perSecond) store.ingest(flowBatch(cluster, from, Math.min(perSecond, EDGES - from), seq++, t), 'node-0');
  else store.ingest(flowBatch(cluster, (s % EVERY) * perSecond, perSecond, seq++, t), 'node-0');
}
clock.now = end + 300;
const win = resolveTime({ from: '', to: '', at: '' }, clock.now, RATE_WINDOW_S * 1000).window;
const opts = { maxNodes: DEFAULT_CONFIG.graphMaxNodes, simulated: false };
for (const level of ['workload', 'pod'] as const) {
const f: FilterState = { ...DEFAULT_FILTER, namespace: [], level };
for (let i = 0; i < 20; i++) queryGraph(store, f, win, opts);
for (const k of Object.keys(T)) (T as any)[k] = 0;
const t0 = performance.now();
for (let i = 0; i < 200; i++) queryGraph(store, f, win, opts);
const tot = (performance.now() - t0) / 200;
console.log(level, 'total', tot.toFixed(2), Object.entries(T).map(([k, v]) => `${k} ${(v / T.n).toFixed(2)}`).join(' '));
}
