/**
 * Flow search over a full flow ring: p50/p99 of GET /api/v1/flows's work after parsing (queryFlows:
 * one pass over every held row, counting all matches, a page of 100 sorted), with three filters, and
 * the heap each retained row costs. Two stores: the deployment's settings (WEFT_MAX_FLOW_ROWS 50,000,
 * WEFT_MEMORY_BUDGET_MB 230: deploy/kubernetes), filled until the ring is full, and a ring raised to
 * 1,000,000 rows (budget 2,048 MiB so its byte share does not bind first). Rows are the synthetic
 * cluster's (5,000 pods, 50,000 edges, bench/server/syntheticCluster.ts) in batches of 1,000 from 50
 * nodes, 1% of them with a policy drop beside, packed and resolved per node as collectors and the
 * ingest session do (a node's batches share its connection's endpoint table). Memory per row: the heap (after gc) of a store holding
 * the rows, less that of a store fed the same batches with a 100-row ring.
 * Run:
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/flowSearch.ts [--runs=50] [--rounds=3] [--rows=1000000]
 * With --base=<dir> (an older commit's sources: bench/server/base.sh 425c80b /tmp/fs-base) each query is
 * also run by that commit's search over the same store, the two alternating run by run, and their
 * answers must be equal; the ratio base/new of the p50s and p99s is printed beside.
 */

import { loadavg } from 'node:os';
import {
  BatchPacker,
  EndpointTable,
  type IngestBatch,
  parseFilter,
  parseFlowSearch,
  type TimeWindow,
} from '@weft/protocol';
import { DEFAULT_CONFIG } from '@weft/server/internal/config';
import { queryFlows } from '@weft/server/internal/store/flowsQuery';
import { Store } from '@weft/server/internal/store/store';
import { flowBatch, syntheticCluster } from './syntheticCluster.js';

