#!/usr/bin/env node
/**
 * Collector CPU and memory under synthetic load (see collectorProcess.mjs):
 *   node bench/collector/run.mjs [--seconds 30] [--warmup 10] [--loads 1|2|3|1,3] [--bundle]
 *     [--node-flags="..."]... [--compare <checkout>] [--rounds N] [--cli]
 * Builds the compiled packages (what production runs), then for each load (1,000 flows + 10 DNS/s,
 * 20,000 flows + 10 DNS/s) starts a collector process, lets it warm up, and reads its CPU time and RSS
 * from /proc while a WebSocket sink acknowledges its batches and /metrics is scraped every 5 s.
 *
 * Node flags: without --node-flags, the collector's own (COLLECTOR_NODE_FLAGS in
 * packages/collector/src/nodeFlags.ts: what `weft collector` and the DaemonSet start Node with);
 * --node-flags= (empty) for Node's defaults.
 * --cli: the collector process also loads what `weft collector` loads before the collector (the CLI
 * entry's static imports and its collector command), so the module cost of the launch path counts.
 *
 * Side by side: each --node-flags (repeatable; "" is default flags) and, with --compare (repeatable),
 * other checkouts of the repository (a git worktree of an older commit, node_modules linked) make variants.
 * Every round measures every variant once, in an order rotated each round, so that the other load on
 * the machine falls on all of them alike; the summary gives medians and ratios to the first variant
 * (the first --compare checkout when given).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from '../../packages/collector/node_modules/ws/wrapper.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const SECONDS = arg('seconds', 30);
// Node flags for the collector process, e.g. --node-flags=--max-semi-space-size=2; repeatable.
const FLAG_SETS = process.argv
  .filter((a) => a.startsWith('--node-flags='))
  .map((a) => a.slice('--node-flags='.length).split(' ').filter(Boolean));
// Other checkouts to run beside this one (repeatable).
const COMPARE = process.argv.flatMap((a, i) => (a === '--compare' ? [process.argv[i + 1]] : []));
const ROUNDS = arg('rounds', 1);
const WARMUP = arg('warmup', 10);
const root = fileURLToPath(new URL('../../', import.meta.url));
const TCK = 100; // USER_HZ on Linux

// --bundle: run the collector as one minified esbuild bundle (how an image could ship it) instead of
// the compiled packages with their node_modules.
const BUNDLE = process.argv.includes('--bundle');
const CLI = process.argv.includes('--cli');

const trees = COMPARE.map((c) => ({ name: basename(c), root: realpathSync(c) }));
trees.push({ name: 'this', root });
const PACKAGES = ['packages/protocol', 'packages/bpf', 'packages/collector'];
// The CLI imports the lab and the server (its other commands), which must be built for it to load.
if (CLI) PACKAGES.push('packages/lab', 'apps/server', 'packages/cli');
for (const t of trees)
  for (const pkg of PACKAGES) {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(t.root, `${pkg}/tsconfig.build.json`)],
      { stdio: 'inherit' },
    );
  }

const dir = mkdtempSync(join(os.tmpdir(), 'wco-bench-'));
const processEntry = join(root, 'bench/collector/collectorProcess.mjs');
for (const t of trees) {
  // The same synthetic source for every tree; only the collector module it drives differs.
  t.module = join(t.root, 'packages/collector/dist/index.js');
  if (BUNDLE) {
    // esbuild comes with tsx (a root devDependency); resolved from there rather than declared again.
    const fromTsx = createRequire(realpathSync(join(root, 'node_modules/tsx/package.json')));
    const esbuild = fromTsx('esbuild');
    await esbuild.build({
      entryPoints: [join(t.root, 'packages/collector/dist/index.js')],
      outfile: join(dir, `${t.name}.collector.mjs`),
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
      banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    });
    t.module = join(dir, `${t.name}.collector.mjs`);
  }
}
if (FLAG_SETS.length === 0) {
  const { COLLECTOR_NODE_FLAGS } = await import(join(root, 'packages/collector/dist/nodeFlags.js'));
  FLAG_SETS.push([...COLLECTOR_NODE_FLAGS]);
}
const variants = trees.flatMap((t) =>
  FLAG_SETS.map((flags) => ({ ...t, flags, label: `${t.name}${flags.length ? ` ${flags.join(' ')}` : ''}` })),
);
const ip = (i) => `10.${200 + Math.floor(i / 65_536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
const inventory = {
  version: 1,
  nodes: [
    { name: 'bench-node', ips: ['192.168.77.1'] },
    { name: 'bench-other', ips: ['192.168.77.2'] },
  ],
  pods: Array.from({ length: 500 }, (_, i) => ({
    name: `app${i % 50}-${i}`,
    namespace: `ns${i % 10}`,
    ips: [ip(i)],
    node: i < 100 ? 'bench-node' : 'bench-other',
    workloadKind: 'Deployment',
    workload: `app${i % 50}`,
    labels: { app: `app${i % 50}` },
  })),
  services: Array.from({ length: 50 }, (_, i) => ({
    name: `app${i}`,
    namespace: `ns${i % 10}`,
    clusterIPs: [`10.96.0.${i + 1}`],
    ports: [{ port: 80, protocol: 'TCP' }],
    selector: { app: `app${i}` },
  })),
};
const invFile = join(dir, 'inventory.json');
writeFileSync(invFile, JSON.stringify(inventory));

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise((r) => wss.once('listening', r));
let received = 0;
wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.type === 'hello')
      ws.send(JSON.stringify({ type: 'welcome', protocol: m.protocol, serverVersion: 'bench', lastSeq: -1 }));
    else {
      // Protocol 1 sends flows as records, protocol 2 as columns.
      received += Array.isArray(m.flows) ? m.flows.length : m.flows.ts.length;
      ws.send(JSON.stringify({ type: 'ack', seq: m.seq }));
    }
  });
});
const url = `ws://127.0.0.1:${wss.address().port}/api/v1/ingest`;

function procStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpu = (Number(f[11]) + Number(f[12])) / TCK;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)[1]) * 1024;
  // RSS counts the node binary's mapped pages (file-backed, shared, reclaimable); RssAnon is the process's own.
  const anon = Number(/RssAnon:\s+(\d+)/.exec(status)[1]) * 1024;
  return { cpu, rss, anon };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Stopped early (Ctrl-C, timeout): take the collector process and the scratch directory along.
let current;
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    current?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });

async function measure(variant, flows, dnsPerSec, k8s = false) {
  received = 0;
  const child = spawn(
    process.execPath,
    [
      ...variant.flags,
      processEntry,
      String(flows),
      String(dnsPerSec),
      url,
      invFile,
      k8s ? 'k8s' : '',
      variant.module,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  current = child;
  const metricsUrl = await new Promise((resolve) =>
    child.stdout.once('data', (d) => resolve(d.toString().trim())),
  );
  const scrape = setInterval(
    () =>
      fetch(metricsUrl)
        .then((r) => r.text())
        .catch(() => ''),
    5000,
  );
  await sleep(WARMUP * 1000);
  const a = procStat(child.pid);
  const t0 = process.hrtime.bigint();
  const recv0 = received;
  let maxRss = a.rss;
  let maxAnon = a.anon;
  for (let s = 0; s < SECONDS; s++) {
    await sleep(1000);
    const p = procStat(child.pid);
    maxRss = Math.max(maxRss, p.rss);
    maxAnon = Math.max(maxAnon, p.anon);
  }
  const b = procStat(child.pid);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const text = await (await fetch(metricsUrl)).text();
  const series = Number(/^weft_collector_series (\d+)/m.exec(text)?.[1] ?? 0);
  clearInterval(scrape);
  const memory = await new Promise((resolve) => {
    child.stdout.once('data', (d) => resolve(JSON.parse(d.toString())));
    child.kill('SIGUSR2');
  });
  child.kill('SIGTERM');
  await new Promise((r) => child.once('close', r));
  return {
    variant: variant.label,
    loadAverage1m: os.loadavg()[0],
    nodeFlags: variant.flags.join(' '),
    bundled: BUNDLE,
    cli: CLI,
    flows,
    dnsPerSec,
    kubernetesClientLoaded: k8s,
    cpuPercentOfCore: (100 * (b.cpu - a.cpu)) / wall,
    rssMB: b.rss / 1048576,
    maxRssMB: maxRss / 1048576,
    rssAnonMB: b.anon / 1048576,
    maxRssAnonMB: maxAnon / 1048576,
    flowRecordsStreamedPerSec: (received - recv0) / wall,
    series,
    memory,
  };
}

// --loads 1: only the first load (the 1,000-flow target), for quick before/after comparisons;
// --loads 1,3: the loads named (1: 1,000 flows, 2: + Kubernetes client, 3: 20,000 flows).
const ALL_LOADS = [
  [1000, 10, false],
  [1000, 10, true],
  [20000, 10, false],
];
const loadsArg = process.argv[process.argv.indexOf('--loads') + 1] ?? '';
const LOADS =
  process.argv.includes('--loads') && loadsArg.includes(',')
    ? loadsArg.split(',').map((n) => ALL_LOADS[Number(n) - 1])
    : ALL_LOADS.slice(0, arg('loads', 3));
const results = [];
for (let round = 0; round < ROUNDS; round++)
  for (const [flows, dns, k8s] of LOADS)
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(i + round) % variants.length];
      const r = await measure(v, flows, dns, k8s);
      results.push(r);
      console.log(JSON.stringify(r));
    }
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
for (const [flows, dns, k8s] of LOADS) {
  const rows = variants.map((v) => {
    const rs = results.filter(
      (r) => r.variant === v.label && r.flows === flows && r.kubernetesClientLoaded === k8s,
    );
    const m = (k) => median(rs.map((r) => r[k]));
    return {
      v: v.label,
      rss: m('rssMB'),
      max: m('maxRssMB'),
      anon: m('rssAnonMB'),
      cpu: m('cpuPercentOfCore'),
    };
  });
  const base = rows[0];
  console.log(
    `\n${flows} flows + ${dns} DNS/s${k8s ? ' + Kubernetes client' : ''}, medians of ${ROUNDS} round(s):`,
  );
  console.log(
    '| variant | RSS MB (end) | RSS MB (max) | anonymous MB | CPU % core | RSS / first | max / first |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows)
    console.log(
      `| ${r.v} | ${r.rss.toFixed(1)} | ${r.max.toFixed(1)} | ${r.anon.toFixed(1)} | ${r.cpu.toFixed(2)} | ${(r.rss / base.rss).toFixed(3)} | ${(r.max / base.max).toFixed(3)} |`,
    );
}
wss.close();
rmSync(dir, { recursive: true, force: true });
console.log(
  `node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model}, load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
