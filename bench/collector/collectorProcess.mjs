/**
 * One collector under synthetic load, in its own process so its CPU and memory can be read from /proc:
 *   node bench/collector/collectorProcess.mjs <flows> <dnsPerSec> <serverUrl> <inventoryFile> [kubernetes]
 *     [collector module] [cli dist]
 * The real pipeline from decoded records on: identity, aggregation, Prometheus metrics, the ingest
 * stream. The source replaces the probe with what it would emit: every interval one record per active
 * flow (the probe drains its flow map once per interval), DNS pairs, a few TCP connects and RTT samples.
 * `kubernetes`: identity from the Kubernetes API (`--identity kubernetes`, the cluster found the
 * collector's own way: run.mjs sets KUBECONFIG to its fake API server) instead of the inventory file.
 * Prints the /metrics URL on stdout once it runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';

const [flowsArg, dnsArg, serverUrl, inventory, identity, collectorModule, cliDist, compat] =
  process.argv.slice(2);
// What `weft collector` loads before the collector: the CLI entry's static imports and its command.
if (cliDist) {
  const main = readFileSync(join(cliDist, 'main.js'), 'utf8');
  const imports = [...main.matchAll(/^import .* from '(\.\/[^']+)';$/gm)].map((m) => m[1]);
  for (const m of [...imports, './commands/collector.js']) await import(pathToFileURL(join(cliDist, m)).href);
}
// run.mjs may point at another checkout's compiled collector (side-by-side runs) or at a bundle of it.
const collectorRoot = join(import.meta.dirname, '../../packages/collector');
const { parseCollectorConfig, startCollector } = await import(
  pathToFileURL(collectorModule || join(collectorRoot, 'dist/index.js')).href
);
const FLOWS = Number(flowsArg);
const DNS_PER_SEC = Number(dnsArg);
const LOCAL_PODS = 100;
const REMOTE_PODS = 400;
const ip = (i) => `10.${200 + Math.floor(i / 65_536)}.${Math.floor(i / 256) % 256}.${i % 256}`;

function makeSource() {
  let stopped = false;
  let wake = null;
  const queue = [];
  const flows = Array.from({ length: FLOWS }, (_, i) => ({
    src: ip(i % LOCAL_PODS),
    dst: ip(LOCAL_PODS + ((i * 7919) % REMOTE_PODS)),
    sport: 20_000 + (i % 40_000),
    dport: [80, 443, 5432, 6379][i % 4],
  }));
  let tick = 0;
  const timer = setInterval(() => {
    const ts = Date.now();
    tick++;
    for (const f of flows) {
      queue.push({
        type: 'flow',
        ts,
        ...f,
        proto: 'tcp',
        ifname: 'bench0',
        dir: 'egress',
        bytes: 1500,
        packets: 3,
        tcp_flags: 0x18,
      });
    }
    for (let i = 0; i < DNS_PER_SEC; i++) {
      const c = ip(i % LOCAL_PODS);
      queue.push({
        type: 'dns',
        ts,
        client: c,
        server: ip(LOCAL_PODS),
        cport: 50_000 + i,
        id: (tick * 31 + i) & 0xffff,
        qname: `svc-${i}.production.svc.cluster.local`,
        qtype: 'A',
        rcode: i % 20 === 0 ? 'NXDOMAIN' : 'NOERROR',
        answers: 1,
        latency_us: 300 + i * 10,
      });
    }
    for (let i = 0; i < 5; i++) {
      const f = flows[(tick * 5 + i) % flows.length];
      queue.push({ type: 'tcp', ts, event: 'connect_ok', ...f, latency_us: 400 });
      queue.push({ type: 'tcp_stats', ts, ...f, srtt_us: 250, retransmits: 0 });
    }
    queue.push({ type: 'stats', ts, flow_overflow: 0, ring_lost: 0, links: LOCAL_PODS });
    wake?.();
  }, 1000);
  return {
    records: {
      async *[Symbol.asyncIterator]() {
        yield { type: 'hello', ts: Date.now(), version: 1, hooks: ['bench'], kernel: 'bench' };
        while (!stopped) {
          while (queue.length > 0) yield queue.shift();
          await new Promise((r) => {
            wake = r;
          });
          wake = null;
        }
      },
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      wake?.();
    },
  };
}

const parsed = parseCollectorConfig(
  [
    '--node',
    'bench-node',
    ...(identity === 'kubernetes' ? ['--identity', 'kubernetes'] : ['--inventory', inventory]),
    '--server',
    serverUrl,
    '--metrics-host',
    '127.0.0.1',
    '--metrics-port',
    '0',
    // run.mjs --compat: the AKS add-on's families on or off (absent: the collector's default).
    ...(compat ? ['--metrics-compat', compat] : []),
  ],
  {},
);
if (parsed.kind !== 'config') throw new Error(JSON.stringify(parsed));
const c = await startCollector(parsed.config, { source: makeSource(), log: () => {} });
process.stdout.write(`${c.metricsUrl}\n`);
// SIGUSR2: where the memory is (process.memoryUsage and the V8 heap spaces, in MB), one JSON line.
process.on('SIGUSR2', () => {
  const mb = (n) => Math.round((n / 1048576) * 10) / 10;
  const usage = Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, mb(v)]));
  const spaces = Object.fromEntries(
    v8
      .getHeapSpaceStatistics()
      .map((s) => [s.space_name, { size: mb(s.space_size), used: mb(s.space_used_size) }]),
  );
  process.stdout.write(`${JSON.stringify({ usage, spaces })}\n`);
});
process.on('SIGTERM', () => {
  c.stop().then(() => process.exit(0));
});
