/**
 * Bytes per live update, two versions of the live hub side by side in one process: the map of
 * bench/web/syntheticGraph.mjs (2,050 nodes in 50 namespaces, 10,000 edges) where each second 5% of
 * the edges change their rates (and the nodes at their ends with them), the window moving on. Both
 * hubs serve one subscriber (level=pod) from the same graphs, round after round, alternating who goes
 * first; what each sends is counted in UTF-8 bytes, and the round's time (making and sending the
 * message) is taken. The new hub's messages are applied as the browser does (LiveGraph) and checked
 * against the graph each round. The base is a copy of an older commit's sources:
 *   bench/server/base.sh fdb454b /tmp/weft-live-base-fdb454b
 *   node --conditions=weft-source --import tsx bench/server/liveBytes.ts --base=/tmp/weft-live-base-fdb454b [--runs=5] [--rounds=30] [--changing=0.05]
 */

import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import type { GraphEdge, GraphNode, GraphResponse, LiveSummary } from '@weft/protocol';
import { canonicalGraph } from '@weft/protocol';
import { LiveGraph } from '@weft/web/domain/liveGraph';
import { syntheticGraph } from '../web/syntheticGraph.mjs';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const BASE = arg('base');
if (!BASE) throw new Error('--base=<directory with the old apps/server/src> is required');
const RUNS = Number(arg('runs') ?? 5);
const ROUNDS = Number(arg('rounds') ?? 30);
const CHANGING = Number(arg('changing') ?? 0.05);
const here = new URL('../..', import.meta.url).pathname;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The next second's graph: `CHANGING` of the edges get new rates; nodes are the sums of their edges. */
function nextSecond(g: GraphResponse, rand: () => number): GraphResponse {
  const edges = g.edges.map((e): GraphEdge => {
    if (rand() >= CHANGING) return e;
    const bytes = Math.round(e.bytesPerSec * (0.5 + rand()));
    return {
      ...e,
      bytesPerSec: bytes,
      packetsPerSec: round2(bytes / 1000),
      ports: e.ports.map((p, i) => (i === 0 ? { ...p, bytesPerSec: bytes } : p)),
    };
  });
  return withNodeSums({ ...g, start: g.start + 1000, end: g.end + 1000, edges });
}

/** Each node's rate the sum of its edges', as the server's graph has it. */
function withNodeSums(g: GraphResponse): GraphResponse {
  const sums = new Map<string, number>();
  for (const e of g.edges) {
    sums.set(e.source, (sums.get(e.source) ?? 0) + e.bytesPerSec);
    sums.set(e.target, (sums.get(e.target) ?? 0) + e.bytesPerSec);
  }
  const nodes = g.nodes.map((n): GraphNode => {
    const b = sums.get(n.id) ?? 0;
    return b === n.bytesPerSec ? n : { ...n, bytesPerSec: b };
  });
  return { ...g, nodes };
}

const summary: LiveSummary = {
  bytesPerSec: 1e9,
  packetsPerSec: 1e6,
  dropsPerSec: 5,
  dnsQueriesPerSec: 100,
  dnsErrorRate: 0.01,
  tcpConnectsPerSec: 50,
  tcpFailuresPerSec: 1,
  alertsFiring: 0,
  alertsPending: 0,
  collectors: 20,
};

interface Hub {
  tick(): number;
  add(s: unknown): { message(d: string): void };
}

interface Version {
  name: string;
  hub: Hub;
  sent: string[];
  bytes: number[];
  ms: number[];
}

const first = () => withNodeSums(syntheticGraph({ namespaces: 50, podsPerNs: 40, edges: 10_000, tick: 0 }));
let current: GraphResponse = first();

async function load(name: string, root: string): Promise<Version> {
  const { LiveHub } = await import(`${root}/apps/server/src/live/liveHub.ts`);
  const { ServerMetrics } = await import(`${root}/apps/server/src/serverMetrics.ts`);
  let now = 1_000_000;
  const hub: Hub = new LiveHub(
    {
      graph: () => current,
      summary: () => summary,
      simulated: () => true,
      now: () => (now += 1000),
    },
    new ServerMetrics(),
  );
  const v: Version = { name, hub, sent: [], bytes: [], ms: [] };
  const socket = {
    bufferedAmount: 0,
    readyState: 1,
    send: (d: string) => v.sent.push(d),
    // A client that reads at once: the hub's read receipt comes straight back (a hub without them
    // never pings).
    ping: (data: string) => client.pong(data),
    close() {},
    terminate() {},
  };
  const client = hub.add(socket);
  client.message(JSON.stringify({ type: 'subscribe', filter: 'level=pod' }));
  return v;
}

function pct(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;

console.log(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const perRun: { base: number; now: number; baseMs: number; nowMs: number }[] = [];
for (let run = 0; run < RUNS; run++) {
  const rand = rng(1000 + run);
  current = first();
  const versions = [await load('base', BASE), await load('new', here)];
  const browser = new LiveGraph();
  const applyNew = (v: Version) => {
    for (const text of v.sent.splice(0)) {
      const m = JSON.parse(text);
      if (m.type === 'update' || m.type === 'delta') browser.receive(m);
    }
  };
  applyNew(versions[1]!);
  versions[0]!.sent.length = 0;
  for (let r = 0; r < ROUNDS; r++) {
    current = nextSecond(current, rand);
    const order = r % 2 === 0 ? versions : [versions[1]!, versions[0]!];
    for (const v of order) {
      const t0 = process.hrtime.bigint();
      v.hub.tick();
      v.ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      v.bytes.push(v.sent.reduce((s, t) => s + Buffer.byteLength(t), 0));
      if (v.name === 'base') v.sent.length = 0;
      else {
        applyNew(v);
        if (!isDeepStrictEqual(browser.current?.graph, canonicalGraph(current)))
          throw new Error(`run ${run} round ${r}: the browser's graph is not the server's`);
      }
    }
  }
  const [b, n] = versions.map((v) => ({
    bytes: [...v.bytes].sort((x, y) => x - y),
    ms: [...v.ms].sort((x, y) => x - y),
  }));
  perRun.push({
    base: pct(b!.bytes, 0.5),
    now: pct(n!.bytes, 0.5),
    baseMs: pct(b!.ms, 0.5),
    nowMs: pct(n!.ms, 0.5),
  });
  console.log(
    `run ${run + 1}: bytes per update median (max) base ${kb(pct(b!.bytes, 0.5))} (${kb(pct(b!.bytes, 1))}), new ${kb(pct(n!.bytes, 0.5))} (${kb(pct(n!.bytes, 1))}); round time median base ${pct(b!.ms, 0.5).toFixed(1)} ms, new ${pct(n!.ms, 0.5).toFixed(1)} ms; browser graph = server graph every round`,
  );
}
const col = (k: keyof (typeof perRun)[number]) => perRun.map((p) => p[k]).sort((x, y) => x - y);
const range = (xs: number[], f: (x: number) => string) =>
  `${f(pct(xs, 0.5))} (${f(xs[0]!)}-${f(xs.at(-1)!)})`;
console.log(
  `${RUNS} runs x ${ROUNDS} rounds, ${CHANGING * 100}% of edges changing a second: bytes per update, median of run medians (range): base ${range(col('base'), kb)}, new ${range(col('now'), kb)}; round time base ${range(col('baseMs'), (x) => `${x.toFixed(1)} ms`)}, new ${range(col('nowMs'), (x) => `${x.toFixed(1)} ms`)}`,
);
console.log(`RESULT live_update_bytes base=${pct(col('base'), 0.5)} new=${pct(col('now'), 0.5)}`);
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
