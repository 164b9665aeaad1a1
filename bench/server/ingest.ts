/**
 * Ingest throughput: flow records per second on one core, from the JSON text a collector sends to a
 * stored record (parse, schema validation, dedupe, store). The batches are packed as one collector's
 * connection sends them (protocol 3: each batch adds to the connection's endpoint table only the
 * endpoints it doesn't hold yet); a second figure packs every batch on its own (a new table each, as
 * protocol 2 did and as a collector does after each reconnect). Run:
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/ingest.ts [--batches=40] [--batch=10000]
 * With --base=<dir> (an older commit's sources: bench/server/base.sh 47b1ea7 /tmp/wsx-base) it then runs
 * that version's full path on its own wire format (protocol 1 batches when older than protocol 2) and
 * this version's, each in a process of its own, alternating --rounds=3 times, so both see the same load
 * on a shared machine.
 */

import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import {
  BatchPacker,
  EndpointTable,
  type IngestBatch,
  type PackedBatch,
  PROTOCOL_VERSION,
  packBatch,
  packedBatchProblem,
} from '@weft/protocol';
import { DEFAULT_CONFIG } from '@weft/server/internal/config';
import { CollectorRegistry } from '@weft/server/internal/ingest/collectorRegistry';
import { IngestSession, isPackedBatch } from '@weft/server/internal/ingest/ingestSession';
import { ServerMetrics } from '@weft/server/internal/serverMetrics';
import { Store } from '@weft/server/internal/store/store';
import { flowBatch, syntheticCluster } from './syntheticCluster.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const BATCH = Number(arg('batch') ?? 10_000);
const BATCHES = Number(arg('batches') ?? 40);
const BASE = arg('base');
const SOLO = arg('solo');
const ROUNDS = Number(arg('rounds') ?? 3);
/** What becomes of the warm-up run's store in the alternating runs: dropped (default) or collected. */
const WARMUP = arg('warmup') ?? 'dropped';
const cluster = syntheticCluster(5_000, 50_000);
const t0 = Date.now() - BATCHES * 1000;
const batches: IngestBatch[] = Array.from({ length: BATCHES }, (_, i) =>
  flowBatch(cluster, i * BATCH, BATCH, i, t0 + i * 1000),
);
// Buffers, as the WebSocket hands frames to the session: one connection's stream...
const packer = new BatchPacker();
const texts = batches.map((b) => Buffer.from(JSON.stringify(packer.pack(b))));
// ...and every batch on a new endpoint table.
const alone = batches.map((b) => Buffer.from(JSON.stringify(packBatch(b))));
const bytes = texts.reduce((a, t) => a + t.length, 0);
const aloneBytes = alone.reduce((a, t) => a + t.length, 0);
const records = BATCH * BATCHES;

interface SessionParts {
  IngestSession: typeof IngestSession;
  Store: typeof Store;
  CollectorRegistry: typeof CollectorRegistry;
  ServerMetrics: typeof ServerMetrics;
  protocol: number;
  /** The version's own wire format for the batches. */
  wire: () => Buffer[];
}

function session(p: SessionParts) {
  const store = new p.Store({ ...DEFAULT_CONFIG });
  const s = new p.IngestSession({
    store,
    collectors: new p.CollectorRegistry(),
    metrics: new p.ServerMetrics(),
    maxBadMessages: 10,
    maxResyncsInARow: 10,
    // The server's: the plausibility check on batch times runs as in production (older versions ignore it).
    retentionMs: DEFAULT_CONFIG.coarseRetentionS * 1000,
    now: Date.now,
    log: { warn() {}, info() {} },
  });
  s.onMessage(
    JSON.stringify({
      type: 'hello',
      protocol: p.protocol,
      node: 'node-0',
      boot: 'bench',
      collectorVersion: 'bench',
      hooks: [],
      simulated: false,
    }),
  );
  return { s, store };
}

const cpuSeconds = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;

async function loadBase(dir: string): Promise<SessionParts> {
  const protocol: number = (await import(`${dir}/packages/protocol/src/version.ts`)).PROTOCOL_VERSION;
  const protocolIndex = await import(`${dir}/packages/protocol/src/index.ts`);
  return {
    IngestSession: (await import(`${dir}/apps/server/src/ingest/ingestSession.ts`)).IngestSession,
    Store: (await import(`${dir}/apps/server/src/store/store.ts`)).Store,
    CollectorRegistry: (await import(`${dir}/apps/server/src/ingest/collectorRegistry.ts`)).CollectorRegistry,
    ServerMetrics: (await import(`${dir}/apps/server/src/serverMetrics.ts`)).ServerMetrics,
    protocol,
    wire: () => {
      // Protocol 1 sent the unpacked batch as is; 2 packed each batch on its own; 3 packs a stream.
      if (protocol < 2) return batches.map((b) => Buffer.from(JSON.stringify(b)));
      if (protocol < 3) return batches.map((b) => Buffer.from(JSON.stringify(protocolIndex.packBatch(b))));
      const p = new protocolIndex.BatchPacker();
      return batches.map((b) => Buffer.from(JSON.stringify(p.pack(b))));
    },
  };
}

/**
 * Rates are per CPU second of this process (user + system), not wall time: the machine is shared, and
 * "per core" is what CPU time measures. Wall time is printed beside it.
 */
