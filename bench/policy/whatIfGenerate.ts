/**
 * What-if and generate at 5,000 pods / 50,000 connections over a 15 min window: the routes' work after
 * parsing (whatIf: the window's connections summed and evaluated against the current policies and
 * the current plus pasted ones; generateFromTraffic: the window's connections of a namespace or one
 * workload turned into policies and YAML). The store holds the last 15 min, every connection
 * reporting every `--every` seconds (as bench/server/diagnose.ts fills its recent part). Run:
 *   node --expose-gc --conditions=weft-source --import tsx bench/policy/whatIfGenerate.ts [--every=15] [--runs=5]
 */
import { loadavg } from 'node:os';
import { networkPolicyObject, parsePolicies } from '@weft/policy';
import { DEFAULT_CONFIG } from '@weft/server/internal/config';
import { generateFromTraffic } from '@weft/server/internal/policy/generateFromTraffic';
import { PolicyContexts } from '@weft/server/internal/policy/policyContexts';
import { whatIf } from '@weft/server/internal/policy/whatIf';
import { windowConnections } from '@weft/server/internal/policy/windowConnections';
import { Store } from '@weft/server/internal/store/store';
import { flowBatch, syntheticCluster } from '../server/syntheticCluster.js';

const arg = (name: string, def: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const EVERY = arg('every', 15);
const RUNS = arg('runs', 5);
const PODS = 5_000;
const EDGES = 50_000;
const WINDOW_S = 900;
const NAMESPACES = 20;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(`load average before: ${load()}`);
const cluster = syntheticCluster(PODS, EDGES);
const end = Math.floor(Date.now() / 60_000) * 60_000;
const start = end - WINDOW_S * 1000;
const clock = { now: start };
const store = new Store({ ...DEFAULT_CONFIG, memoryBudgetMiB: 4096, now: () => clock.now });
store.observedNodes = new Set(cluster.pods.map((p) => p.node));
const perSecond = Math.ceil(EDGES / EVERY);
for (let s = 0; s < WINDOW_S; s++) {
  const t = start + s * 1000;
  clock.now = t + 1000;
  store.ingest(flowBatch(cluster, (s % EVERY) * perSecond, perSecond, s, t), 'node-0');
}
clock.now = end + 300;

// Today's policies: per namespace, ingress to every pod from its own namespace and from ns-0 (10 x 20).
const doc = (ns: string, name: string, spec: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: ${ns} }\nspec:\n${spec}`;
const current = [];
for (let n = 0; n < NAMESPACES; n++)
  for (let i = 0; i < 10; i++)
    current.push(
      doc(
        `ns-${n}`,
        `allow-${i}`,
        `  podSelector: { matchLabels: { app: svc-${i} } }\n  ingress:\n  - from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ns-0 } } }]\n`,
      ),
    );
const contexts = new PolicyContexts(() => new Set(['node-0']));
contexts.take(
  'node-0',
  {
    type: 'policy_context',
    namespaces: Array.from({ length: NAMESPACES }, (_, n) => ({
      name: `ns-${n}`,
      labels: { 'kubernetes.io/metadata.name': `ns-${n}` },
    })),
    policies: parsePolicies(current.join('---\n')).map((p) => networkPolicyObject(p)),
    pods: cluster.pods.map((p) => ({
      namespace: p.namespace,
      name: p.name,
      ips: [p.ip],
      labels: { app: p.workload },
    })),
  },
  clock.now,
);

const st = store.stats();
console.log(
  `${PODS} pods in ${NAMESPACES} namespaces, ${EDGES} connections over ${WINDOW_S / 60} min (every ${EVERY} s): ` +
    `${st.edgeSeries} series; ${contexts.policies().length} current policies`,
);

// Pasted: every namespace takes ingress only from its own namespace (ns-0's calls are denied).
const pasted = parsePolicies(
  Array.from({ length: NAMESPACES }, (_, n) =>
    doc(`ns-${n}`, 'same-namespace-only', '  podSelector: {}\n  ingress:\n  - from: [{ podSelector: {} }]\n'),
  ).join('---\n'),
);
const win = { start, end: clock.now };

function timed<T>(label: string, f: () => T, describe: (r: T) => string): string {
  const gc = (globalThis as { gc?: () => void }).gc;
  let last = f();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    gc?.();
    const c0 = process.cpuUsage();
    const w0 = process.hrtime.bigint();
    last = f();
    wall.push(Number(process.hrtime.bigint() - w0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const line = `${label}: ${describe(last)}; wall min ${wall[0]!.toFixed(0)} median ${wall[Math.floor(RUNS / 2)]!.toFixed(0)} max ${wall.at(-1)!.toFixed(0)} ms; CPU median ${cpu[Math.floor(RUNS / 2)]!.toFixed(0)} ms`;
  console.log(line);
  return line;
}

timed(
  'what-if, 20 pasted policies, all namespaces',
  () => whatIf(store, contexts, pasted, win, null),
  (r) => `${r.evaluated} evaluated, ${r.denied} would be denied (${r.flows.length} listed)`,
);
timed(
  'the window sums alone (part of both)',
  () => windowConnections(store, win, null),
  (r) => `${r.connections.length} connections`,
);
timed(
  'generate, namespace ns-3',
  () => generateFromTraffic(store, contexts, 'ns-3', undefined, win),
  (r) => `${r.policies.length} policies, ${r.yaml.length} bytes of YAML, ${r.notes.length} notes`,
);
timed(
  'generate, workload ns-3/svc-1',
  () => generateFromTraffic(store, contexts, 'ns-3', 'svc-1', win),
  (r) => `${r.policies.length} policies, ${r.yaml.length} bytes of YAML`,
);
console.log(`load average after: ${load()}`);
