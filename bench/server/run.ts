/**
 * `pnpm bench server`: the server figures (about three minutes on 2 vCPU): ingest
 * records per second per core, graph query latency and store memory at 5,000 pods / 50,000 edges, ingest
 * with durable history on and off, and restart to ready with an hour of history.
 * Each runs in its own Node process with the flags it needs (GC exposed, workspace sources). Longer runs:
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/ingest.ts --batches=40
 *   node --expose-gc --conditions=weft-source --import tsx bench/server/graph.ts --runs=30
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const flags = ['--expose-gc', '--conditions=weft-source', '--import', 'tsx'];
const runs: [string, string[]][] = [
  // 40 batches: with 20, each of the 50,000 series gets 4 records and series creation dominates.
  ['bench/server/ingest.ts', ['--batches=40']],
  ['bench/server/graph.ts', ['--runs=15']],
  // Durable history (issue 14): ingest with the journal on and off, then an hour's restart (the day's
  // figure takes a quarter of an hour: bench/server/restart.ts --hours=24 --runs=3).
  ['bench/server/ingestDurable.ts', ['--rounds=3']],
  ['bench/server/restart.ts', ['--hours=1', '--runs=1']],
];

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `${os.cpus().length} x ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ` +
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
);
let failed = 0;
for (const [script, args] of runs) {
  console.log(`\n$ node ${flags.join(' ')} ${script} ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [...flags, script, ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
