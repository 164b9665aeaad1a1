/**
 * The store's cost for one batch of late records: `--records` records (default 100,000) of each kind
 * named by --kinds (default flows; `all` adds drops, TCP connects, TCP stats and DNS), all on one edge
 * and one DNS client, their timestamps spread at random over the last `--span` seconds (default 24 h,
 * the coarse retention), after a batch at "now" made the tiers' newest bucket the present. The worst
 * case for running totals: every record lands before the tier's newest bucket. Run:
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/lateBatch.ts [--kinds=all]
 */

import { type IngestBatch, packBatch } from '@weft/protocol';
import { DEFAULT_CONFIG } from '@weft/server/internal/config';
import { Store } from '@weft/server/internal/store/store';
import { syntheticCluster } from './syntheticCluster.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const RECORDS = Number(arg('records') ?? 100_000);
const SPAN_S = Number(arg('span') ?? 86_400);
const ALL = arg('kinds') === 'all';
const RUNS = Number(arg('runs') ?? 5);

const cluster = syntheticCluster(100, 10);
const { client, server, port, sport } = cluster.edges[0]!;
const now = Date.now();
let seed = 7;
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const times = Array.from({ length: RECORDS }, () => now - Math.floor(rand() * SPAN_S * 1000));
const base = { src: client, dst: server, sport, dport: port, proto: 'tcp' as const, dir: 'egress' as const };
const empty = { type: 'batch' as const, flows: [], drops: [], tcp: [], tcpStats: [], dns: [], lost: 0 };
const present: IngestBatch = {
  ...empty,
  seq: 0,
  start: now - 1000,
  end: now,
  flows: [{ ...base, ts: now - 1, bytes: 100, packets: 1, tcpFlags: 0x18 }],
  dns: [
    { ts: now - 1, client, server, id: 1, qname: 'a.b', qtype: 'A', rcode: 'NOERROR', latencyUs: 100 },
  ] as IngestBatch['dns'],
};
const late: IngestBatch = {
  ...empty,
  seq: 1,
  start: now - SPAN_S * 1000,
  end: now,
  flows: times.map((ts) => ({ ...base, ts, bytes: 1500, packets: 2, tcpFlags: 0x18 })),
  ...(ALL
    ? {
        drops: times.map((ts, i) => ({
          ...base,
          ts,
          reason: `r${i % 40}`,
          kernelReason: 'X',
          packets: 1,
          bytes: 60,
        })),
        tcp: times.map((ts, i) => ({
          ...base,
          ts,
          ...(i % 3 ? { outcome: 'ok', latencyUs: 300 } : { outcome: 'fail', cause: 'refused' }),
        })),
        tcpStats: times.map((ts) => ({ ...base, ts, srttUs: 400, retransmits: 1 })),
        dns: times.map((ts, i) => ({
          ts,
          client,
          server,
          id: i,
          qname: `n${i % 50}.svc`,
          qtype: 'A',
          rcode: i % 4 ? 'NOERROR' : 'NXDOMAIN',
          latencyUs: 500,
        })),
      }
    : {}),
} as IngestBatch;
const packedPresent = packBatch(present);
const packedLate = packBatch(late);

const ms: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const store = new Store({ ...DEFAULT_CONFIG, now: () => now });
  store.ingestPacked(packedPresent, 'node-a');
  globalThis.gc?.();
  const t = performance.now();
  store.ingestPacked(packedLate, 'node-a');
  ms.push(performance.now() - t);
}
ms.sort((a, b) => a - b);
const records = RECORDS * (ALL ? 5 : 1);
console.log(
  `late batch: ${records} records over ${SPAN_S} s, ${RUNS} runs: min ${ms[0]!.toFixed(0)} ms, median ${ms[RUNS >> 1]!.toFixed(0)} ms, max ${ms[RUNS - 1]!.toFixed(0)} ms`,
);
