/**
 * Diagnose latency at 5,000 pods / 50,000 edges, over the live window, 15 minutes and 24 hours: the
 * whole request's work after parsing (resolveSubject, diagnose), for a pod pair, a
 * workload pair and two namespaces. The store holds 24 hours: every edge reports every 15 min over
 * the first 23 h 45 min (the 1 min tier), then every `--every` seconds for the last 15 min (as
 * bench/server/graph.ts fills it). Run:
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/diagnose.ts [--every=15] [--runs=100] [--warmup=5]
 */

import { loadavg } from 'node:os';
import { type DiagnoseResponse, namespaceNodeId, resolveTime, workloadNodeId } from '@weft/protocol';
import { DEFAULT_CONFIG } from '@weft/server/internal/config';
import { diagnose } from '@weft/server/internal/diagnose/diagnose';
import { resolveSubject, storeLookup } from '@weft/server/internal/diagnose/resolveSubject';
import { DEFAULT_RULES } from '@weft/server/internal/diagnose/rules';
import { parseSubject, type Subject } from '@weft/server/internal/diagnose/subject';
import { Store } from '@weft/server/internal/store/store';
import { flowBatch, syntheticCluster } from './syntheticCluster.js';

const arg = (name: string, def: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const EVERY = arg('every', 15);
const RUNS = arg('runs', 100);
const WARMUP = arg('warmup', 5);
const PODS = 5_000;
const EDGES = 50_000;
const DAY_S = 86_400;
const RECENT_S = 900;
const SPARSE_EVERY_S = 900;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(`load average before: ${load()}`);
const cluster = syntheticCluster(PODS, EDGES);
const end = Math.floor(Date.now() / 60_000) * 60_000;
const start = end - DAY_S * 1000;
const clock = { now: start };
const store = new Store({ ...DEFAULT_CONFIG, memoryBudgetMiB: 4096, now: () => clock.now });
store.observedNodes = new Set(cluster.pods.map((p) => p.node));
const fill0 = process.cpuUsage();
let seq = 0;
for (let s = 0; s < DAY_S; s++) {
  const t = start + s * 1000;
  clock.now = t + 1000;
  const recent = s >= DAY_S - RECENT_S;
  const every = recent ? EVERY : SPARSE_EVERY_S;
  const perSecond = Math.ceil(EDGES / every);
  store.ingest(flowBatch(cluster, (s % every) * perSecond, perSecond, seq++, t), 'node-0');
  if (s % 600 === 0) store.prune(clock.now);
}
clock.now = end + 300;
const fill = process.cpuUsage(fill0);
const st = store.stats();
console.log(
  `${PODS} pods, ${EDGES} edges over 24 h (every ${SPARSE_EVERY_S} s, the last 15 min every ${EVERY} s): ` +
    `${st.records} records, ${st.edgeSeries} series, ${st.fineBuckets} 1 s + ${st.coarseBuckets} 1 min buckets, ` +
    `${st.evictions} evicted; fill ${((fill.user + fill.system) / 1e6).toFixed(0)} s CPU`,
);

function pct(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

const e = cluster.edges[0]!;
const pairs: [string, string, string][] = [
  ['pod', `${e.client.namespace}/${e.client.name}`, `${e.server.namespace}/${e.server.name}`],
  [
    'workload',
    workloadNodeId(e.client.namespace, e.client.workload),
    workloadNodeId(e.server.namespace, e.server.workload),
  ],
  ['namespace', namespaceNodeId(e.client.namespace), namespaceNodeId(e.server.namespace)],
];
const times = [
  ['live', { from: '', to: '', at: '' }],
  ['15 min', { from: 'now-15m', to: '', at: '' }],
  ['24 h', { from: 'now-24h', to: '', at: '' }],
] as const;
const rules = { ...DEFAULT_RULES, dnsSlowMs: DEFAULT_CONFIG.diagnoseDnsSlowMs };

/** What the route does after parsing the query. */
function request(src: string, dst: string, sel: (typeof times)[number][1]): DiagnoseResponse {
  const lookup = storeLookup(store);
  const subjects = [src, dst].map((v) => {
    const r = resolveSubject(parseSubject(v)!, lookup);
    if ('error' in r) throw new Error(r.error);
    return r.subject as Subject;
  });
  const time = resolveTime(sel, clock.now, DEFAULT_CONFIG.rateWindowS * 1000);
  return diagnose(store, subjects[0]!, subjects[1]!, time, rules, sel, clock.now);
}

const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const results: string[] = [];
for (const [kind, src, dst] of pairs)
  for (const [label, sel] of times) {
    let last = request(src, dst, sel);
    for (let i = 1; i < WARMUP; i++) last = request(src, dst, sel);
    const wall: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const w0 = process.hrtime.bigint();
      last = request(src, dst, sel);
      wall.push(Number(process.hrtime.bigint() - w0) / 1e6);
    }
    wall.sort((a, b) => a - b);
    console.log(
      `${kind.padEnd(9)} ${label.padEnd(6)} ${last.verdict.padEnd(10)} pairs ${String(last.pairs.length).padStart(2)}: ` +
        `wall p50 ${pct(wall, 0.5).toFixed(1)} p99 ${pct(wall, 0.99).toFixed(1)} max ${wall.at(-1)!.toFixed(1)} ms`,
    );
    results.push(`RESULT diagnose_${kind}_${label.replace(' ', '')}_p99_ms=${pct(wall, 0.99).toFixed(1)}`);
  }
for (const r of results) console.log(r);
console.log(`load average after: ${load()}`);
