/**
 * Restart to ready with 24 h of durable history at 5,000 pods / 50,000 edges (issue 14, target < 10 s),
 * and the disk bytes an hour of it takes. Writes the day into a scratch data directory through the
 * server's journal (journalDay.ts: 50 nodes, a batch a second each), then starts the real server
 * (`node server.ts`, WEFT_DATA_DIR there) and times it from spawn to the first 200 from /readyz; the
 * replay's share is what /api/v1/status says it took. Starts on an empty data directory alternate with
 * them (the cost of starting at all: Node, tsx, Fastify), so both see the same load. Run:
 *   node --conditions=weft-source --import tsx bench/server/restart.ts [--hours=24] [--runs=3] [--dir=<data dir>] [--built]
 * With --base=<dir> (an older commit's sources: bench/server/base.sh 034f2be /tmp/wrs-base) that version's
 * server starts on the same data in each round too, for the ratio of the replays.
 * With --dir of a directory already written (--keep kept it), the writing is skipped. The server runs with
 * a memory budget of 4 GiB (a day of this cluster is more than the default 512 MiB keeps: see the
 * diagnose and compare benches) and a retention an hour longer than the data's age, so every run reads it all.
 *
 * Store snapshots (storeSnapshots.ts): a snapshot is made first as the server would have taken it at the
 * worst moment, the most journal before the data's end its triggers allow (--tail-min, --tail-mib:
 * default SNAPSHOT_MS and SNAPSHOT_JOURNAL_BYTES): the journal up to there replayed in this process and
 * the snapshot written into the data directory with that position (its cost is printed: the copy's
 * task, CPU, bytes, memory). Each full start then loads it and replays the journal after it.
 * --tail-min=-1: no snapshot (the whole journal, as before snapshots).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoint } from '@weft/protocol';
import { DEFAULT_CONFIG } from '@weft/server/internal/config';
import { BatchJournal } from '@weft/server/internal/history/batchJournal';
import { RecordKind, readSegment } from '@weft/server/internal/history/journalFormat';
import { replayJournal } from '@weft/server/internal/history/journalReplay';
import { SNAPSHOT_NAME } from '@weft/server/internal/history/snapshotFormat';
import { StoreClock } from '@weft/server/internal/history/storeClock';
import {
  SNAPSHOT_JOURNAL_BYTES,
  SNAPSHOT_MS,
  StoreSnapshots,
} from '@weft/server/internal/history/storeSnapshots';
import { Store } from '@weft/server/internal/store/store';
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
const TAIL_MIN = Number(arg('tail-min') ?? SNAPSHOT_MS / 60_000);
const TAIL_MIB = Number(arg('tail-mib') ?? SNAPSHOT_JOURNAL_BYTES / 2 ** 20);
const SEGMENT = /^(\d{15})-(\d{6})\.wjl$/;
const segmentsOf = (d: string) =>
  existsSync(d)
    ? readdirSync(d)
        .filter((n) => SEGMENT.test(n))
        .sort()
    : ([] as string[]);
/** A directory written earlier holds older data: the retention covers its age, so nothing of it expires. */
const oldest = segmentsOf(arg('dir') ?? '')[0];
const RETENTION_S = oldest
  ? Math.ceil((Date.now() - Number(SEGMENT.exec(oldest)![1])) / 1000) + 3600
  : HOURS * 3600 + 3600;
// --built: the compiled server (apps/server/dist, what the image runs; `pnpm build` first) instead of
// its sources through tsx, whose compiling is most of an empty start.
const BUILT = process.argv.includes('--built');
const serverTs = fileURLToPath(
  new URL(BUILT ? '../../apps/server/dist/server.js' : '../../apps/server/src/server.ts', import.meta.url),
);
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

