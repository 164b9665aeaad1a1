/**
 * Restart to ready with 24 h of durable history at 5,000 pods / 50,000 edges (issue 14, target < 10 s),
 * and the disk bytes an hour of it takes. Writes the day into a scratch data directory through the
 * server's journal (journalDay.ts: 50 nodes, a batch a second each), then starts the real server
 * (`node server.ts`, WEFT_DATA_DIR there) and times it from spawn to the first 200 from /readyz; the
 * replay's share is what /api/v1/status says it took. Starts on an empty data directory alternate with
 * them (the cost of starting at all: Node, tsx, Fastify), so both see the same load. Run:
 *   node --conditions=weft-source --import tsx bench/server/restart.ts [--hours=24] [--runs=3] [--dir=<data dir>]
 * With --base=<dir> (an older commit's sources: bench/server/base.sh 034f2be /tmp/wrs-base) that version's
 * server starts on the same data in each round too, for the ratio of the replays.
 * With --dir of a directory already written (--keep kept it), the writing is skipped. The server runs with
 * a memory budget of 4 GiB (a day of this cluster is more than the default 512 MiB keeps: see the
 * diagnose and compare benches) and a retention an hour longer than the data, so every run reads it all.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDay } from './journalDay.js';
import { syntheticCluster } from './syntheticCluster.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const HOURS = Number(arg('hours') ?? 24);
const RUNS = Number(arg('runs') ?? 3);
const SPARSE_EVERY = Number(arg('sparse-every') ?? 900);
const RECENT_EVERY = Number(arg('recent-every') ?? 15);
const KEEP = process.argv.includes('--keep');
/** An older commit's sources (bench/server/base.sh <commit> <dir>): its server starts on the same data too. */
const BASE = arg('base');
const MEMORY_MB = 4096;
/**
 * An hour past the history's span: the data ends when it was written, and the starts come minutes later;
 * with the default 24 h the oldest segments would expire under the runs (and be deleted at each start).
 */
const RETENTION_S = HOURS * 3600 + 3600;
const serverTs = fileURLToPath(new URL('../../apps/server/src/server.ts', import.meta.url));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

const given = arg('dir');
const dir = given ?? mkdtempSync(join(tmpdir(), 'weft-restart-'));
const empty = mkdtempSync(join(tmpdir(), 'weft-restart-empty-'));
const dirBytes = (d: string) => readdirSync(d).reduce((sum, n) => sum + statSync(join(d, n)).size, 0);

console.log(`load average before: ${load()}`);
if (!given || !existsSync(dir) || readdirSync(dir).length === 0) {
  mkdirSync(dir, { recursive: true });
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const w = await writeDay({
    dir,
    cluster: syntheticCluster(5_000, 50_000),
    end: Date.now(),
    seconds: HOURS * 3600,
    sparseEvery: SPARSE_EVERY,
    recentEvery: RECENT_EVERY,
    recentS: 900,
    retentionMs: RETENTION_S * 1000,
  });
  const c = process.cpuUsage(cpu);
  console.log(
    `wrote ${HOURS} h: ${w.batches} batches from ${w.nodes} nodes, ${w.records} records, ${w.segments} segments, ` +
      `${(w.bytes / 2 ** 20).toFixed(0)} MiB (${(w.bytes / HOURS / 2 ** 20).toFixed(1)} MiB an hour, ` +
      `${(w.bytes / w.records).toFixed(0)} bytes a record); ${((c.user + c.system) / 1e6).toFixed(0)} s CPU, ` +
      `${((performance.now() - wall) / 1000).toFixed(0)} s wall`,
  );
}
const bytes = dirBytes(dir);
console.log(
  `data dir ${dir}: ${(bytes / 2 ** 20).toFixed(0)} MiB in ${readdirSync(dir).length} files; ` +
    `RESULT journal_bytes_per_hour=${Math.round(bytes / HOURS)}`,
);

