/**
 * Soak: a deployment-sized server (its own process, `--max-old-space-size=384`, WEFT_MAX_SERIES=100000,
 * and WEFT_MEMORY_BUDGET_MB when the server's configuration knows it) on 127.0.0.1, under `--minutes`
 * of mixed hostile load: the fuzz suite's ingest frames, a cardinality flood (ever-new pods, drop
 * reasons, DNS names), stalled sockets (an ingest frame never finished, HTTP headers never ended),
 * live clients that never read; next to a normal collector speaking the real protocol (BatchPacker)
 * with known counts, and a readyz poller in a thread of its own. It reports whether the server ever
 * exited (it must not), its RSS over time (from /proc/<pid>/status), whether every batch the normal
 * collector had acknowledged is in /api/v1/status and its bytes in /api/v1/timeseries, and readyz
 * latency p50/p99. Loopback only; every loop ends by itself. Exits 1 when the server died or lost
 * any of the normal collector's data. Run:
 *   node --conditions=weft-source --import tsx bench/server/soak.ts [--minutes=10] [--seed=1]
 *        [--built] [--budget-mb=230] [--out=soak.json] [--control] [--node-flags=--cpu-prof,--trace-gc]
 *        [--server-log=server.log] [--flood-per-batch=2000] [--nice=-10]
 * `--built` runs apps/server/dist (after `pnpm build`) instead of the sources through tsx; `--control`
 * runs the normal collector and the poller alone (no hostile load), the baseline to compare with.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ENV_VARS } from '@weft/server/internal/config';
import {
  type Counters,
  cardinalityFlood,
  fuzzedIngest,
  NormalCollector,
  type Stop,
  slowLiveClients,
  stalledSockets,
} from './soakLoad.js';

const arg = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(`--${name}=`.length);
const MINUTES = Number(arg('minutes') ?? 10);
const SEED = Number(arg('seed') ?? 1);
const BUILT = process.argv.includes('--built');
// The StatefulSet's: 60% of its 384 MiB heap (deploy/kubernetes/base/server-statefulset.yaml).
const BUDGET_MB = Number(arg('budget-mb') ?? 230);
const OUT = arg('out');
/** The normal collector and the poller alone: the figures the hostile run is compared with. */
const CONTROL = process.argv.includes('--control');
/** Extra node flags for the server's process, comma-separated (profiling: --cpu-prof, --trace-gc). */
const NODE_FLAGS = (arg('node-flags') ?? '').split(',').filter((f) => f !== '');
/** A file for the server's whole output (e.g. with `--node-flags=--trace-gc`). */
const SERVER_LOG = arg('server-log');
/** Records per flood batch (the cardinality flood's new pods a batch). */
const FLOOD_PER_BATCH = Number(arg('flood-per-batch') ?? 2000);
/**
 * A nice value (e.g. -10) for every thread of the server and for the readyz poller's thread: on a machine
 * shared with other work (and with this load generator), the server then has the CPU it would have as a
 * pod with its own CPU request, and readyz measures its event loop rather than the machine's queue.
 */
const NICE = Number(arg('nice') ?? 0);
const HOST = '127.0.0.1';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The server's process, ended whatever way the soak ends. */
const running: { server: ChildProcess | null } = { server: null };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function rssMb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Polls /readyz every 500 ms from a thread of its own, so the load's event loop does not skew it. */
/** Every thread of `pid` (as /proc lists them now) at nice `nice`. */
function reniceThreads(pid: number, nice: number): void {
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return;
  }
  for (const tid of tids) {
    try {
      setPriority(Number(tid), nice);
    } catch {}
  }
}

function readyzPoller(url: string): Worker {
  return new Worker(
    `const { parentPort } = require('node:worker_threads');
     if (${NICE} !== 0) require('node:os').setPriority(${NICE});
     let on = true;
     parentPort.on('message', () => { on = false; });
     (async () => {
       while (on) {
         const t = performance.now();
         let ok = false;
         try { ok = (await fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(5000) })).status === 200; } catch {}
         parentPort.postMessage({ ok, ms: performance.now() - t, at: Date.now() });
         await new Promise((r) => setTimeout(r, 500));
       }
       process.exit(0);
     })();`,
    { eval: true },
  );
}

async function json(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  return res.json();
}

