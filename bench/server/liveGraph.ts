/**
 * The live graph query (no range: the rate window ending at the newest complete second, what the map
 * asks every second) at 5,000 pods / 50,000 edges, side by side with the 15-minute range query the map
 * asked before issue 13, on the same store. The store is filled as bench/server/graph.ts fills it (every
 * edge reports every `--every` seconds for 15 minutes of simulated time), then every edge reports once
 * a second for the last rate window, as a cluster where all of them talk now: the live window's worst
 * case (all 50,000 series have data in it). Queries alternate live, range, range, live, ... so the
 * machine's other load falls on both alike. Run:
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/liveGraph.ts [--every=15] [--runs=200] [--warmup=10] [--peers=3] [--levels=workload]
 * With `--base=<dir>` (a copy of an older commit's sources: bench/server/base.sh <commit> <dir>) both
 * versions fill their own store (the base's first; `--new-first` the other way) and are queried in
 * turn (base first on even runs, new first on odd),
 * and every level's answers are checked to be the same graph.
 */

import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import {
  DEFAULT_FILTER,
  type FilterState,
  type GraphResponse,
  resolveTime,
  type TimeWindow,
} from '@weft/protocol';
import { flowBatch, syntheticCluster } from './syntheticCluster.js';

const arg = (name: string, def: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const BASE = process.argv.find((a) => a.startsWith('--base='))?.split('=')[1];
const EVERY = arg('every', 15);
const RUNS = arg('runs', 200);
// 0: random pod pairs (the default); n: each workload talks to n others (syntheticCluster's `peers`).
const PEERS = arg('peers', 0);
const WARMUP = arg('warmup', 10);
// `--levels=workload` (comma-separated) measures only those levels (profiling one level).
const LEVELS = (
  process.argv.find((a) => a.startsWith('--levels='))?.split('=')[1] ?? 'namespace,workload,pod'
)
  .split(',')
  .filter((l): l is 'namespace' | 'workload' | 'pod' => l === 'namespace' || l === 'workload' || l === 'pod');
const PODS = 5_000;
const EDGES = 50_000;
const HISTORY_S = 900;
const here = new URL('../..', import.meta.url).pathname;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(`load average before: ${load()}`);
const cluster = syntheticCluster(PODS, EDGES, 42, PEERS);
const end = Math.floor(Date.now() / 1000) * 1000;
const start = end - HISTORY_S * 1000;

type Query = (f: FilterState, win: TimeWindow) => GraphResponse;

/** One version's store, filled from the same cluster, and its query. */
async function version(root: string): Promise<{ query: Query; rateWindowS: number }> {
  const { DEFAULT_CONFIG } = await import(`${root}/apps/server/src/config.ts`);
  const { queryGraph } = await import(`${root}/apps/server/src/store/graphQuery.ts`);
  const { Store } = await import(`${root}/apps/server/src/store/store.ts`);
  const rateWindowS: number = DEFAULT_CONFIG.rateWindowS;
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
    const dense = s >= HISTORY_S - rateWindowS - 1;
    if (dense)
      for (let from = 0; from < EDGES; from += perSecond)
        store.ingest(flowBatch(cluster, from, Math.min(perSecond, EDGES - from), seq++, t), 'node-0');
    else store.ingest(flowBatch(cluster, (s % EVERY) * perSecond, perSecond, seq++, t), 'node-0');
    // What the server's prune step does each second to the workload rollups (versions that have them).
    store.workloads?.linkPending(clock.now);
    store.workloads?.prune(clock.now);
  }
  // A moment into the next second, as the map asks: the live window is the last complete seconds.
  clock.now = end + 300;
  const st = store.stats();
  console.log(
    `${root}: ${PODS} pods, ${EDGES} edges, every ${EVERY} s for ${HISTORY_S / 60} min, each edge every second for the ` +
      `last ${rateWindowS + 1} s: ${st.records} records, ${st.edgeSeries} series, ${st.fineBuckets} 1 s + ` +
      `${st.coarseBuckets} 1 min buckets, ${st.evictions} series evicted`,
  );
  if (st.edgeSeries !== EDGES || st.evictions > 0)
    throw new Error(`the store holds ${st.edgeSeries} of ${EDGES} edges (${st.evictions} evicted)`);
  const opts = { maxNodes: DEFAULT_CONFIG.graphMaxNodes, simulated: false };
  return { query: (f, win) => queryGraph(store, f, win, opts), rateWindowS };
}

