/**
 * Ingest with durability on and off, side by side (issue 14, target: on at least 0.9 of off, and at
 * least 500,000 flow records per second per core). The full path of bench/server/ingest.ts (the JSON
 * frame a collector sends, parse, validation, store) through an IngestSession, with and without the
 * server's journal (BatchJournal in a scratch data directory, flushing on its own timer as in the
 * server): each side in a Node process of its own, alternating `--rounds` times so both meet the same
 * load on a shared machine; the median of each side and the ratio of the medians are the figures.
 * Between batches the loop yields (a WebSocket delivers each frame in a task of its own), so the
 * journal's timer writes while ingest goes on; the timed span ends when the journal has written
 * everything (close), so writing is counted. Rates are per CPU second of the process, every thread
 * (libuv's pool does the writes) included. Run:
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/ingestDurable.ts [--rounds=7] [--batches=40]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { BatchPacker, type Endpoint, PROTOCOL_VERSION } from '@weft/protocol';
import { DEFAULT_CONFIG } from '@weft/server/internal/config';
import { BatchJournal } from '@weft/server/internal/history/batchJournal';
import { CollectorRegistry } from '@weft/server/internal/ingest/collectorRegistry';
import { IngestSession } from '@weft/server/internal/ingest/ingestSession';
import { ServerMetrics } from '@weft/server/internal/serverMetrics';
import { Store } from '@weft/server/internal/store/store';
import { flowBatch, syntheticCluster } from './syntheticCluster.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const BATCH = Number(arg('batch') ?? 10_000);
const BATCHES = Number(arg('batches') ?? 40);
const ROUNDS = Number(arg('rounds') ?? 7);
const SOLO = arg('solo');
const records = BATCH * BATCHES;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function fullPath(durable: boolean): Promise<{ rate: number; bytes: number }> {
  const cluster = syntheticCluster(5_000, 50_000);
  const t0 = Date.now() - BATCHES * 1000;
  const packer = new BatchPacker();
  const texts = Array.from({ length: BATCHES }, (_, i) =>
    Buffer.from(JSON.stringify(packer.pack(flowBatch(cluster, i * BATCH, BATCH, i, t0 + i * 1000)))),
  );
  const run = async () => {
    const dir = durable ? mkdtempSync(join(tmpdir(), 'weft-ingest-durable-')) : '';
    const journal = durable
      ? new BatchJournal({
          dir,
          retentionMs: DEFAULT_CONFIG.coarseRetentionS * 1000,
          now: Date.now,
          log: { info() {}, error: (o, m) => console.error(m, o) },
        })
      : null;
    journal?.start();
    const store = new Store({ ...DEFAULT_CONFIG });
    const s = new IngestSession({
      store,
      collectors: new CollectorRegistry(),
      metrics: new ServerMetrics(),
      maxBadMessages: 10,
      maxResyncsInARow: 10,
      retentionMs: DEFAULT_CONFIG.coarseRetentionS * 1000,
      now: Date.now,
      log: { warn() {}, info() {} },
      journal,
    });
    s.onMessage(
      JSON.stringify({
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        node: 'node-0',
        boot: 'bench',
        collectorVersion: 'bench',
        hooks: [],
        simulated: false,
      }),
    );
    const c = process.cpuUsage();
    for (const t of texts) {
      const step = s.onMessage(t);
      if (step.send[0]?.type !== 'ack') throw new Error(JSON.stringify(step.send[0]));
      await tick();
    }
    await journal?.close();
    const u = process.cpuUsage(c);
    const bytes = journal?.bytesOnDisk ?? 0;
    if (dir) rmSync(dir, { recursive: true, force: true });
    return { rate: records / ((u.user + u.system) / 1e6), bytes };
  };
  // A whole run first into a store then dropped: the JIT has seen the shapes, the heap has grown.
  await run();
  (globalThis as { gc?: () => void }).gc?.();
  return run();
}

/**
 * The journal's own CPU for one run's batches: BatchJournal.batch for each frame as the session calls
 * it, then everything written (close). The median of `n` runs, in seconds.
 */
