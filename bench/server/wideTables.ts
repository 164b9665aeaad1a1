/**
 * Issue 12's flow-ring case: batches of one flow record each, every batch on a new endpoint table of
 * `--endpoints` endpoints (default 200,000), stored one after another; run it under a deployment's heap
 * limit to see the store keep to its budget instead of pinning every table. Run:
 *   node --max-old-space-size=384 --expose-gc --conditions=weft-source --import tsx \
 *     bench/server/wideTables.ts [--batches=60] [--mib=256]
 */

import { packBatch } from '@weft/protocol';
import { DEFAULT_CONFIG } from '@weft/server/internal/config';
import { Store } from '@weft/server/internal/store/store';
import { flowBatch, syntheticCluster } from './syntheticCluster.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const ENDPOINTS = Number(arg('endpoints') ?? 200_000);
const BATCHES = Number(arg('batches') ?? 60);
const MIB = Number(arg('mib') ?? 256);
const cluster = syntheticCluster(100, 10);
const now = Date.now();
const store = new Store({ ...DEFAULT_CONFIG, memoryBudgetMiB: MIB, now: () => now });
let peak = 0;
const t0 = performance.now();
for (let i = 0; i < BATCHES; i++) {
  const packed = packBatch(flowBatch(cluster, i, 1, i, now - 1000));
  // The table a collector would send: the flow's two ends, then endpoints no record names.
  const extra = Array.from({ length: ENDPOINTS }, (_, k) => ({
    ...cluster.pods[k % 100]!,
    ip: `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`,
    name: `pod-${i}-${k}-7d9f8c6b5-abcde`,
  }));
  store.ingestPacked({ ...packed, endpoints: [...packed.endpoints, ...extra] }, 'node-a');
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}
(globalThis.gc as () => void)();
const flows = store.memoryStatus().parts.find((p) => p.part === 'flows')!;
console.log(
  `${BATCHES} batches x 1 flow on ${ENDPOINTS}-endpoint tables, budget ${MIB} MiB: ${((performance.now() - t0) / 1000).toFixed(1)} s, peak heap ${(peak / 2 ** 20).toFixed(0)} MiB, after GC ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB; flow rows ${store.stats().flowRows}, flows share ${(flows.usedBytes / 2 ** 20).toFixed(1)}/${(flows.budgetBytes / 2 ** 20).toFixed(1)} MiB`,
);