function time(label: string, fn: () => void): number {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  fn();
  const s = cpuSeconds(process.cpuUsage(cpu));
  const w = Number(process.hrtime.bigint() - wall) / 1e9;
  const rate = records / s;
  console.log(
    `${label.padEnd(34)} ${(rate / 1000).toFixed(0).padStart(6)}k records/s per core  (${s.toFixed(2)} s CPU, ${w.toFixed(2)} s wall)`,
  );
  return rate;
}

const here: SessionParts = {
  IngestSession,
  Store,
  CollectorRegistry,
  ServerMetrics,
  protocol: PROTOCOL_VERSION,
  wire: () => texts,
};
const gc = (globalThis as { gc?: () => void }).gc;
const ack = (step: { send: { type: string }[] }) => {
  if (step.send[0]?.type !== 'ack') throw new Error(JSON.stringify(step.send[0]));
};

if (!SOLO) {
  // Warm-up on a throwaway store, so the JIT has seen the shapes.
  {
    const { s } = session(here);
    for (const t of texts.slice(0, 5)) ack(s.onMessage(t));
  }
  console.log(
    `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `${BATCHES} batches x ${BATCH} flow records, protocol ${PROTOCOL_VERSION}: ${(bytes / BATCHES / 1024).toFixed(0)} KiB JSON ` +
      `per batch (${(bytes / records).toFixed(0)} bytes a record; ${(aloneBytes / records).toFixed(0)} each on a new table), ` +
      '5,000 pods / 50,000 edges',
  );
  const parsed: PackedBatch[] = [];
  time('decode + JSON.parse only', () => {
    for (const t of texts) parsed.push(JSON.parse(t.toString('utf8')));
  });
  time('validation only (schema + indexes)', () => {
    for (const p of parsed)
      if (!isPackedBatch(p) || packedBatchProblem(p) !== null) throw new Error('invalid');
  });
  {
    const store = new Store({ ...DEFAULT_CONFIG });
    store.observedNodes = new Set(['node-0']);
    const table = new EndpointTable();
    time('store only (table resolve + store)', () => {
      for (const p of parsed) store.ingestPacked(table.resolve(p), 'node-0');
    });
  }
  // Later stages shouldn't pay GC for the parsed batches kept above.
  parsed.length = 0;
  gc?.();
  const rate = (() => {
    const { s, store } = session(here);
    const r = time('full path (parse+validate+store)', () => {
      for (const t of texts) ack(s.onMessage(t));
    });
    const st = store.stats();
    console.log(
      `stored ${st.records} records in ${st.edgeSeries} series; rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
    );
    return r;
  })();
  gc?.();
  const aloneRate = (() => {
    const { s } = session(here);
    return time('full path, each batch on a new table', () => {
      for (const t of alone) ack(s.onMessage(t));
    });
  })();
  console.log(`RESULT ingest_records_per_second_per_core=${Math.round(rate)}`);
  console.log(`RESULT ingest_records_per_second_per_core_new_tables=${Math.round(aloneRate)}`);
}

/** The full path of one version alone, on its own wire format: what the alternating runs below time. */
async function fullPathAlone(parts: SessionParts, wire: Buffer[]): Promise<number> {
  {
    const { s } = session(parts);
    // A whole run first, into a store then dropped: a child has not run the other stages, whose JIT
    // work and grown heap the parent's full path inherits (a server's steady state has both). Not
    // forced out before the timed run (--warmup=collected, as until 2026-12-08): bench/server/
    // ingestDurable.ts says why.
    for (const t of wire) ack(s.onMessage(t));
  }
  if (WARMUP === 'collected') gc?.();
  const { s } = session(parts);
  const c = process.cpuUsage();
  for (const t of wire) ack(s.onMessage(t));
  return records / cpuSeconds(process.cpuUsage(c));
}

if (BASE && SOLO) {
  // A child of the alternating runs: one version's full path in a process of its own.
  const parts = SOLO === 'base' ? await loadBase(BASE) : here;
  console.log(`SOLO ${SOLO} ${Math.round(await fullPathAlone(parts, parts.wire()))}`);
} else if (BASE) {
  // Each version in its own process (own heap, own GC), base and new alternating, so the load on the
  // shared machine falls on both alike; the median of each side is the figure.
  const rates: Record<string, number[]> = { base: [], new: [] };
  for (let r = 0; r < ROUNDS; r++)
    for (const side of r % 2 === 0 ? ['base', 'new'] : ['new', 'base']) {
      const out = execFileSync(
        process.execPath,
        [
          ...process.execArgv,
          process.argv[1]!,
          `--solo=${side}`,
          `--base=${BASE}`,
          `--batches=${BATCHES}`,
          `--batch=${BATCH}`,
          `--warmup=${WARMUP}`,
        ],
        { encoding: 'utf8' },
      );
      const m = /^SOLO (\w+) (\d+)$/m.exec(out);
      if (!m) throw new Error(`no result from the ${side} run: ${out}`);
      rates[side]!.push(Number(m[2]));
    }
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const k = (n: number) => `${(n / 1000).toFixed(0)}k`;
  const [b, n] = [median(rates.base!), median(rates.new!)];
  console.log(
    `alternating runs, full path alone: base ${rates.base!.map(k).join(' ')} (median ${k(b)}), ` +
      `new ${rates.new!.map(k).join(' ')} (median ${k(n)}) records/s per core: ${(n / b).toFixed(2)}x`,
  );
  console.log(`RESULT ingest_side_by_side base=${b} new=${n}`);
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}
