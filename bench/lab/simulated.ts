/**
 * How fast the simulated source makes records (so it never limits a collector benchmark), and how many
 * records a simulated minute of the default scenario is per node. Run:
 *   node --conditions=weft-source --import tsx bench/lab/simulated.ts [--minutes 5]
 */
import { createSimulatedSource } from '@weft/lab';

const i = process.argv.indexOf('--minutes');
const minutes = i > 0 ? Number(process.argv[i + 1]) : 5;
for (const node of ['lab-node-1', 'lab-node-2']) {
  const source = createSimulatedSource({ node, realtime: false, now: () => 1_790_000_000_000 });
  let records = 0;
  let intervals = 0;
  const t0 = process.hrtime.bigint();
  for await (const r of source.records) {
    records++;
    if (r.type === 'stats' && ++intervals === minutes * 60) break;
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  await source.stop();
  console.log(
    `${node}: ${records} records for ${minutes} simulated min (${Math.round(records / minutes / 60)}/s of simulated time), generated at ${Math.round(records / secs)} records/s (${secs.toFixed(2)} s)`,
  );
}
