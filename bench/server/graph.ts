/**
 * Graph query latency at 5,000 pods / 50,000 edges over a 15-minute window, and the memory it takes.
 * Every edge reports every `--every` seconds for 15 minutes of simulated time (3 M records at 15 s), then
 * the namespace, workload and pod graphs are queried repeatedly. Run:
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/graph.ts [--every=15] [--runs=40] [--warmup=5]
 */

import { DEFAULT_FILTER, type FilterState } from '@weft/protocol';
import { DEFAULT_CONFIG } from '@weft/server/internal/config';
import { queryGraph } from '@weft/server/internal/store/graphQuery';
import { Store } from '@weft/server/internal/store/store';
import { flowBatch, syntheticCluster } from './syntheticCluster.js';

const arg = (name: string, def: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const EVERY = arg('every', 15);
const RUNS = arg('runs', 40);
// The live view asks the same query every second, so the figure is for a warmed-up JIT.
const WARMUP = arg('warmup', 5);
const PODS = 5_000;
const EDGES = 50_000;
const WINDOW_S = 900;

const gc = (globalThis as { gc?: () => void }).gc;
const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
gc?.();
const heap0 = process.memoryUsage().heapUsed;
// Typed-array columns live outside the JS heap: count them too.
const buffers0 = process.memoryUsage().arrayBuffers;

const cluster = syntheticCluster(PODS, EDGES);
const end = Math.floor(Date.now() / 1000) * 1000;
const start = end - WINDOW_S * 1000;
const clock = { now: start };
const store = new Store({ ...DEFAULT_CONFIG, now: () => clock.now });
store.observedNodes = new Set(cluster.pods.map((p) => p.node));
const perSecond = Math.ceil(EDGES / EVERY);
const fill0 = process.cpuUsage();
for (let s = 0; s < WINDOW_S; s++) {
  const t = start + s * 1000;
  clock.now = t + 1000;
  store.ingest(flowBatch(cluster, (s % EVERY) * perSecond, perSecond, s, t), 'node-0');
}
const fill = process.cpuUsage(fill0);
gc?.();
const mem = process.memoryUsage();
const st = store.stats();
console.log(
  `${PODS} pods, ${EDGES} edges, each reporting every ${EVERY} s for ${WINDOW_S / 60} min: ${st.records} records, ` +
    `${st.edgeSeries} series, ${st.fineBuckets} 1 s + ${st.coarseBuckets} 1 min buckets`,
);
console.log(
  `fill: ${((fill.user + fill.system) / 1e6).toFixed(1)} s CPU; store ${mib(mem.heapUsed - heap0 + mem.arrayBuffers - buffers0)} ` +
    `(JS heap ${mib(mem.heapUsed - heap0)} + typed arrays ${mib(mem.arrayBuffers - buffers0)}), ` +
    `heap used ${mib(mem.heapUsed)}, rss ${mib(mem.rss)}`,
);

function pct(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

const results: string[] = [];
for (const level of ['namespace', 'workload', 'pod'] as const) {
  const f: FilterState = { ...DEFAULT_FILTER, namespace: [], level };
  const win = { start: end - WINDOW_S * 1000, end };
  let g = queryGraph(store, f, win, { maxNodes: DEFAULT_CONFIG.graphMaxNodes, simulated: false });
  for (let i = 1; i < WARMUP; i++)
    g = queryGraph(store, f, win, { maxNodes: DEFAULT_CONFIG.graphMaxNodes, simulated: false });
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const w0 = process.hrtime.bigint();
    g = queryGraph(store, f, win, { maxNodes: DEFAULT_CONFIG.graphMaxNodes, simulated: false });
    wall.push(Number(process.hrtime.bigint() - w0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const line =
    `graph level=${level.padEnd(9)} nodes=${String(g.nodes.length).padStart(4)} edges=${String(g.edges.length).padStart(5)} ` +
    `folded=${String(g.folded).padStart(4)}  wall p50 ${pct(wall, 0.5).toFixed(1)} ms p99 ${pct(wall, 0.99).toFixed(1)} ms` +
    `  CPU p50 ${pct(cpu, 0.5).toFixed(1)} ms p99 ${pct(cpu, 0.99).toFixed(1)} ms`;
  console.log(line);
  results.push(`RESULT graph_${level}_p99_ms=${pct(wall, 0.99).toFixed(1)}`);
}
for (const r of results) console.log(r);
console.log(`RESULT store_heap_mib=${((mem.heapUsed - heap0) / 2 ** 20).toFixed(0)}`);
console.log(
  `RESULT store_total_mib=${((mem.heapUsed - heap0 + mem.arrayBuffers - buffers0) / 2 ** 20).toFixed(0)}`,
);
