// Explain latency: one flow evaluated against 500 NetworkPolicies and 5,000 pods (target p99 < 20 ms).
// node --conditions=weft-source --import tsx bench/policy/explain.ts [--runs 5] [--flows 20000]
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type Flow, type NetworkPolicy, PolicyEvaluator, parsePolicies, type World } from '@weft/policy';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('--runs', 5);
const FLOWS = arg('--flows', 20_000);
const NAMESPACES = 50;
const PODS = 5_000;
const POLICIES = 500;
const APPS = 10;

let seed = 42;
const rand = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function world(): World {
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => ({
    name: `ns-${i}`,
    labels: { 'kubernetes.io/metadata.name': `ns-${i}`, team: `team-${i % 7}`, env: i % 3 ? 'prod' : 'dev' },
  }));
  const pods = Array.from({ length: PODS }, (_, i) => {
    const n = i % NAMESPACES;
    const app = `app-${Math.floor(i / NAMESPACES) % APPS}`;
    return {
      namespace: `ns-${n}`,
      name: `${app}-${i}`,
      labels: { app, tier: i % 2 ? 'web' : 'data', version: `v${i % 4}` },
      ips: [`10.${Math.floor(i / 65536) + 1}.${Math.floor(i / 256) % 256}.${i % 256}`],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' as const }],
    };
  });
  return { namespaces, pods };
}

/** 500 policies in the shapes clusters use: default deny, per-app allow lists, monitoring, egress to CIDRs. */
function policies(concentrated: boolean): NetworkPolicy[] {
  const docs: string[] = [];
  for (let i = 0; i < POLICIES; i++) {
    const ns = concentrated ? 'ns-0' : `ns-${i % NAMESPACES}`;
    const app = concentrated ? 'app-0' : `app-${(i >> 1) % APPS}`;
    const kind = i % 5;
    const head = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p-${i}, namespace: ${ns} }\nspec:\n`;
    if (kind === 0 && !concentrated) docs.push(`${head}  podSelector: {}\n  policyTypes: [Ingress]\n`);
    else if (kind === 1)
      docs.push(
        `${head}  podSelector: { matchLabels: { app: ${app} } }\n  ingress:\n  - from:\n    - podSelector: { matchLabels: { app: app-${i % APPS} } }\n    - namespaceSelector: { matchLabels: { team: team-${i % 7} } }\n      podSelector: { matchExpressions: [{ key: tier, operator: In, values: [web] }] }\n    ports: [{ protocol: TCP, port: 8080 }, { port: http }]\n`,
      );
    else if (kind === 2)
      docs.push(
        `${head}  podSelector: { matchLabels: { app: ${app} } }\n  ingress:\n  - from:\n    - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ns-${(i * 7) % NAMESPACES} } }\n    ports: [{ protocol: TCP, port: 9090, endPort: 9100 }]\n`,
      );
    else if (kind === 3)
      docs.push(
        `${head}  podSelector: { matchExpressions: [{ key: app, operator: In, values: [${app}, app-${(i + 3) % APPS}] }] }\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock: { cidr: 10.0.0.0/8, except: [10.1.${i % 256}.0/24] }\n    ports: [{ protocol: UDP, port: 53 }, { protocol: TCP, port: 443 }]\n`,
      );
    else
      docs.push(
        `${head}  podSelector: { matchLabels: { tier: data } }\n  policyTypes: [Ingress, Egress]\n  ingress:\n  - from: [{ podSelector: { matchLabels: { tier: web, version: v${i % 4} } } }]\n  egress:\n  - to: [{ namespaceSelector: { matchLabels: { env: prod } } }]\n`,
      );
  }
  return parsePolicies(docs.join('---\n'));
}

function flows(w: World): Flow[] {
  return Array.from({ length: FLOWS }, () => {
    const s = pick(w.pods);
    const d = pick(w.pods);
    const external = rand() < 0.1;
    return {
      src: { namespace: s.namespace, name: s.name },
      dst: external
        ? { ip: `203.0.113.${Math.floor(rand() * 250)}` }
        : { namespace: d.namespace, name: d.name },
      protocol: rand() < 0.8 ? 'TCP' : 'UDP',
      port: pick([8080, 9090, 9095, 53, 443, 5432]),
    };
  });
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (x: number) => x.toFixed(3);

const w = world();
const fs = flows(w);
// The concentrated case: all 500 policies select the destination pods of ns-0/app-0.
const hot = fs.map((f) => ({ ...f, dst: { namespace: 'ns-0', name: 'app-0-0' } }));
console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model}, node ${process.version}, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  `${PODS} pods, ${NAMESPACES} namespaces, ${POLICIES} policies, ${FLOWS} flows per run, ${RUNS} runs`,
);
for (const [label, ps, set] of [
  ['spread (10 policies per namespace)', policies(false), fs],
  ['concentrated (500 policies select the destination)', policies(true), hot],
] as const) {
  const rows: string[] = [];
  // One untimed pass first, so the figures are of optimized code, not of the JIT warming up.
  const warm = new PolicyEvaluator(ps, w);
  for (const f of set) warm.evaluate(f);
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const ev = new PolicyEvaluator(ps, w);
    const build = performance.now() - t0;
    const times: number[] = [];
    // CPU time of this process too: on a loaded machine the wall-clock tail is mostly waiting for a core.
    const cpu: number[] = [];
    let denied = 0;
    for (const f of set) {
      const c = process.cpuUsage();
      const t = performance.now();
      const v = ev.evaluate(f);
      times.push(performance.now() - t);
      const d = process.cpuUsage(c);
      cpu.push((d.user + d.system) / 1000);
      if (!v.allowed) denied++;
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    rows.push(
      `run ${r + 1}: index ${ms(build)} ms; explain p50 ${ms(pct(times, 50))} p90 ${ms(pct(times, 90))} p95 ${ms(pct(times, 95))} p99 ${ms(pct(times, 99))} max ${ms(times.at(-1)!)} ms wall; p99 ${ms(pct(cpu, 99))} max ${ms(cpu.at(-1)!)} ms cpu; denied ${denied}/${set.length}`,
    );
  }
  console.log(`\n${label}\n${rows.join('\n')}`);
}
console.log(
  `load after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
