/**
 * The soak's cardinality flood straight into a deployment-sized Store (WEFT_MAX_SERIES=100000,
 * WEFT_MEMORY_BUDGET_MB=230; run it under `--max-old-space-size=384` as the Deployment does), without
 * sockets: a flood batch (2,000 flows between new pods, 500 drops of new reasons, 500 DNS queries of
 * new names) a second of store time, one normal collector's batch and a prune step (the server's timer) beside each. Reports how
 * long each single call held the thread (p50 / p99 / max): what /readyz waits for behind it. Run:
 *   node --max-old-space-size=384 --conditions=weft-source --import tsx bench/server/floodStore.ts \
 *     [--batches=300] [--per-batch=2000]
 */

import type { Endpoint, IngestBatch } from '@weft/protocol';
import { DEFAULT_CONFIG } from '@weft/server/internal/config';
import { Store } from '@weft/server/internal/store/store';
import { floodBatch } from './soakLoad.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const BATCHES = Number(arg('batches') ?? 300);
const PER_BATCH = Number(arg('per-batch') ?? 2000);

let now = Date.now();
const store = new Store({
  ...DEFAULT_CONFIG,
  maxSeries: 100_000,
  memoryBudgetMiB: 230,
  now: () => now,
});

const ep = (name: string, ip: string): Endpoint => ({
  ip,
  kind: 'pod',
  namespace: 'soak-normal',
  name,
  workloadKind: 'Deployment',
  workload: name,
  service: '',
  node: 'soak-normal-node',
});
const normalEnds = Array.from({ length: 20 }, (_, i) => ep(`n${i}`, `10.99.0.${i + 1}`));
function normalBatch(seq: number): IngestBatch {
  return {
    type: 'batch',
    seq,
    start: now - 1000,
    end: now,
    flows: Array.from({ length: 200 }, (_, i) => ({
      ts: now - 1,
      src: normalEnds[i % 20]!,
      dst: normalEnds[(i + 1) % 20]!,
      sport: 40_000 + (i % 50),
      dport: 8080,
      proto: 'tcp' as const,
      dir: 'egress' as const,
      bytes: 1000,
      packets: 2,
      tcpFlags: 0x18,
    })),
    drops: [],
    tcp: [],
    tcpStats: [],
    dns: [],
    lost: 0,
  };
}

const times: Record<'flood' | 'normal' | 'prune', number[]> = { flood: [], normal: [], prune: [] };
const timed = (kind: keyof typeof times, f: () => void) => {
  const t = performance.now();
  f();
  times[kind].push(performance.now() - t);
};
const started = performance.now();
for (let k = 0; k < BATCHES; k++) {
  now += 1000;
  const flood = floodBatch(k * PER_BATCH, k, now, PER_BATCH);
  timed('flood', () => store.ingest(flood, `flood-node-${k % 7}`));
  const normal = normalBatch(k);
  timed('normal', () => store.ingest(normal, 'soak-normal-node'));
  timed('prune', () => store.pruneStep());
  if ((k + 1) % 50 === 0) {
    const f = [...times.flood.slice(-50)].sort((a, b) => a - b);
    console.log(
      `  ${k + 1} batches: series ${store.edges.size + store.dns.size + store.nsRollups.size}, ` +
        `evictions ${store.stats().evictions}, flood p50 ${f[25]!.toFixed(0)} max ${f[49]!.toFixed(0)} ms, ` +
        `heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
    );
  }
}
const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};
console.log(
  `${BATCHES} flood batches of ${PER_BATCH} in ${((performance.now() - started) / 1000).toFixed(1)} s; ms per call:`,
);
for (const [kind, xs] of Object.entries(times))
  console.log(
    `  ${kind.padEnd(6)} p50 ${q(xs, 0.5).toFixed(1)}  p99 ${q(xs, 0.99).toFixed(1)}  max ${Math.max(...xs).toFixed(1)}`,
  );
