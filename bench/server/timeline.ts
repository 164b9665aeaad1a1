/**
 * Timeline query latency over 24 hours at 5,000 pods / 50,000 edges, side by side with the plain graph
 * query on the same store. The store holds a simulated day: every minute a slice of the edges reports
 * (`--slice` records, so each edge every 50,000 / slice minutes), a fault every two hours drops packets
 * on 50 edges for ten minutes, and the alert rules run every 15 s with a drop threshold the faults cross;
 * the last 15 minutes every edge reports every 15 s, as in graph.ts. Each round times, in turn, the
 * timeline over 24 h (no filter, namespace level), over 24 h with one namespace, over 24 h with one
 * namespace at workload level (incidents name workload edges), over the default hour, and the live
 * graph (workload level, the last 10 s) and the 15 minute graph for scale. Run:
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/timeline.ts [--slice=2000] [--runs=40] [--warmup=5]
 */

import { DEFAULT_FILTER, type DropRecord, type FilterState, resolveTime } from '@weft/protocol';
import { AlertEngine } from '@weft/server/internal/alerts/alertEngine';
import { DEFAULT_CONFIG } from '@weft/server/internal/config';
import { queryGraph } from '@weft/server/internal/store/graphQuery';
import { Store } from '@weft/server/internal/store/store';
import { queryTimeline } from '@weft/server/internal/timeline/timelineQuery';
import { flowBatch, syntheticCluster } from './syntheticCluster.js';

