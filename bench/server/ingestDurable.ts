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
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/ingestDurable.ts [--rounds=7] [--batches=40] [--warmup=dropped|kept|collected]
 * With --base=<dir> (an older commit's sources: bench/server/base.sh 42b6a7a /tmp/h14-base) each round
 * runs that version's off and on sides too, the four in a rotating order, each in a process of its own,
 * and the ratios new / base are printed beside the figures.
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
const BASE = arg('base');
/** In a child: whose sources it runs, this tree's or the base's. */
const SIDE = arg('side') ?? 'new';
/** What becomes of the warm-up run's store: dropped (default), kept alive, or collected (forced GC). */
const WARMUP = arg('warmup') ?? 'dropped';
const records = BATCH * BATCHES;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** The modules the full path runs: this tree's, or the base's (--side=base). */
interface Parts {
  BatchJournal: typeof BatchJournal;
  Store: typeof Store;
  IngestSession: typeof IngestSession;
  CollectorRegistry: typeof CollectorRegistry;
  ServerMetrics: typeof ServerMetrics;
  BatchPacker: typeof BatchPacker;
  protocol: number;
}

async function parts(): Promise<Parts> {
  if (SIDE !== 'base' || !BASE)
    return {
      BatchJournal,
      Store,
      IngestSession,
      CollectorRegistry,
      ServerMetrics,
      BatchPacker,
      protocol: PROTOCOL_VERSION,
    };
  const src = `${BASE}/apps/server/src`;
  const protocol = await import(`${BASE}/packages/protocol/src/index.ts`);
  return {
    BatchJournal: (await import(`${src}/history/batchJournal.ts`)).BatchJournal,
    Store: (await import(`${src}/store/store.ts`)).Store,
    IngestSession: (await import(`${src}/ingest/ingestSession.ts`)).IngestSession,
    CollectorRegistry: (await import(`${src}/ingest/collectorRegistry.ts`)).CollectorRegistry,
    ServerMetrics: (await import(`${src}/serverMetrics.ts`)).ServerMetrics,
    BatchPacker: protocol.BatchPacker,
    protocol: protocol.PROTOCOL_VERSION,
  };
}

async function fullPath(durable: boolean): Promise<{ rate: number; bytes: number; kept: boolean }> {
  const { BatchJournal, Store, IngestSession, CollectorRegistry, ServerMetrics, BatchPacker, protocol } =
    await parts();
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
        protocol,
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
    return { rate: records / ((u.user + u.system) / 1e6), bytes, held: [store, s] as unknown[] | null };
  };
  // A whole run first, its store then dropped: the JIT has seen the shapes, the heap has grown. It is
  // not forced out before the timed run: until 2026-12-08 it was (--warmup=collected), and with no
  // object of those shapes left the forced GC likely took their hidden classes with it, so the timed
  // run paid V8 for deoptimizing and optimizing the ingest path again (--trace-deopt: 16 deopts, 71
  // optimizations inside it, its background threads' CPU 230-360 ms of 700-1,000) and for growing the
  // heap again. Dropped (the default), the timed run pays for sweeping the warm-up's store as it goes;
  // --warmup=kept keeps it alive instead, and the on side then pays for marking two stores (the
  // journal's buffers bring the major GCs on): on / off 0.87 that way, 1.00 dropped, 0.92 collected.
  const warm = await run();
  if (WARMUP !== 'kept') warm.held = null;
  if (WARMUP !== 'dropped') (globalThis as { gc?: () => void }).gc?.();
  const timed = await run();
  return { rate: timed.rate, bytes: timed.bytes, kept: warm.held !== null };
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
  // Sides: durability off and on, of this tree and (with --base) of the base, in an order that rotates
  // each round so that none always runs first or last.
  const sides = BASE ? ['new-off', 'new-on', 'base-off', 'base-on'] : ['new-off', 'new-on'];
  const rates: Record<string, number[]> = Object.fromEntries(sides.map((k) => [k, []]));
  let written = 0;
  for (let r = 0; r < ROUNDS; r++)
    for (let k = 0; k < sides.length; k++) {
      const key = sides[(k + r) % sides.length]!;
      const [side, durability] = key.split('-') as [string, string];
      const out = execFileSync(
        process.execPath,
        [
          ...process.execArgv,
          process.argv[1]!,
          `--solo=${durability}`,
          `--side=${side}`,
          ...(BASE ? [`--base=${BASE}`] : []),
          `--batches=${BATCHES}`,
          `--batch=${BATCH}`,
          `--warmup=${WARMUP}`,
        ],
        { encoding: 'utf8' },
      );
      const m = /^SOLO (\w+) (\d+) (\d+)$/m.exec(out);
      if (!m) throw new Error(`no result from the ${key} run: ${out}`);
      rates[key]!.push(Number(m[2]));
      if (key === 'new-on') written = Number(m[3]);
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
  const [off, on] = [median(rates['new-off']!), median(rates['new-on']!)];
  console.log(
    `${BATCHES} batches x ${BATCH} flow records (5,000 pods / 50,000 edges), ${ROUNDS} rounds, warm-up store ` +
      `${WARMUP}; ` +
      `journal wrote ${(written / 2 ** 20).toFixed(1)} MiB a run`,
  );
  for (const key of sides)
    console.log(
      `  ${key.padEnd(8)} ${sorted(rates[key]!).map(k).join(' ')} records/s per core ` +
        `(median ${k(median(rates[key]!))})`,
    );
  console.log(
    `on / off: ${(on / off).toFixed(2)} (target >= 0.9: ${on / off >= 0.9 ? 'met' : 'NOT met'}); on ${k(on)}/s ` +
      `(target >= 500k: ${on >= 500_000 ? 'met' : 'NOT met'})`,
  );
  // Each round's runs were back to back: a ratio within a round is less moved by the load's drift.
  const within = (a: string, b: string) => {
    const pairs = rates[a]!.map((x, i) => x / rates[b]![i]!);
    return `${sorted(pairs)
      .map((x) => x.toFixed(2))
      .join(' ')} (median ${median(pairs).toFixed(2)})`;
  };
  console.log(`  on / off within each round: ${within('new-on', 'new-off')}`);
  if (BASE) {
    const [baseOff, baseOn] = [median(rates['base-off']!), median(rates['base-on']!)];
    console.log(
      `  new / base by medians: off ${(off / baseOff).toFixed(2)}x, on ${(on / baseOn).toFixed(2)}x; base on / off ${(baseOn / baseOff).toFixed(2)}`,
    );
    console.log(
      `  new / base within each round: off ${within('new-off', 'base-off')}; on ${within('new-on', 'base-on')}`,
    );
  }
  // The journal alone (no parsing, no store): what durability adds to the off path's CPU, with less noise.
  const offS = records / off;
  console.log(
    `  journal alone: ${(journalS * 1000).toFixed(0)} ms CPU a run (median of 7) against ${(offS * 1000).toFixed(0)} ms ` +
      `for the off path: on would be ${(offS / (offS + journalS)).toFixed(3)} of off, ${k(records / (offS + journalS))}/s`,
  );
  console.log(
    `RESULT ingest_durable on=${on} off=${off} ratio=${(on / off).toFixed(3)} journal_s=${journalS}` +
      (BASE ? ` base_on=${median(rates['base-on']!)} base_off=${median(rates['base-off']!)}` : ''),
  );
  console.log(`load average after: ${load()}`);
}
