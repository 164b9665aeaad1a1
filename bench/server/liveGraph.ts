/**
 * The live graph query (no range: the rate window ending at the newest complete second, what the map
 * asks every second) at 5,000 pods / 50,000 edges, side by side with the 15-minute range query the map
 * asked before issue 13, on the same store. The store is filled as bench/server/graph.ts fills it (every
 * edge reports every `--every` seconds for 15 minutes of simulated time), then every edge reports once
 * a second for the last rate window, as a cluster where all of them talk now: the live window's worst
 * case (all 50,000 series have data in it). Queries alternate live, range, range, live, ... so the
 * machine's other load falls on both alike. Run:
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/liveGraph.ts [--every=15] [--runs=200] [--warmup=10]
 */

import { loadavg } from 'node:os';
import { DEFAULT_CONFIG } from '../../apps/server/src/config.js';
import { queryGraph } from '../../apps/server/src/store/graphQuery.js';
import { Store } from '../../apps/server/src/store/store.js';
import {
  DEFAULT_FILTER,
  type FilterState,
  type GraphResponse,
  resolveTime,
  type TimeWindow,
} from '../../packages/protocol/src/index.js';
import { flowBatch, syntheticCluster } from './syntheticCluster.js';

const arg = (name: string, def: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const EVERY = arg('every', 15);
const RUNS = arg('runs', 200);
const WARMUP = arg('warmup', 10);
const PODS = 5_000;
const EDGES = 50_000;
const HISTORY_S = 900;
const RATE_WINDOW_S = DEFAULT_CONFIG.rateWindowS;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(`load average before: ${load()}`);
const cluster = syntheticCluster(PODS, EDGES);
const end = Math.floor(Date.now() / 1000) * 1000;
const start = end - HISTORY_S * 1000;
const clock = { now: start };
// Room for every series and bucket: the figure is the query over 50,000 edges, not the memory bound's
// evictions (at the default 512 MiB the dense last seconds evict and remake series while filling).
const store = new Store({ ...DEFAULT_CONFIG, memoryBudgetMiB: 4096, now: () => clock.now });
store.observedNodes = new Set(cluster.pods.map((p) => p.node));
const perSecond = Math.ceil(EDGES / EVERY);
let seq = 0;
for (let s = 0; s < HISTORY_S; s++) {
  const t = start + s * 1000;
  clock.now = t + 1000;
  const dense = s >= HISTORY_S - RATE_WINDOW_S - 1;
  if (dense)
    for (let from = 0; from < EDGES; from += perSecond)
      store.ingest(flowBatch(cluster, from, Math.min(perSecond, EDGES - from), seq++, t), 'node-0');
  else store.ingest(flowBatch(cluster, (s % EVERY) * perSecond, perSecond, seq++, t), 'node-0');
}
// A moment into the next second, as the map asks: the live window is the last complete seconds.
clock.now = end + 300;
const st = store.stats();
console.log(
  `${PODS} pods, ${EDGES} edges, every ${EVERY} s for ${HISTORY_S / 60} min, each edge every second for the ` +
    `last ${RATE_WINDOW_S + 1} s: ${st.records} records, ${st.edgeSeries} series, ${st.fineBuckets} 1 s + ` +
    `${st.coarseBuckets} 1 min buckets, ${st.evictions} series evicted`,
);

if (st.edgeSeries !== EDGES || st.evictions > 0)
  throw new Error(`the store holds ${st.edgeSeries} of ${EDGES} edges (${st.evictions} evicted)`);

function pct(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

interface Kind {
  name: 'live' | 'range';
  win: TimeWindow;
  wall: number[];
  cpu: number[];
  last?: GraphResponse;
}
const none = { from: '', to: '', at: '' };
const kinds: Kind[] = [
  { name: 'live', win: resolveTime(none, clock.now, RATE_WINDOW_S * 1000).window, wall: [], cpu: [] },
  { name: 'range', win: { start: clock.now - HISTORY_S * 1000, end: clock.now }, wall: [], cpu: [] },
];
const opts = { maxNodes: DEFAULT_CONFIG.graphMaxNodes, simulated: false };
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const results: string[] = [];
for (const level of ['namespace', 'workload', 'pod'] as const) {
  const f: FilterState = { ...DEFAULT_FILTER, namespace: [], level };
  for (const k of kinds) {
    for (let i = 0; i < WARMUP; i++) k.last = queryGraph(store, f, k.win, opts);
    k.wall = [];
    k.cpu = [];
  }
  for (let r = 0; r < RUNS; r++) {
    const order = r % 2 === 0 ? kinds : [kinds[1]!, kinds[0]!];
    for (const k of order) {
      const c0 = process.cpuUsage();
      const w0 = process.hrtime.bigint();
      k.last = queryGraph(store, f, k.win, opts);
      k.wall.push(Number(process.hrtime.bigint() - w0) / 1e6);
      const c = process.cpuUsage(c0);
      k.cpu.push((c.user + c.system) / 1000);
    }
  }
  const figures = kinds.map((k) => {
    k.wall.sort((a, b) => a - b);
    k.cpu.sort((a, b) => a - b);
    const g = k.last!;
    console.log(
      `${level.padEnd(9)} ${k.name.padEnd(5)} window ${(g.end - g.start) / 1000} s, ${String(g.nodes.length).padStart(3)} nodes ` +
        `${String(g.edges.length).padStart(5)} edges, folded ${String(g.folded).padStart(4)}:  wall p50 ` +
        `${pct(k.wall, 0.5).toFixed(1)} p99 ${pct(k.wall, 0.99).toFixed(1)} max ${k.wall.at(-1)!.toFixed(1)} ms` +
        `  CPU p50 ${pct(k.cpu, 0.5).toFixed(1)} p99 ${pct(k.cpu, 0.99).toFixed(1)} ms`,
    );
    return { p50: pct(k.wall, 0.5), p99: pct(k.wall, 0.99) };
  });
  const [live, range] = figures as [{ p50: number; p99: number }, { p50: number; p99: number }];
  console.log(
    `${level.padEnd(9)} live / 15-minute range: p50 ${(live.p50 / range.p50).toFixed(2)}x, p99 ${(live.p99 / range.p99).toFixed(2)}x`,
  );
  results.push(`RESULT live_graph_${level}_p99_ms=${live.p99.toFixed(1)}`);
  results.push(`RESULT range_graph_${level}_p99_ms=${range.p99.toFixed(1)}`);
}
for (const r of results) console.log(r);
console.log(`load average after: ${load()}`);
