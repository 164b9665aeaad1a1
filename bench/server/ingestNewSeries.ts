/**
 * What making series costs the store's ingest: the first 5 batches of 10,000 flows over the synthetic
 * cluster (5,000 pods / 50,000 edges) each make 10,000 new pod-level series; timed (CPU of the process)
 * with `Store.ingestPacked` alone on already parsed batches, beside the next 35 batches, which make none
 * (a new 1 s bucket per series), and the heap each new series holds (heapUsed after a full GC, over the
 * series made). Each run in a new store, `--runs` a process, the first runs' stores kept alive (the JIT
 * warm, the heap grown: the last run is the figure). With --base=<dir> (bench/server/base.sh) the base's
 * store runs in processes of its own, alternating, `--rounds` times. Run:
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/ingestNewSeries.ts [--base=/tmp/h14-base] [--rounds=5]
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { BatchPacker, EndpointTable, type PackedBatch } from '@weft/protocol';
import { DEFAULT_CONFIG } from '@weft/server/internal/config';
import { Store } from '@weft/server/internal/store/store';
import { flowBatch, syntheticCluster } from './syntheticCluster.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const BASE = arg('base');
const SIDE = arg('side');
const ROUNDS = Number(arg('rounds') ?? 5);
const RUNS = Number(arg('runs') ?? 4);
const BATCH = 10_000;
const BATCHES = 40;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

async function solo(side: string): Promise<string> {
  const S: typeof Store =
    side === 'base' ? (await import(`${BASE}/apps/server/src/store/store.ts`)).Store : Store;
  const cluster = syntheticCluster(5_000, 50_000);
  const t0 = Date.now() - BATCHES * 1000;
  const packer = new BatchPacker();
  const texts = Array.from({ length: BATCHES }, (_, i) =>
    JSON.stringify(packer.pack(flowBatch(cluster, i * BATCH, BATCH, i, t0 + i * 1000))),
  );
  const kept: Store[] = [];
  let out = '';
  for (let r = 0; r < RUNS; r++) {
    const table = new EndpointTable();
    const batches = texts.map((t) => table.resolve(JSON.parse(t) as PackedBatch));
    gc();
    const heap = process.memoryUsage().heapUsed;
    const store = new S({ ...DEFAULT_CONFIG });
    const c = process.cpuUsage();
    for (const b of batches.slice(0, 5)) store.ingestPacked(b, 'node-0');
    const making = cpuMs(process.cpuUsage(c));
    gc();
    const bytes = (process.memoryUsage().heapUsed - heap) / store.stats().edgeSeries;
    const c2 = process.cpuUsage();
    for (const b of batches.slice(5)) store.ingestPacked(b, 'node-0');
    const rest = cpuMs(process.cpuUsage(c2));
    kept.push(store);
    out = `${making.toFixed(1)} ${rest.toFixed(1)} ${bytes.toFixed(0)}`;
  }
  return out;
}

if (SIDE) console.log(`SOLO ${SIDE} ${await solo(SIDE)}`);
else {
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const sides = BASE ? ['base', 'new'] : ['new'];
  const res: Record<string, number[][]> = { base: [], new: [] };
  for (let r = 0; r < ROUNDS; r++)
    for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
      const out = execFileSync(
        process.execPath,
        [...process.execArgv, process.argv[1]!, `--side=${side}`, ...(BASE ? [`--base=${BASE}`] : [])],
        { encoding: 'utf8' },
      );
      const m = /^SOLO \w+ (\S+) (\S+) (\S+)$/m.exec(out);
      if (!m) throw new Error(`no result from the ${side} run: ${out}`);
      res[side]!.push([Number(m[1]), Number(m[2]), Number(m[3])]);
    }
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const col = (side: string, k: number) => res[side]!.map((x) => x[k]!);
  for (const side of sides)
    console.log(
      `${side.padEnd(4)} 5 batches making 50,000 series: ${col(side, 0).join(' ')} ms CPU (median ${median(col(side, 0))}); ` +
        `35 batches making none: median ${median(col(side, 1))} ms; heap per new series ${median(col(side, 2))} bytes`,
    );
  if (BASE)
    console.log(
      `new / base: making ${(median(col('new', 0)) / median(col('base', 0))).toFixed(2)}, the rest ${(median(col('new', 1)) / median(col('base', 1))).toFixed(2)}, bytes ${(median(col('new', 2)) / median(col('base', 2))).toFixed(2)}`,
    );
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}