const arg = (name: string, def: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const BASE = process.argv.find((a) => a.startsWith('--base='))?.slice('--base='.length);
type QueryFlows = typeof queryFlows;
const baseQuery: QueryFlows | null = BASE
  ? ((await import(`${BASE}/apps/server/src/store/flowsQuery.ts`)) as { queryFlows: QueryFlows }).queryFlows
  : null;
const RUNS = arg('runs', 50);
const ROUNDS = arg('rounds', 3);
const ROWS = arg('rows', 1_000_000);
const WARMUP = 5;
const BATCH = 1000;
const NODES = 50;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(`load average before: ${load()}`);

const cluster = syntheticCluster(5_000, 50_000);
const start = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;

/** Batch `n`: 1,000 flows of the cluster's edges, one node's second, and a policy drop per 100 flows. */
function batch(n: number): { batch: IngestBatch; node: string } {
  const t = start + Math.floor(n / NODES) * 1000;
  const b = flowBatch(cluster, n * BATCH, BATCH, n, t);
  b.drops = b.flows
    .filter((_f, i) => i % 100 === 0)
    .map((f) => ({
      ts: f.ts,
      src: f.src,
      dst: f.dst,
      sport: f.sport + 1,
      dport: f.dport,
      proto: 'tcp' as const,
      dir: 'ingress' as const,
      reason: 'policy_drop',
      kernelReason: 'NETFILTER_DROP',
      packets: 1,
      bytes: 60,
    }));
  return { batch: b, node: `node-${n % NODES}` };
}

/** A store fed batches until its ring has seen `rows` rows (or is full and stays so); its window. */
function filled(maxFlowRows: number, memoryBudgetMiB: number, rows: number) {
  const clock = { now: start };
  const store = new Store({ ...DEFAULT_CONFIG, maxFlowRows, memoryBudgetMiB, now: () => clock.now });
  // Packed as a collector packs and resolved as the ingest session does: each node's batches share its
  // connection's endpoint table.
  const packers = new Map<string, { packer: BatchPacker; table: EndpointTable }>();
  let n = 0;
  const t0 = process.cpuUsage();
  while (store.flows.head + 1 < rows) {
    const { batch: b, node } = batch(n++);
    clock.now = b.end + 200;
    let c = packers.get(node);
    if (!c) {
      c = { packer: new BatchPacker(), table: new EndpointTable() };
      packers.set(node, c);
    }
    store.ingestPacked(c.table.resolve(c.packer.pack(b)), node);
  }
  const cpu = process.cpuUsage(t0);
  const win: TimeWindow = { start, end: clock.now };
  return { store, win, batches: n, fillS: (cpu.user + cpu.system) / 1e6 };
}

const QUERIES = [
  'namespace=ns-3&protocol=tcp&port=5432',
  'namespace=ns-3&verdict=dropped&reason=policy_drop',
  'q=svc-7&dir=egress&sort=bytes',
  'namespace=ns-3&protocol=tcp&port=5432&merge=connection',
  '',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Median of the rounds' p50s and p99s, with their ranges. */
function summary(rounds: { p50: number; p99: number }[]) {
  const p50s = rounds.map((x) => x.p50).sort((a, b) => a - b);
  const p99s = rounds.map((x) => x.p99).sort((a, b) => a - b);
  const mid = Math.floor(rounds.length / 2);
  const ms = (v: number) => v.toFixed(1);
  return {
    p50: p50s[mid]!,
    p99: p99s[mid]!,
    text:
      `p50 ${ms(p50s[mid]!)} ms (${ms(p50s[0]!)}-${ms(p50s[p50s.length - 1]!)}), ` +
      `p99 ${ms(p99s[mid]!)} ms (${ms(p99s[0]!)}-${ms(p99s[p99s.length - 1]!)})`,
  };
}

function bench(label: string, store: Store, win: TimeWindow) {
  console.log(`\n${label}: ${store.flows.size} rows held (ring capacity ${store.flows.capacity})`);
  const sides: [string, QueryFlows][] = baseQuery
    ? [
        ['new', queryFlows],
        ['base', baseQuery],
      ]
    : [['new', queryFlows]];
  for (const q of QUERIES) {
    const params = Object.fromEntries(new URLSearchParams(q));
    const f = parseFilter(params, ['sort', 'merge']).state;
    const s = parseFlowSearch(params).search;
    const rounds = new Map<string, { p50: number; p99: number }[]>(sides.map(([n]) => [n, []]));
    let total = 0;
    if (baseQuery) {
      const [a, b] = [queryFlows(store, f, win, s), baseQuery(store, f, win, s)];
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${q}: the base and new answers differ`);
    }
    for (let r = 0; r < ROUNDS; r++) {
      const times = new Map<string, number[]>(sides.map(([n]) => [n, []]));
      for (let i = 0; i < WARMUP + RUNS; i++) {
        // Alternating which goes first, so neither always runs on the other's garbage.
        const order = i % 2 === 0 ? sides : [...sides].reverse();
        for (const [name, query] of order) {
          const t = performance.now();
          total = query(store, f, win, s).total;
          if (i >= WARMUP) times.get(name)!.push(performance.now() - t);
        }
      }
      for (const [name, t] of times) {
        t.sort((a, b) => a - b);
        rounds.get(name)!.push({ p50: percentile(t, 0.5), p99: percentile(t, 0.99) });
      }
    }
    const now = summary(rounds.get('new')!);
    let line = `  ${q || '(no filter)'}: ${total} matches; ${now.text} over ${ROUNDS} rounds of ${RUNS}`;
    if (baseQuery) {
      const base = summary(rounds.get('base')!);
      line +=
        `; base ${base.text}; base/new p50 ${(base.p50 / now.p50).toFixed(2)}x, ` +
        `p99 ${(base.p99 / now.p99).toFixed(2)}x`;
    }
    console.log(line);
  }
}

function heapAfterGc(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

// The deployment's settings: as many rows as its ring keeps.
{
  const d = filled(DEFAULT_CONFIG.maxFlowRows, 230, 200_000);
  const share = d.store.memoryStatus().parts.find((p) => p.part === 'flows')!;
  console.log(
    `deployment settings (maxFlowRows ${DEFAULT_CONFIG.maxFlowRows}, memory budget 230 MiB): ` +
      `${d.batches} batches fed, ${d.store.flows.size} rows held, flows share ${(share.usedBytes / 2 ** 20).toFixed(1)} ` +
      `of ${(share.budgetBytes / 2 ** 20).toFixed(1)} MiB, ${share.evicted} evicted by bytes`,
  );
  bench('deployment settings', d.store, d.win);
}

// Raised to `ROWS`: the search at a million, and the heap per row against a 100-row ring.
{
  const baseHeap0 = heapAfterGc();
  const small = filled(100, 2048, ROWS);
  const smallHeap = heapAfterGc() - baseHeap0;
  const smallBatches = small.batches;
  (small as { store?: Store }).store = undefined;
  const heap0 = heapAfterGc();
  const big = filled(ROWS, 2048, ROWS);
  const bigHeap = heapAfterGc() - heap0;
  console.log(
    `\nraised: ${big.batches} batches (${smallBatches} for the 100-row store), fill ${big.fillS.toFixed(1)} s CPU; ` +
      `heap ${(bigHeap / 2 ** 20).toFixed(0)} MiB against ${(smallHeap / 2 ** 20).toFixed(0)} MiB with a 100-row ring: ` +
      `${((bigHeap - smallHeap) / (big.store.flows.size - 100)).toFixed(0)} bytes per retained row; ` +
      `the ring's own estimate ${(big.store.memoryStatus().parts.find((p) => p.part === 'flows')!.usedBytes / big.store.flows.size).toFixed(0)} bytes per row`,
  );
  bench(`raised to ${ROWS}`, big.store, big.win);
}
console.log(`\nload average after: ${load()}`);