/** The snapshot a server would have written `TAIL_MIN` minutes before the data's end (see above). */
async function prepareSnapshot(): Promise<string> {
  const segments = segmentsOf(dir);
  // The earliest record with less than TAIL_MIB of journal after it and within TAIL_MIN of the end:
  // the most a start replays when snapshots are taken as the server takes them.
  const records = (k: number) => {
    const buf = readFileSync(join(dir, segments[k]!));
    const out: { offset: number; at: number }[] = [];
    readSegment(buf, (r, offset) => {
      out.push({ offset, at: r.at });
      return undefined;
    });
    return { buf, out };
  };
  let k = segments.length - 1;
  let seg = records(k);
  const lastAt = seg.out[seg.out.length - 1]!.at;
  let cut = { k, offset: seg.buf.length, at: lastAt };
  let after = 0;
  search: for (; k >= 0; k--) {
    if (k < segments.length - 1) seg = records(k);
    for (let i = seg.out.length - 1; i >= 0; i--) {
      const r = seg.out[i]!;
      if (after + seg.buf.length - r.offset > TAIL_MIB * 2 ** 20 || r.at < lastAt - TAIL_MIN * 60_000)
        break search;
      cut = { k, offset: r.offset, at: r.at };
    }
    after += seg.buf.length;
  }
  const cutAt = cut.at - 1;
  const name = segments[cut.k]!;
  const offset = cut.offset;
  const buf = readFileSync(join(dir, name));
  // The journal up to the cut: the segments before it as they are, the cut one up to its record.
  const upTo = mkdtempSync(join(tmpdir(), 'weft-restart-cut-'));
  for (const n of segments.slice(0, cut.k)) symlinkSync(join(dir, n), join(upTo, n));
  writeFileSync(join(upTo, name), buf.subarray(0, offset));
  const clock = new StoreClock(() => cutAt + 1);
  const store = new Store({
    ...DEFAULT_CONFIG,
    memoryBudgetMiB: MEMORY_MB,
    coarseRetentionS: RETENTION_S,
    now: clock.now,
  });
  const log = {
    info() {},
    warn: (o: object, m: string) => console.error(m, o),
    error: (o: object, m: string) => console.error(m, o),
  };
  const files = new BatchJournal({
    dir: upTo,
    retentionMs: RETENTION_S * 1000,
    now: clock.now,
    log,
  }).segmentFiles();
  const cpu0 = process.cpuUsage();
  const r = replayJournal(files, { store, clock, retentionMs: RETENTION_S * 1000, log });
  const c0 = process.cpuUsage(cpu0);
  rmSync(upTo, { recursive: true, force: true });
  console.log(
    `snapshot before the last ${((lastAt - cutAt) / 60_000).toFixed(1)} min / ${((segments.slice(cut.k).reduce((s, n) => s + statSync(join(dir, n)).size, 0) - offset) / 2 ** 20).toFixed(1)} MiB of the journal (bounds ${TAIL_MIN} min, ${TAIL_MIB} MiB): journal up to ${new Date(cutAt).toISOString()} (${name} byte ${offset}) ` +
      `replayed in this process: ${r.batches} batches, ${r.records} records, ${(r.ms / 1000).toFixed(1)} s, ` +
      `${((c0.user + c0.system) / 1e6).toFixed(1)} s CPU; ${store.stats().edgeSeries} edge series`,
  );
  // Each stream's endpoint table at the cut, as the journal keeps them for a snapshot (position()).
  const tables = new Map<number, Endpoint[]>();
  readSegment(buf.subarray(0, offset), (r) => {
    const body = JSON.parse(r.body.toString('utf8'));
    if (r.kind === RecordKind.table) tables.set(r.stream, body);
    else if (r.kind === RecordKind.batch || r.kind === RecordKind.resent) {
      const held = body.endpointBase > 0 ? (tables.get(r.stream) ?? []) : [];
      for (const e of body.endpoints) held.push(e);
      tables.set(r.stream, held);
    }
    return undefined;
  });
  const position = { segment: name, start: Number(SEGMENT.exec(name)![1]), offset, tables: [...tables] };
  const snaps = new StoreSnapshots(dir, store, { position: () => position, appended: 0 }, log);
  // Longest gap between event-loop turns while it is taken (the copy's task, the CRC's slices).
  let longestGap = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    const t = performance.now();
    longestGap = Math.max(longestGap, t - last);
    last = t;
  }, 1);
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let rssPeak = rss0;
  const rssProbe = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 5);
  const cpu1 = process.cpuUsage();
  await snaps.take();
  const c1 = process.cpuUsage(cpu1);
  clearInterval(probe);
  clearInterval(rssProbe);
  if (snaps.errors > 0) throw new Error(`the snapshot failed: ${snaps.lastError}`);
  console.log(
    `snapshot written: ${(snaps.lastBytes / 2 ** 20).toFixed(0)} MiB, longest task ${snaps.lastTaskMs.toFixed(0)} ms ` +
      `(copy ${snaps.lastCopyMs.toFixed(0)} ms, head JSON ${snaps.lastEncodeMs.toFixed(0)} ms) ` +
      `(longest event-loop gap ${longestGap.toFixed(0)} ms), ${snaps.lastWriteMs.toFixed(0)} ms until on disk, ` +
      `${((c1.user + c1.system) / 1e3).toFixed(0)} ms CPU (this thread and libuv's pool), rss ${(rss0 / 2 ** 20).toFixed(0)} MiB ` +
      `-> peak ${(rssPeak / 2 ** 20).toFixed(0)} MiB; RESULT snapshot_bytes=${snaps.lastBytes} snapshot_task_ms=${Math.round(snaps.lastTaskMs)}`,
  );
  return snaps.files()[snaps.files().length - 1]!.path;
}