const arg = (name: string, def: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const SLICE = arg('slice', 2000);
const RUNS = arg('runs', 40);
const WARMUP = arg('warmup', 5);
const PODS = 5_000;
const EDGES = 50_000;
const DAY_MIN = 24 * 60;
const EVERY = 15;
const FULL_S = 900;

const cluster = syntheticCluster(PODS, EDGES);
const end = Math.floor(Date.now() / 60_000) * 60_000;
const start = end - DAY_MIN * 60_000;
const clock = { now: start };
const config = { ...DEFAULT_CONFIG, alertDropRate: 5, alertForS: 60 };
// A day of 50,000 edges is more than the default budget keeps: see the compare bench.
const store = new Store({ ...config, memoryBudgetMiB: 2048, now: () => clock.now });
store.observedNodes = new Set(cluster.pods.map((p) => p.node));
const alerts = new AlertEngine(store, config);

function drops(ts: number, first: number, count: number): DropRecord[] {
  const out: DropRecord[] = [];
  for (let i = 0; i < count; i++) {
    const e = cluster.edges[(first + i) % EDGES]!;
    out.push({
      ts,
      src: e.client,
      dst: e.server,
      sport: e.sport,
      dport: e.port,
      proto: 'tcp',
      dir: 'egress',
      reason: 'policy_drop',
      kernelReason: 'NETFILTER_DROP',
      packets: 10,
      bytes: 600,
    });
  }
  return out;
}

const fill0 = process.cpuUsage();
let seq = 0;
// The day but its last 15 minutes: a batch a minute.
for (let m = 0; m < DAY_MIN - FULL_S / 60; m++) {
  const t = start + m * 60_000;
  clock.now = t + 1000;
  const b = flowBatch(cluster, (m * SLICE) % EDGES, SLICE, seq++, t);
  // A fault every two hours, ten minutes long, on 50 edges (which ones moves with the fault).
  const fault = m % 120 < 10 && m >= 120;
  if (fault) b.drops = drops(t + 1000, Math.floor(m / 120) * 997, 50);
  store.ingest(b, 'node-0');
  for (let a = 0; a < 4; a++) alerts.evaluate(t + a * 15_000 + 1000);
  if (m % 10 === 9) store.prune(clock.now);
}
// The last 15 minutes: every edge every 15 s.
const perSecond = Math.ceil(EDGES / EVERY);
const full0 = end - FULL_S * 1000;
for (let s = 0; s < FULL_S; s++) {
  const t = full0 + s * 1000;
  clock.now = t + 1000;
  store.ingest(flowBatch(cluster, (s % EVERY) * perSecond, perSecond, seq++, t), 'node-0');
  if (s % 15 === 14) alerts.evaluate(clock.now);
  if (s % 60 === 59) store.prune(clock.now);
}
const fill = process.cpuUsage(fill0);
const now = clock.now;
const st = store.stats();
console.log(
  `${PODS} pods, ${EDGES} edges over 24 h (${SLICE} records a minute, then every edge every ${EVERY} s for the last ` +
    `${FULL_S / 60} min): ${st.records} records, ${st.edgeSeries} series, ${store.nsRollups.size} namespace rollups, ` +
    `${st.fineBuckets} 1 s + ${st.coarseBuckets} 1 min buckets, ${st.evictions} evictions; ` +
    `${alerts.transitionsBetween(0, Number.POSITIVE_INFINITY).length} alert transitions; ` +
    `fill ${((fill.user + fill.system) / 1e6).toFixed(1)} s CPU`,
);

function pct(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

const f = (patch: Partial<FilterState>): FilterState => ({ ...DEFAULT_FILTER, namespace: [], ...patch });
const day = { start: now - DAY_MIN * 60_000, end: now };
const sources = (range: { start: number; end: number }) => ({
  alerts: alerts.transitionsBetween(range.start, range.end),
  alertWindowMs: config.alertWindowS * 1000,
  now,
});
const hour = resolveTime(f({}), now, config.rateWindowS * 1000).range;
const graphOpts = { maxNodes: config.graphMaxNodes, simulated: false };
const liveWl = f({ level: 'workload' });
const liveWin = resolveTime(liveWl, now, config.rateWindowS * 1000).window;
const cases: [string, () => { n: string }][] = [
  ['timeline 24h', () => summary(queryTimeline(store, f({}), day, sources(day)))],
  [
    'timeline 24h namespace=ns-3',
    () => summary(queryTimeline(store, f({ namespace: ['ns-3'] }), day, sources(day))),
  ],
  [
    'timeline 24h namespace=ns-3 level=workload',
    () => summary(queryTimeline(store, f({ namespace: ['ns-3'], level: 'workload' }), day, sources(day))),
  ],
  ['timeline 1h (live default)', () => summary(queryTimeline(store, f({}), hour, sources(hour)))],
  [
    'graph live level=workload',
    () => ({ n: `${queryGraph(store, liveWl, liveWin, graphOpts).edges.length} edges` }),
  ],
  [
    'graph 15m level=workload',
    () => ({
      n: `${queryGraph(store, liveWl, { start: now - FULL_S * 1000, end: now }, graphOpts).edges.length} edges`,
    }),
  ],
];

function summary(r: ReturnType<typeof queryTimeline>): { n: string } {
  return { n: `${r.t.length} points of ${r.step} s, ${r.incidents.length} incidents` };
}

for (let i = 0; i < WARMUP; i++) for (const [, run] of cases) run();
const wall = cases.map(() => [] as number[]);
const cpu = cases.map(() => [] as number[]);
const what = cases.map(() => '');
for (let i = 0; i < RUNS; i++)
  cases.forEach(([, run], k) => {
    const c0 = process.cpuUsage();
    const w0 = process.hrtime.bigint();
    what[k] = run().n;
    wall[k]!.push(Number(process.hrtime.bigint() - w0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu[k]!.push((c.user + c.system) / 1000);
  });
const liveP50 = () =>
  pct(
    [...wall[4]!].sort((a, b) => a - b),
    0.5,
  );
cases.forEach(([name], k) => {
  const w = wall[k]!.sort((a, b) => a - b);
  const c = cpu[k]!.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(44)} ${what[k]!.padEnd(38)} wall p50 ${pct(w, 0.5).toFixed(1)} ms p99 ${pct(w, 0.99).toFixed(1)} ms` +
      `  CPU p50 ${pct(c, 0.5).toFixed(1)} ms p99 ${pct(c, 0.99).toFixed(1)} ms  (p50 ${(pct(w, 0.5) / liveP50()).toFixed(2)}x live graph)`,
  );
});
for (const [k, [name]] of cases.entries())
  console.log(
    `RESULT ${name.replace(/[^a-z0-9]+/gi, '_')}_p99_ms=${pct(wall[k]!, 0.99).toFixed(1)} cpu_p99_ms=${pct(cpu[k]!, 0.99).toFixed(1)}`,
  );
