/**
 * What DNS names on flows cost ingest: the store's time for the same packed batches (--batches of
 * --batch flows over the synthetic cluster's 50,000 edges) with no name learned (rows are not looked
 * up) and with a name learned for every edge's client and server (every row is looked up and named:
 * the worst case). Both in one process, alternating --rounds times, so both see the same load.
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/flowNames.ts [--batches=20] [--batch=10000] [--rounds=5]
 */
import { loadavg } from 'node:os';
import { type PackedBatch, packBatch } from '@weft/protocol';
import { DEFAULT_CONFIG } from '@weft/server/internal/config';
import { Store } from '@weft/server/internal/store/store';
import { flowBatch, syntheticCluster } from './syntheticCluster.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const BATCH = Number(arg('batch') ?? 10_000);
const BATCHES = Number(arg('batches') ?? 20);
const ROUNDS = Number(arg('rounds') ?? 5);
const cluster = syntheticCluster(5_000, 50_000);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function run(named: boolean): { ms: number; rows: number; namedRows: number } {
  const t0 = Date.now() - BATCHES * 1000;
  const batches: PackedBatch[] = Array.from({ length: BATCHES }, (_, i) =>
    packBatch(flowBatch(cluster, i * BATCH, BATCH, i, t0 + i * 1000)),
  );
  const store = new Store({ ...DEFAULT_CONFIG, maxFlowRows: BATCH * BATCHES });
  if (named)
    for (const e of cluster.edges)
      store.dnsNames.learn({
        ts: t0,
        client: e.client.ip,
        server: '10.96.0.10',
        qname: `${e.server.name}.${e.server.namespace}.svc.cluster.local`,
        qtype: 'A',
        rcode: 'NOERROR',
        addrs: [{ ip: e.server.ip, ttl: 3600 }],
      });
  gc();
  const start = process.hrtime.bigint();
  for (const b of batches) store.ingestPacked(b, 'node-1');
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let namedRows = 0;
  store.recentFlows((r) => {
    if (r.dns) namedRows++;
    return true;
  });
  return { ms, rows: store.flows.size, namedRows };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const out: Record<'off' | 'on', number[]> = { off: [], on: [] };
let named = 0;
let rows = 0;
run(false); // warm-up
for (let r = 0; r < ROUNDS; r++)
  for (const v of r % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
    const x = run(v === 'on');
    out[v].push(x.ms / BATCHES);
    if (v === 'on') named = x.namedRows;
    rows = x.rows;
  }
const fmt = (xs: number[]) =>
  `median ${median(xs).toFixed(2)} ms a batch (${(BATCH / median(xs)).toFixed(0)}k flows/s), spread ${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}`;
console.log(
  JSON.stringify({
    batch: BATCH,
    batches: BATCHES,
    rounds: ROUNDS,
    rows,
    namedRows: named,
    loadavg: loadavg().map((l) => Number(l.toFixed(2))),
  }),
);
console.log(`no names learned:        ${fmt(out.off)}`);
console.log(`every row named:         ${fmt(out.on)}`);
console.log(
  `cost: ${(((median(out.on) - median(out.off)) / median(out.off)) * 100).toFixed(1)}% of the store's ingest time`,
);