async function journalAlone(n: number): Promise<number> {
  const cluster = syntheticCluster(5_000, 50_000);
  const t0 = Date.now() - BATCHES * 1000;
  const packer = new BatchPacker();
  const table: Endpoint[] = [];
  const frames = Array.from({ length: BATCHES }, (_, i) => {
    const p = packer.pack(flowBatch(cluster, i * BATCH, BATCH, i, t0 + i * 1000));
    const base = p.endpointBase;
    for (const e of p.endpoints) table.push(e);
    return { frame: Buffer.from(JSON.stringify(p)), base, size: table.length };
  });
  const times: number[] = [];
  for (let r = 0; r < n + 1; r++) {
    const dir = mkdtempSync(join(tmpdir(), 'weft-journal-alone-'));
    const journal = new BatchJournal({
      dir,
      retentionMs: DEFAULT_CONFIG.coarseRetentionS * 1000,
      now: Date.now,
      log: { info() {}, error: (o, m) => console.error(m, o) },
    });
    const stream = {};
    const c = process.cpuUsage();
    for (const f of frames) {
      journal.batch(stream, f.frame, f.base, table.slice(0, f.size), 'node-0', Date.now());
      await tick();
    }
    await journal.close();
    const u = process.cpuUsage(c);
    rmSync(dir, { recursive: true, force: true });
    // The first is a warm-up.
    if (r > 0) times.push((u.user + u.system) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

if (SOLO === 'journal') {
  console.log(`SOLO journal ${await journalAlone(Number(arg('n') ?? 7))}`);
} else if (SOLO) {
  const r = await fullPath(SOLO === 'on');
  console.log(`SOLO ${SOLO} ${Math.round(r.rate)} ${r.bytes}`);
} else {
  console.log(`load average before: ${load()}`);
  const rates: Record<string, number[]> = { on: [], off: [] };
  let written = 0;
  for (let r = 0; r < ROUNDS; r++)
    for (const side of r % 2 === 0 ? ['off', 'on'] : ['on', 'off']) {
      const out = execFileSync(
        process.execPath,
        [...process.execArgv, process.argv[1]!, `--solo=${side}`, `--batches=${BATCHES}`, `--batch=${BATCH}`],
        { encoding: 'utf8' },
      );
      const m = /^SOLO (\w+) (\d+) (\d+)$/m.exec(out);
      if (!m) throw new Error(`no result from the ${side} run: ${out}`);
      rates[side]!.push(Number(m[2]));
      if (side === 'on') written = Number(m[3]);
    }
  const journalS = Number(
    /^SOLO journal (\S+)$/m.exec(
      execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, '--solo=journal'], {
        encoding: 'utf8',
      }),
    )?.[1],
  );
  const sorted = (xs: number[]) => xs.slice().sort((a, b) => a - b);
  const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
  const k = (n: number) => `${(n / 1000).toFixed(0)}k`;
  const [off, on] = [median(rates.off!), median(rates.on!)];
  console.log(
    `${BATCHES} batches x ${BATCH} flow records (5,000 pods / 50,000 edges), ${ROUNDS} alternating rounds; ` +
      `journal wrote ${(written / 2 ** 20).toFixed(1)} MiB a run`,
  );
  for (const side of ['off', 'on'])
    console.log(
      `  durability ${side.padEnd(3)} ${sorted(rates[side]!).map(k).join(' ')} records/s per core ` +
        `(median ${k(median(rates[side]!))})`,
    );
  console.log(
    `on / off: ${(on / off).toFixed(2)} (target >= 0.9: ${on / off >= 0.9 ? 'met' : 'NOT met'}); on ${k(on)}/s ` +
      `(target >= 500k: ${on >= 500_000 ? 'met' : 'NOT met'})`,
  );
  // Each round's pair ran back to back: the ratio within a round is less moved by the load's drift.
  const pairs = rates.on!.map((x, i) => x / rates.off![i]!);
  console.log(
    `  on / off within each round: ${sorted(pairs)
      .map((x) => x.toFixed(2))
      .join(' ')} (median ${median(pairs).toFixed(2)})`,
  );
  // The journal alone (no parsing, no store): what durability adds to the off path's CPU, with less noise.
  const offS = records / off;
  console.log(
    `  journal alone: ${(journalS * 1000).toFixed(0)} ms CPU a run (median of 7) against ${(offS * 1000).toFixed(0)} ms ` +
      `for the off path: on would be ${(offS / (offS + journalS)).toFixed(3)} of off, ${k(records / (offS + journalS))}/s`,
  );
  console.log(
    `RESULT ingest_durable on=${on} off=${off} ratio=${(on / off).toFixed(3)} journal_s=${journalS}`,
  );
  console.log(`load average after: ${load()}`);
}