if (RUNS === 0) {
  rmSync(empty, { recursive: true, force: true });
  process.exit(0);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

interface Start {
  readyMs: number;
  replayMs: number;
  batches: number;
  records: number;
  skipped: number;
  rssMiB: number;
  evictions: number;
  /** CPU seconds the server used until ready. */
  cpuS: number;
}

/** Spawns the server on `dataDir`, waits for /readyz, reads the status, stops it with SIGTERM. */
async function timeStart(dataDir: string, script = serverTs): Promise<Start> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const began = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [`--max-old-space-size=${MEMORY_MB}`, '--conditions=weft-source', '--import', 'tsx', script],
    {
      env: {
        ...process.env,
        WEFT_HOST: '127.0.0.1',
        WEFT_PORT: String(port),
        WEFT_DATA_DIR: dataDir,
        WEFT_MEMORY_BUDGET_MB: String(MEMORY_MB),
        WEFT_COARSE_RETENTION_S: String(RETENTION_S),
        WEFT_LOG_LEVEL: 'warn',
        WEFT_WEB_ROOT: '/nonexistent/weft-restart-bench',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let dead = false;
  void exited.then(() => {
    dead = true;
  });
  for (;;) {
    if (dead) throw new Error(`the server exited before it was ready: ${err}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const readyMs = performance.now() - began;
  // utime + stime of the server process (every thread), in clock ticks (100 a second on Linux).
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuS = (Number(fields[11]) + Number(fields[12])) / 100;
  const status = (await (await fetch(`${url}/api/v1/status`)).json()) as {
    history: { replayMs: number; replayedBatches: number; replayedRecords: number; skippedFiles: number };
  };
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const rss = metrics.match(/^weft_server_memory_bytes\{type="rss"\} (\S+)/m);
  const evicted = metrics.match(/^weft_server_store_evictions_total (\S+)/m);
  child.kill('SIGTERM');
  await exited;
  const h = status.history;
  return {
    readyMs,
    replayMs: h.replayMs,
    batches: h.replayedBatches,
    records: h.replayedRecords,
    skipped: h.skippedFiles,
    rssMiB: rss ? Number(rss[1]) / 2 ** 20 : Number.NaN,
    evictions: evicted ? Number(evicted[1]) : Number.NaN,
    cpuS,
  };
}

const full: Start[] = [];
const bare: Start[] = [];
const base: Start[] = [];
const sides = BASE ? ['full', 'base', 'empty'] : ['full', 'empty'];
for (let r = 0; r < RUNS; r++) {
  // Each round begins with another side, so none always runs first.
  for (const side of sides.map((_, i) => sides[(i + r) % sides.length]!)) {
    const s =
      side === 'base'
        ? await timeStart(dir, join(BASE!, 'apps/server/src/server.ts'))
        : await timeStart(side === 'full' ? dir : empty);
    (side === 'full' ? full : side === 'base' ? base : bare).push(s);
    console.log(
      `  run ${r + 1} ${side.padEnd(5)} ready ${(s.readyMs / 1000).toFixed(2)} s (${s.cpuS.toFixed(1)} s CPU), replay ${(s.replayMs / 1000).toFixed(2)} s ` +
        `(${s.batches} batches, ${s.records} records, ${s.skipped} files skipped), ${s.evictions} series evicted, rss ${s.rssMiB.toFixed(0)} MiB; load ${load()}`,
    );
  }
}
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[]) =>
  `${(Math.min(...xs) / 1000).toFixed(2)}-${(Math.max(...xs) / 1000).toFixed(2)}`;
const f = full.map((s) => s.readyMs);
const p = full.map((s) => s.replayMs);
const e = bare.map((s) => s.readyMs);
console.log(
  `restart to ready with ${HOURS} h: median ${(median(f) / 1000).toFixed(2)} s (${range(f)}), of which replay ` +
    `${(median(p) / 1000).toFixed(2)} s (${range(p)}); empty data dir ${(median(e) / 1000).toFixed(2)} s (${range(e)}); ` +
    `${HOURS === 24 ? `target < 10 s: ${median(f) < 10_000 ? 'met' : 'NOT met'}` : 'the target (< 10 s) is for 24 h'}; server CPU until ready ${median(full.map((x) => x.cpuS)).toFixed(1)} s ` +
    `(empty ${median(bare.map((x) => x.cpuS)).toFixed(1)} s)`,
);
if (BASE) {
  const b = base.map((s) => s.readyMs);
  const bp = base.map((s) => s.replayMs);
  console.log(
    `base (${BASE}): ready ${(median(b) / 1000).toFixed(2)} s (${range(b)}), replay ${(median(bp) / 1000).toFixed(2)} s ` +
      `(${range(bp)}), CPU until ready ${median(base.map((x) => x.cpuS)).toFixed(1)} s; this tree / base: replay ` +
      `${(median(p) / median(bp)).toFixed(2)}, CPU ${(median(full.map((x) => x.cpuS)) / median(base.map((x) => x.cpuS))).toFixed(2)}`,
  );
}
console.log(
  `RESULT restart_ready_ms=${Math.round(median(f))} replay_ms=${Math.round(median(p))} empty_ready_ms=${Math.round(median(e))}`,
);
console.log(`load average after: ${load()}`);
rmSync(empty, { recursive: true, force: true });
if (!KEEP && !given) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);