const snapshotsIn = () => readdirSync(dir).filter((n) => SNAPSHOT_NAME.test(n));
let prepared: string | null = null;
if (TAIL_MIN >= 0 && RUNS > 0) {
  for (const n of snapshotsIn()) unlinkSync(join(dir, n));
  prepared = await prepareSnapshot();
}

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
  snapshot: string | null;
  snapshotMs: number;
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
    [
      `--max-old-space-size=${MEMORY_MB}`,
      ...(BUILT && script === serverTs ? [] : ['--conditions=weft-source', '--import', 'tsx']),
      script,
    ],
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
    history: {
      replayMs: number;
      replayedBatches: number;
      replayedRecords: number;
      skippedFiles: number;
      snapshotLoaded?: string;
      snapshotLoadMs: number;
    };
  };
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const rss = metrics.match(/^weft_server_memory_bytes\{type="rss"\} (\S+)/m);
  const evicted = metrics.match(/^weft_server_store_evictions_total (\S+)/m);
  child.kill('SIGTERM');
  await exited;
  const h = status.history;
  // What a start may have written (after a long replay) goes: each start begins from the same files.
  if (prepared) for (const n of snapshotsIn()) if (join(dir, n) !== prepared) unlinkSync(join(dir, n));
  return {
    snapshot: h.snapshotLoaded ?? null,
    snapshotMs: h.snapshotLoadMs,
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
      `  run ${r + 1} ${side.padEnd(5)} ready ${(s.readyMs / 1000).toFixed(2)} s (${s.cpuS.toFixed(1)} s CPU), ` +
        `${s.snapshot ? `snapshot loaded ${(s.snapshotMs / 1000).toFixed(2)} s, ` : ''}replay ${(s.replayMs / 1000).toFixed(2)} s ` +
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
  `restart to ready with ${HOURS} h: median ${(median(f) / 1000).toFixed(2)} s (${range(f)}), of which ` +
    `${prepared ? `snapshot load ${(median(full.map((x) => x.snapshotMs)) / 1000).toFixed(2)} s (${range(full.map((x) => x.snapshotMs))}) and the journal after it ` : ''}replay ` +
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
  `RESULT restart_ready_ms=${Math.round(median(f))} replay_ms=${Math.round(median(p))} empty_ready_ms=${Math.round(median(e))}` +
    ` snapshot_load_ms=${Math.round(median(full.map((x) => x.snapshotMs)))}`,
);
console.log(`load average after: ${load()}`);
rmSync(empty, { recursive: true, force: true });
if (prepared) for (const n of snapshotsIn()) unlinkSync(join(dir, n));
if (!KEEP && !given) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);