// In case the store filled first reads slower (older heap): `--new-first` fills the new version's
// store first, to tell that apart from the code.
const newFirst = process.argv.includes('--new-first');
const made: Awaited<ReturnType<typeof version>>[] = [];
if (!BASE) made.push(await version(here));
else if (newFirst) {
  const n = await version(here);
  made.push(await version(BASE), n);
} else made.push(await version(BASE), await version(here));
const names = BASE ? ['base', 'new'] : [''];
const rateWindowS = made.at(-1)!.rateWindowS;
const now = end + 300;

function pct(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

interface Kind {
  version: string;
  name: 'live' | 'range';
  query: Query;
  win: TimeWindow;
  wall: number[];
  cpu: number[];
  last?: GraphResponse;
}
const none = { from: '', to: '', at: '' };
const windows = [
  { name: 'live' as const, win: resolveTime(none, now, rateWindowS * 1000).window },
  { name: 'range' as const, win: { start: now - HISTORY_S * 1000, end: now } },
];
const kinds: Kind[] = [];
for (const w of windows)
  made.forEach((m, v) => {
    kinds.push({ version: names[v]!, name: w.name, query: m.query, win: w.win, wall: [], cpu: [] });
  });
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
console.log(`load average after filling: ${load()}`);
const results: string[] = [];
for (const level of LEVELS) {
  const f: FilterState = { ...DEFAULT_FILTER, namespace: [], level };
  for (const k of kinds) {
    for (let i = 0; i < WARMUP; i++) k.last = k.query(f, k.win);
    k.wall = [];
    k.cpu = [];
  }
  for (let r = 0; r < RUNS; r++) {
    const order = r % 2 === 0 ? kinds : kinds.slice().reverse();
    for (const k of order) {
      const c0 = process.cpuUsage();
      const w0 = process.hrtime.bigint();
      k.last = k.query(f, k.win);
      k.wall.push(Number(process.hrtime.bigint() - w0) / 1e6);
      const c = process.cpuUsage(c0);
      k.cpu.push((c.user + c.system) / 1000);
    }
  }
  const figures = new Map<string, { p50: number; p99: number }>();
  for (const k of kinds) {
    k.wall.sort((a, b) => a - b);
    k.cpu.sort((a, b) => a - b);
    const g = k.last!;
    console.log(
      `${level.padEnd(9)} ${k.version.padEnd(4)} ${k.name.padEnd(5)} window ${(g.end - g.start) / 1000} s, ${String(g.nodes.length).padStart(3)} nodes ` +
        `${String(g.edges.length).padStart(5)} edges, folded ${String(g.folded).padStart(4)}:  wall p50 ` +
        `${pct(k.wall, 0.5).toFixed(1)} p99 ${pct(k.wall, 0.99).toFixed(1)} max ${k.wall.at(-1)!.toFixed(1)} ms` +
        `  CPU p50 ${pct(k.cpu, 0.5).toFixed(1)} p99 ${pct(k.cpu, 0.99).toFixed(1)} ms`,
    );
    figures.set(`${k.version}${k.name}`, { p50: pct(k.wall, 0.5), p99: pct(k.wall, 0.99) });
  }
  const v = names.at(-1)!;
  const live = figures.get(`${v}live`)!;
  const range = figures.get(`${v}range`)!;
  console.log(
    `${level.padEnd(9)} live / 15-minute range: p50 ${(live.p50 / range.p50).toFixed(2)}x, p99 ${(live.p99 / range.p99).toFixed(2)}x`,
  );
  if (BASE) {
    const base = figures.get('baselive')!;
    const same = windows.every((w) =>
      isDeepStrictEqual(
        kinds.find((k) => k.version === 'base' && k.name === w.name)!.last,
        kinds.find((k) => k.version === 'new' && k.name === w.name)!.last,
      ),
    );
    console.log(
      `${level.padEnd(9)} new / base, live: wall p50 ${(live.p50 / base.p50).toFixed(2)}x, p99 ${(live.p99 / base.p99).toFixed(2)}x; same graphs: ${same}`,
    );
    results.push(`RESULT base_live_graph_${level}_p99_ms=${base.p99.toFixed(1)}`);
  }
  results.push(`RESULT live_graph_${level}_p99_ms=${live.p99.toFixed(1)}`);
  results.push(`RESULT range_graph_${level}_p99_ms=${range.p99.toFixed(1)}`);
}
for (const r of results) console.log(r);
console.log(`load average after: ${load()}`);
