/**
 * Ingest throughput: flow records per second on one core, from the JSON text a collector sends to a
 * stored record (parse, schema validation, dedupe, store). Run:
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/ingest.ts [--batches=60] [--batch=10000]
 */

import { DEFAULT_CONFIG } from '../../apps/server/src/config.js';
import { CollectorRegistry } from '../../apps/server/src/ingest/collectorRegistry.js';
import { IngestSession, isIngestBatch } from '../../apps/server/src/ingest/ingestSession.js';
import { ServerMetrics } from '../../apps/server/src/serverMetrics.js';
import { Store } from '../../apps/server/src/store/store.js';
import { type IngestBatch, PROTOCOL_VERSION } from '../../packages/protocol/src/index.js';
import { type CompactBatch, expandBatch, packBatch } from './compactBatch.js';
import { flowBatch, syntheticCluster } from './syntheticCluster.js';

const arg = (name: string, def: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const BATCH = arg('batch', 10_000);
const BATCHES = arg('batches', 60);
const cluster = syntheticCluster(5_000, 50_000);
const t0 = Date.now() - BATCHES * 1000;
const texts = Array.from({ length: BATCHES }, (_, i) =>
  JSON.stringify(flowBatch(cluster, i * BATCH, BATCH, i, t0 + i * 1000)),
);
const bytes = texts.reduce((a, t) => a + t.length, 0);
// The same batches with an endpoint table (records name their ends by index): the wire change measured.
const compactTexts = Array.from({ length: BATCHES }, (_, i) =>
  JSON.stringify(packBatch(flowBatch(cluster, i * BATCH, BATCH, i, t0 + i * 1000))),
);
const compactBytes = compactTexts.reduce((a, t) => a + t.length, 0);

function session() {
  const store = new Store({ ...DEFAULT_CONFIG });
  const collectors = new CollectorRegistry();
  const s = new IngestSession({
    store,
    collectors,
    metrics: new ServerMetrics(),
    maxBadMessages: 10,
    now: Date.now,
    log: { warn() {}, info() {} },
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
  return { s, store };
}

/**
 * Rates are per CPU second of this process (user + system), not wall time: the machine is shared, and
 * "per core" is what CPU time measures. Wall time is printed beside it.
 */
function time(label: string, fn: () => void): number {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  fn();
  const used = process.cpuUsage(cpu);
  const s = (used.user + used.system) / 1e6;
  const w = Number(process.hrtime.bigint() - wall) / 1e9;
  const rate = (BATCH * BATCHES) / s;
  console.log(
    `${label.padEnd(34)} ${(rate / 1000).toFixed(0).padStart(6)}k records/s per core  (${s.toFixed(2)} s CPU, ${w.toFixed(2)} s wall)`,
  );
  return rate;
}

// Warm-up on a throwaway store, so the JIT has seen the shapes.
{
  const { s } = session();
  for (const t of texts.slice(0, 5)) s.onMessage(t);
}
console.log(
  `${BATCHES} batches x ${BATCH} flow records, ${(bytes / BATCHES / 1024).toFixed(0)} KiB JSON per batch, 5,000 pods / 50,000 edges`,
);
const parsed: unknown[] = [];
time('JSON.parse only', () => {
  for (const t of texts) parsed.push(JSON.parse(t));
});
time('schema validation only', () => {
  for (const p of parsed) if (!isIngestBatch(p)) throw new Error('invalid');
});
{
  const store = new Store({ ...DEFAULT_CONFIG });
  store.observedNodes = new Set(['node-0']);
  time('store only', () => {
    for (const p of parsed) store.ingest(p as IngestBatch, 'node-0');
  });
}
// Later stages shouldn't pay GC for the parsed batches kept above.
parsed.length = 0;
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const rate = (() => {
  const { s, store } = session();
  const r = time('full path (parse+validate+store)', () => {
    for (const t of texts) {
      const step = s.onMessage(t);
      if (step.send[0]?.type !== 'ack') throw new Error(JSON.stringify(step.send[0]));
    }
  });
  const st = store.stats();
  console.log(
    `stored ${st.records} records in ${st.edgeSeries} series; rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  );
  return r;
})();
gc?.();

console.log(
  `compact wire (not the protocol yet): ${(compactBytes / BATCHES / 1024).toFixed(0)} KiB JSON per batch, ` +
    `${(compactBytes / BATCHES / BATCH).toFixed(0)} bytes a record (full endpoints: ${(bytes / BATCHES / BATCH).toFixed(0)})`,
);
time('compact: JSON.parse only', () => {
  for (const t of compactTexts) JSON.parse(t);
});
const compact = session().store;
const compactRate = time('compact: parse+expand+validate+store', () => {
  for (const t of compactTexts) {
    const batch = expandBatch(JSON.parse(t) as CompactBatch);
    if (!isIngestBatch(batch)) throw new Error('invalid');
    compact.ingest(batch, 'node-0');
  }
});
console.log(`RESULT ingest_records_per_second_per_core=${Math.round(rate)}`);
console.log(`RESULT ingest_compact_wire_records_per_second_per_core=${Math.round(compactRate)}`);