async function main(): Promise<void> {
  const port = await freePort();
  const base = `http://${HOST}:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    WEFT_HOST: HOST,
    WEFT_PORT: String(port),
    WEFT_LOG_LEVEL: 'error',
    WEFT_WEB_ROOT: '/nonexistent/soak',
    WEFT_MAX_SERIES: '100000',
  };
  const budgetKnown = 'WEFT_MEMORY_BUDGET_MB' in ENV_VARS;
  if (budgetKnown) env.WEFT_MEMORY_BUDGET_MB = String(BUDGET_MB);
  const args = BUILT
    ? ['--max-old-space-size=384', ...NODE_FLAGS, 'apps/server/dist/server.js']
    : [
        '--max-old-space-size=384',
        ...NODE_FLAGS,
        '--conditions=weft-source',
        '--import',
        'tsx',
        'apps/server/src/server.ts',
      ];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.server = child;
  const tail: string[] = [];
  const keep = (d: Buffer) => {
    for (const line of d.toString().split('\n')) if (line.trim()) tail.push(line.slice(0, 400));
    tail.splice(0, Math.max(0, tail.length - 40));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (SERVER_LOG) {
    const log = createWriteStream(SERVER_LOG);
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  const t0 = Date.now();
  let exit: { code: number | null; signal: string | null; atS: number } | null = null;
  const stop: Stop = { at: Number.POSITIVE_INFINITY };
  let stopping = false;
  child.on('exit', (code, signal) => {
    if (stopping) return;
    exit = { code, signal, atS: Math.round((Date.now() - t0) / 1000) };
    stop.at = Math.min(stop.at, Date.now());
  });

  for (let i = 0; i < 240 && !exit; i++) {
    const ok = await fetch(`${base}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (exit) throw new Error(`server exited at start: ${JSON.stringify(exit)}\n${tail.join('\n')}`);
  const start = Date.now();
  stop.at = start + MINUTES * 60_000;
  console.log(
    `soak${CONTROL ? ' (control: no hostile load)' : ''}: server pid ${child.pid} on ${base} (${BUILT ? 'dist' : 'sources via tsx'}, --max-old-space-size=384, ` +
      `WEFT_MAX_SERIES=100000, ${budgetKnown ? `WEFT_MEMORY_BUDGET_MB=${BUDGET_MB}` : 'no WEFT_MEMORY_BUDGET_MB in this server'}), ` +
      `${MINUTES} min, seed ${SEED}${NICE !== 0 ? `, server and poller at nice ${NICE}` : ''}, load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );

  if (NICE !== 0 && child.pid) reniceThreads(child.pid, NICE);
  const rss: { s: number; mb: number }[] = [];
  const ready: { ok: boolean; ms: number; at: number }[] = [];
  const poller = readyzPoller(`${base}/readyz`);
  poller.on('message', (m) => ready.push(m));
  const c: Counters = {};
  const ws = `ws://${HOST}:${port}/api/v1`;
  const normal = new NormalCollector(`${ws}/ingest`);
  let lastPrint = 0;
  const sampler = setInterval(() => {
    const mb = child.pid && !exit ? rssMb(child.pid) : null;
    const s = Math.round((Date.now() - start) / 1000);
    if (mb !== null) rss.push({ s, mb });
    if (NICE !== 0 && child.pid && !exit) reniceThreads(child.pid, NICE);
    if (s - lastPrint >= 30) {
      lastPrint = s;
      const recent = ready
        .filter((r) => r.at > Date.now() - 30_000)
        .map((r) => r.ms)
        .sort((a, b) => a - b);
      console.log(
        `  t=${s}s rss=${mb?.toFixed(0) ?? '-'} MB readyz p99(30 s)=${quantile(recent, 0.99).toFixed(0)} ms ` +
          `normal sent/acked ${normal.sent}/${normal.acked} ${JSON.stringify(c)} load ${loadavg()[0]!.toFixed(1)}`,
      );
    }
  }, 1000);

  await Promise.all([
    normal.run(stop),
    ...(CONTROL
      ? []
      : [
          fuzzedIngest(`${ws}/ingest`, SEED, stop, c),
          fuzzedIngest(`${ws}/ingest`, SEED + 1, stop, c),
          cardinalityFlood(`${ws}/ingest`, stop, c, FLOOD_PER_BATCH),
          stalledSockets(HOST, port, stop, c),
          slowLiveClients(`${ws}/live`, SEED, stop, c),
        ]),
  ]);
  clearInterval(sampler);
  poller.postMessage('stop');

  // The normal collector's account: batches acknowledged vs stored for its node, bytes vs the timeseries.
  let storedBatches: number | null = null;
  let seriesBytes: number | null = null;
  let seriesBytes60: number | null = null;
  let metrics = '';
  if (!exit) {
    await new Promise((r) => setTimeout(r, 2000));
    try {
      const status = (await json(`${base}/api/v1/status`)) as {
        collectors: { node: string; batches: number }[];
      };
      storedBatches = status.collectors.find((x) => x.node === normal.node)?.batches ?? 0;
      // From just before the run, at 1 s while the fine tier holds it all (2,000 points at most).
      const span = Math.ceil((Date.now() - start) / 1000) + 5;
      const from = new Date(start - 5000).toISOString();
      const ts = (await json(
        `${base}/api/v1/timeseries?metric=bytes&namespace=soak-normal&from=${from}&step=${span <= 900 ? 1 : 60}`,
      )) as { step: number; series: { points: [number, number | null][] }[] };
      seriesBytes = ts.series.reduce(
        (sum, s) => sum + s.points.reduce((a, [, v]) => a + (v ?? 0) * ts.step, 0),
        0,
      );
      // The same at 60 s: the 1-minute tier, which a shortened 1 s tier does not reach.
      const coarse = (await json(
        `${base}/api/v1/timeseries?metric=bytes&namespace=soak-normal&from=${from}&step=60`,
      )) as typeof ts;
      seriesBytes60 = coarse.series.reduce(
        (sum, s) => sum + s.points.reduce((a, [, v]) => a + (v ?? 0) * coarse.step, 0),
        0,
      );
      metrics = await (await fetch(`${base}/metrics`)).text();
    } catch (err) {
      tail.push(`final queries failed: ${(err as Error).message}`);
    }
  }
  const endedAt = Date.now();
  if (!exit) {
    stopping = true;
    child.kill('SIGTERM');
    await Promise.race([
      new Promise((r) => child.once('exit', r)),
      new Promise((r) => setTimeout(r, 15_000)),
    ]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  const mbs = rss.map((r) => r.mb);
  const lat = ready
    .filter((r) => r.ok)
    .map((r) => r.ms)
    .sort((a, b) => a - b);
  const metric = (name: string) => new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(metrics)?.[1];
  const report = {
    minutes: MINUTES,
    seed: SEED,
    ranS: Math.round((endedAt - start) / 1000),
    serverExited: exit,
    rssMaxMb: mbs.length ? Math.round(Math.max(...mbs)) : null,
    rssEndMb: mbs.length ? Math.round(mbs[mbs.length - 1]!) : null,
    rssEveryMinute: rss.filter((r) => r.s % 60 === 0).map((r) => [r.s, Math.round(r.mb)]),
    readyz: {
      polls: ready.length,
      failed: ready.filter((r) => !r.ok).length,
      p50Ms: Math.round(quantile(lat, 0.5)),
      p99Ms: Math.round(quantile(lat, 0.99)),
      maxMs: Math.round(lat[lat.length - 1] ?? Number.NaN),
      // Each poll over 100 ms: when it started (ms since the server was spawned, to set beside the
      // server's --trace-gc times and CPU profile) and how long it took.
      slow: ready
        .filter((r) => r.ms > 100)
        .map((r) => ({ sinceSpawnMs: Math.round(r.at - r.ms - t0), ms: Math.round(r.ms) })),
    },
    normal: {
      sent: normal.sent,
      acked: normal.acked,
      storedBatches,
      rejected: normal.rejected,
      resyncs: normal.resyncs,
      reconnects: normal.reconnects,
      ackedBytes: normal.ackedBytes,
      timeseriesBytes: seriesBytes,
      timeseriesBytesAt60s: seriesBytes60,
    },
    load: c,
    serverMetrics: {
      series: metric('weft_server_store_series'),
      evictions: metric('weft_server_store_evictions_total'),
      rejected: metric('weft_server_ingest_rejected_messages_total'),
      abusiveClosed: metric('weft_server_ingest_abusive_closed_total'),
      liveSkipped: metric('weft_server_live_updates_skipped_total'),
      fineTrims: metric('weft_server_store_fine_trims_total'),
      fineWindowS: metric('weft_server_store_fine_window_seconds'),
    },
    loadavg: loadavg().map((l) => Number(l.toFixed(1))),
    serverTail: exit ? tail.slice(-15) : [],
  };
  console.log(JSON.stringify(report, null, 2));
  if (OUT) writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
  const lost = storedBatches === null || storedBatches < normal.acked;
  // Its bytes as the API shows them: every acknowledged byte, as in the control run (sums of rates
  // times the step, so equal up to rounding).
  const bytesLost = seriesBytes === null || seriesBytes < normal.ackedBytes * 0.999;
  const verdicts = [
    exit ? `FAIL: the server exited (${JSON.stringify(exit)})` : null,
    lost
      ? `FAIL: the normal collector had ${normal.acked} batches acked, ${storedBatches} in /api/v1/status`
      : null,
    bytesLost
      ? `FAIL: the normal collector had ${normal.ackedBytes} bytes acked, ${seriesBytes} in /api/v1/timeseries`
      : null,
  ].filter((v) => v !== null);
  console.log(
    verdicts.length > 0
      ? verdicts.join('\n')
      : 'OK: the server stayed up and holds every acknowledged batch and byte of the normal collector',
  );
  process.exit(verdicts.length > 0 ? 1 : 0);
}

// However the run goes, it ends: a hard stop well past the planned duration.
setTimeout(
  () => {
    console.error('soak: hard stop');
    running.server?.kill('SIGKILL');
    process.exit(2);
  },
  (MINUTES + 3) * 60_000,
).unref();

main().catch((err) => {
  console.error(err);
  running.server?.kill('SIGKILL');
  process.exit(2);
});
