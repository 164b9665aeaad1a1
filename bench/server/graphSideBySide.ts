/**
 * Graph query latency of two versions of the server's store side by side, in one process under the
 * same load: each version fills its own store from the same synthetic cluster (bench/server/graph.ts),
 * then every level is queried alternately (base, new, new, base, ...) so the other engineers' load on
 * the shared machine falls on both alike. The base is a copy of an older commit's sources:
 *   bench/server/base.sh 47b1ea7 /tmp/wsx-base
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/graphSideBySide.ts --base=/tmp/wsx-base [--runs=30]
 * Also checks that both versions answer every level with the same graph.
 */

import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_FILTER, type FilterState, type GraphResponse } from '@weft/protocol';
import { flowBatch, syntheticCluster } from './syntheticCluster.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const BASE = arg('base');
if (!BASE) throw new Error('--base=<directory with the old apps/server/src> is required');
const RUNS = Number(arg('runs') ?? 30);
const WARMUP = Number(arg('warmup') ?? 5);
const EVERY = 15;
const PODS = 5_000;
const EDGES = 50_000;
const WINDOW_S = 900;
const here = new URL('../..', import.meta.url).pathname;

interface Version {
  name: string;
  query: (f: FilterState, win: { start: number; end: number }) => GraphResponse;
  wall: number[];
  cpu: number[];
}

const cluster = syntheticCluster(PODS, EDGES);
const end = Math.floor(Date.now() / 1000) * 1000;
const start = end - WINDOW_S * 1000;

async function load(name: string, root: string): Promise<Version> {
  const { DEFAULT_CONFIG } = await import(`${root}/apps/server/src/config.ts`);
  const { queryGraph } = await import(`${root}/apps/server/src/store/graphQuery.ts`);
  const { Store } = await import(`${root}/apps/server/src/store/store.ts`);
  const clock = { now: start };
  const store = new Store({ ...DEFAULT_CONFIG, now: () => clock.now });
  store.observedNodes = new Set(cluster.pods.map((p) => p.node));
  const perSecond = Math.ceil(EDGES / EVERY);
  for (let s = 0; s < WINDOW_S; s++) {
    const t = start + s * 1000;
    clock.now = t + 1000;
    store.ingest(flowBatch(cluster, (s % EVERY) * perSecond, perSecond, s, t), 'node-0');
  }
  const opts = { maxNodes: DEFAULT_CONFIG.graphMaxNodes, simulated: false };
  return { name, query: (f, win) => queryGraph(store, f, win, opts), wall: [], cpu: [] };
}

function pct(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

const versions = [await load('base', BASE), await load('new', here)];
(globalThis as { gc?: () => void }).gc?.();
console.log(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const win = { start: end - WINDOW_S * 1000, end };
for (const level of ['namespace', 'workload', 'pod'] as const) {
  const f: FilterState = { ...DEFAULT_FILTER, namespace: [], level };
  const answers = versions.map((v) => {
    let g = v.query(f, win);
    for (let i = 1; i < WARMUP; i++) g = v.query(f, win);
    v.wall = [];
    v.cpu = [];
    return g;
  });
  const same = isDeepStrictEqual(answers[0], answers[1]);
  for (let r = 0; r < RUNS; r++) {
    // Alternate who goes first, so neither always runs right after the other's garbage.
    const order = r % 2 === 0 ? versions : [versions[1]!, versions[0]!];
    for (const v of order) {
      const c0 = process.cpuUsage();
      const w0 = process.hrtime.bigint();
      v.query(f, win);
      v.wall.push(Number(process.hrtime.bigint() - w0) / 1e6);
      const c = process.cpuUsage(c0);
      v.cpu.push((c.user + c.system) / 1000);
    }
  }
  const cells = versions.map((v) => {
    v.wall.sort((a, b) => a - b);
    v.cpu.sort((a, b) => a - b);
    return `${v.name}: wall p50 ${pct(v.wall, 0.5).toFixed(1)} p99 ${pct(v.wall, 0.99).toFixed(1)} ms, CPU p50 ${pct(v.cpu, 0.5).toFixed(1)} p99 ${pct(v.cpu, 0.99).toFixed(1)} ms`;
  });
  const [b, n] = versions;
  const ratio = (pct(n!.wall, 0.5) / pct(b!.wall, 0.5)).toFixed(2);
  console.log(`${level.padEnd(9)} ${cells.join(' | ')} | new/base wall p50 ${ratio} | same graph: ${same}`);
  console.log(
    `RESULT graph_${level}_p99_ms base=${pct(b!.wall, 0.99).toFixed(1)} new=${pct(n!.wall, 0.99).toFixed(1)}`,
  );
}
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
