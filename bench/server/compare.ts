/**
 * `compare` query latency at 5,000 pods / 50,000 edges, side by side with the plain graph query on the
 * same store. 30 minutes of simulated time: every edge reports every `--every` seconds (as graph.ts),
 * except a tenth of the edges that report only in the first 15 minutes and another tenth only in the
 * last 15 (vanished and new edges), and 1% of the edges drop packets in the last 15 minutes (drops
 * rose). Each round times the plain graph and then the compared one (graphAnswer with
 * compare=previous), for the live window (the last 10 s against the 10 s before) and for the last
 * 15 minutes against the 15 before, at each level. Run:
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/compare.ts [--every=15] [--runs=40] [--warmup=5] [--peers=3]
 * With `--base=<dir>` (a copy of an older commit's sources: bench/server/base.sh <commit> <dir>) both
 * versions fill their own store and are timed in turn (base first on even rounds, new first on odd),
 * and their compared answers are checked to be the same graph.
 */

import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import {
  DEFAULT_FILTER,
  type DropRecord,
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
const RUNS = arg('runs', 40);
// 0: random pod pairs (the default); n: each workload talks to n others (syntheticCluster's `peers`).
const PEERS = arg('peers', 0);
const WARMUP = arg('warmup', 5);
const PODS = 5_000;
const EDGES = 50_000;
const HALF_S = 900;
const here = new URL('../..', import.meta.url).pathname;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(`load average before: ${load()}`);

const cluster = syntheticCluster(PODS, EDGES, 42, PEERS);
const end = Math.floor(Date.now() / 1000) * 1000;
const start = end - 2 * HALF_S * 1000;
type Answer = (f: FilterState, win: TimeWindow) => GraphResponse;

/** One version's store, filled from the same cluster, and its plain and compared queries. */
async function version(root: string): Promise<{ plain: Answer; compared: Answer; rateWindowS: number }> {
  const { DEFAULT_CONFIG } = await import(`${root}/apps/server/src/config.ts`);
  const { graphAnswer } = await import(`${root}/apps/server/src/store/graphAnswer.ts`);
  const { queryGraph } = await import(`${root}/apps/server/src/store/graphQuery.ts`);
  const { Store } = await import(`${root}/apps/server/src/store/store.ts`);
  const clock = { now: start };
  // Half an hour of every edge is more than the default memory budget (512 MiB) holds: the store would
  // evict the idlest series whole, baseline history first. A server given WEFT_MEMORY_BUDGET_MB=2048
  // keeps it, which is the case this measures (the 1 s tier keeps its default 15 minutes).
  const store = new Store({ ...DEFAULT_CONFIG, memoryBudgetMiB: 2048, now: () => clock.now });
  store.observedNodes = new Set(cluster.pods.map((p) => p.node));
  const perSecond = Math.ceil(EDGES / EVERY);
  const tenth = EDGES / 10;
  const fill0 = process.cpuUsage();
  for (let s = 0; s < 2 * HALF_S; s++) {
    const t = start + s * 1000;
    clock.now = t + 1000;
    const late = s >= HALF_S;
    const b = flowBatch(cluster, (s % EVERY) * perSecond, perSecond, s, t);
    // Edges [0, tenth) only early, [tenth, 2 tenth) only late: drop the others' records from this batch.
    const first = (s % EVERY) * perSecond;
    b.flows = b.flows.filter((_, i) => {
      const e = (first + i) % EDGES;
      return e >= 2 * tenth || (e < tenth ? !late : late);
    });
    if (late) {
      const drops: DropRecord[] = [];
      for (let i = 0; i < EDGES / 100; i += EVERY) {
        const e = cluster.edges[2 * tenth + ((s + i) % (EDGES / 100))]!;
        drops.push({
          ts: t + 1000,
          src: e.client,
          dst: e.server,
          sport: e.sport,
          dport: e.port,
          proto: 'tcp',
          dir: 'egress',
          reason: 'policy_drop',
          kernelReason: 'NETFILTER_DROP',
          packets: 20,
          bytes: 1200,
        });
      }
      b.drops = drops;
    }
    store.ingest(b, 'node-0');
    if (s % 60 === 59) store.prune();
    // What the server's prune step does each second to the workload rollups (versions that have them).
    else {
      store.workloads?.linkPending(store.now());
      store.workloads?.prune(store.now());
    }
  }
  const fill = process.cpuUsage(fill0);
  const st = store.stats();
  console.log(
    `${PODS} pods, ${EDGES} edges, every ${EVERY} s for ${(2 * HALF_S) / 60} min (a tenth early only, a tenth late only, ` +
      `1% dropping late): ${st.records} records, ${st.edgeSeries} series, ${st.evictions} evictions, ${st.fineTrims} 1 s tier trims; fill ${((fill.user + fill.system) / 1e6).toFixed(1)} s CPU`,
  );
  const opts = { maxNodes: DEFAULT_CONFIG.graphMaxNodes, simulated: false };
  return {
    plain: (f, win) => queryGraph(store, { ...f, compare: '' }, win, opts),
    compared: (f, win) => graphAnswer(store, f, win, end, opts),
    rateWindowS: DEFAULT_CONFIG.rateWindowS,
  };
}

const made = BASE ? [await version(BASE), await version(here)] : [await version(here)];
const names = BASE ? ['base', 'new'] : [''];
const rateWindowS = made.at(-1)!.rateWindowS;
(globalThis as { gc?: () => void }).gc?.();
console.log(`load average after filling: ${load()}`);

function pct(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

const results: string[] = [];
for (const [name, choice] of [
  ['live', { from: '', to: '', at: '' }],
  ['15m', { from: 'now-15m', to: '', at: '' }],
] as const)
  for (const level of ['namespace', 'workload', 'pod'] as const) {
    const f: FilterState = { ...DEFAULT_FILTER, namespace: [], level, ...choice, compare: 'previous' };
    const win: TimeWindow = resolveTime(f, end, rateWindowS * 1000).window;
    const timed = made.map(() => ({
      wall: { plain: [] as number[], compared: [] as number[] },
      cpu: { plain: [] as number[], compared: [] as number[] },
    }));
    const last: GraphResponse[] = [];
    made.forEach((m, v) => {
      for (let i = 0; i < WARMUP; i++) {
        m.plain(f, win);
        last[v] = m.compared(f, win);
      }
    });
    for (let i = 0; i < RUNS; i++) {
      const order = made.map((_, v) => v);
      if (i % 2 === 1) order.reverse();
      for (const v of order)
        for (const which of ['plain', 'compared'] as const) {
          const c0 = process.cpuUsage();
          const w0 = process.hrtime.bigint();
          const out = made[v]![which](f, win);
          timed[v]!.wall[which].push(Number(process.hrtime.bigint() - w0) / 1e6);
          const c = process.cpuUsage(c0);
          timed[v]!.cpu[which].push((c.user + c.system) / 1000);
          if (which === 'compared') last[v] = out;
        }
    }
    const g = last.at(-1)!;
    const marks = new Map<string, number>();
    for (const e of g.edges) for (const c of e.changes ?? []) marks.set(c, (marks.get(c) ?? 0) + 1);
    const marked = [...marks].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
    const same = BASE ? `, same compared graph as base: ${isDeepStrictEqual(last[0], last[1])}` : '';
    console.log(
      `${name.padEnd(4)} level=${level.padEnd(9)} edges=${String(g.edges.length).padStart(5)} marked: ${marked}${same}`,
    );
    made.forEach((_, v) => {
      const { wall, cpu } = timed[v]!;
      for (const a of [wall.plain, wall.compared, cpu.plain, cpu.compared]) a.sort((x, y) => x - y);
      console.log(
        `  ${names[v]!.padEnd(4)} plain    wall p50 ${pct(wall.plain, 0.5).toFixed(1)} ms p99 ${pct(wall.plain, 0.99).toFixed(1)} ms  CPU p50 ${pct(cpu.plain, 0.5).toFixed(1)} ms p99 ${pct(cpu.plain, 0.99).toFixed(1)} ms\n` +
          `  ${names[v]!.padEnd(4)} compared wall p50 ${pct(wall.compared, 0.5).toFixed(1)} ms p99 ${pct(wall.compared, 0.99).toFixed(1)} ms  CPU p50 ${pct(cpu.compared, 0.5).toFixed(1)} ms p99 ${pct(cpu.compared, 0.99).toFixed(1)} ms` +
          `  (p50 ${(pct(wall.compared, 0.5) / pct(wall.plain, 0.5)).toFixed(2)}x plain)`,
      );
      results.push(
        `RESULT ${names[v] ? `${names[v]}_` : ''}compare_${name}_${level}_p99_ms=${pct(wall.compared, 0.99).toFixed(1)} cpu_p99_ms=${pct(cpu.compared, 0.99).toFixed(1)}`,
      );
    });
    if (BASE) {
      const [b, n] = timed;
      console.log(
        `  new / base compared: wall p50 ${(pct(n!.wall.compared, 0.5) / pct(b!.wall.compared, 0.5)).toFixed(2)}x, p99 ${(pct(n!.wall.compared, 0.99) / pct(b!.wall.compared, 0.99)).toFixed(2)}x`,
      );
    }
  }
for (const r of results) console.log(r);
console.log(`load average after: ${load()}`);
