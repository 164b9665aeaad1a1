/**
 * The memory budget's estimates against the heap: fills a store through the shapes that grew it past
 * its bounds (many series; buckets spread over a day under few series; drop rows naming long
 * endpoints), then prints each part's share and estimate beside the heap the store holds (heapUsed +
 * arrayBuffers after a full GC, less the same before). Run:
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/memoryBudget.ts [--mib=128]
 */

import { type IngestBatch, packBatch } from '@weft/protocol';
import { DEFAULT_CONFIG } from '@weft/server/internal/config';
import { Store } from '@weft/server/internal/store/store';
import { flowBatch, syntheticCluster } from './syntheticCluster.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const MIB = Number(arg('mib') ?? 128);
const gc = globalThis.gc as () => void;
const held = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const cluster = syntheticCluster(5_000, 50_000);
const before = held();
const now = Date.now();
let seed = 11;
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
/** Batch `i` of the three shapes, made when stored so the heap holds only what the store keeps. */
function batchAt(i: number): IngestBatch {
  if (i < 30) return flowBatch(cluster, i * 10_000, 10_000, i, now - 60_000 + i * 1000);
  if (i < 60) {
    const b = flowBatch(cluster, 0, 10_000, 100 + i, now - 1000);
    b.flows = b.flows.map((f, k) => {
      const e = cluster.edges[k % 1000]!;
      return { ...f, src: e.client, dst: e.server, dport: e.port, ts: now - Math.floor(rand() * 86_000_000) };
    });
    return b;
  }
  const b = flowBatch(cluster, i, 1, 200 + i, now - 1000);
  b.drops = Array.from({ length: 5_000 }, (_, k) => ({
    ...b.flows[0]!,
    src: { ...cluster.pods[k]!, name: `${cluster.pods[k]!.name}-${'z'.repeat(600)}-${i}` },
    reason: `reason-${k}`,
    kernelReason: 'X',
  }));
  return b;
}
const store = new Store({ ...DEFAULT_CONFIG, memoryBudgetMiB: MIB, now: () => now });
let peak = 0;
for (let i = 0; i < 80; i++) {
  store.ingestPacked(packBatch(batchAt(i)), `node-${i % 3}`);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}
const after = held();
const status = store.memoryStatus();
let estimated = 0;
for (const p of status.parts) {
  estimated += p.usedBytes;
  console.log(
    `${p.part.padEnd(10)} share ${(p.budgetBytes / 2 ** 20).toFixed(1).padStart(6)} MiB  estimate ${(p.usedBytes / 2 ** 20).toFixed(1).padStart(6)} MiB  evicted ${p.evicted}`,
  );
}
console.log(
  `budget ${MIB} MiB: estimates ${(estimated / 2 ** 20).toFixed(1)} MiB, heap held by the store ${((after - before) / 2 ** 20).toFixed(1)} MiB, peak heap ${(peak / 2 ** 20).toFixed(0)} MiB (series ${store.stats().edgeSeries}, buckets ${store.stats().fineBuckets}+${store.stats().coarseBuckets}, flow rows ${store.stats().flowRows})`,
);
