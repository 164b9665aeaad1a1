import { execFile } from 'node:child_process';
import { parseCollectorConfig, type RunningCollector, startCollector } from '@weft/collector';
import { type LabHandle, labDown, labUp, policyApply, policyDelete } from '@weft/lab';
import type { PolicyEvaluator } from '@weft/policy';
import type { GenerateResponse, WhatIfResponse } from '@weft/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerConfig } from '../config.js';
import { type RunningServer, startServer } from '../server.js';
import type { EdgeSeries } from '../store/series.js';
import { explainFlow } from './explainFlow.js';
import { carriedTraffic, windowConnections } from './windowConnections.js';

/**
 * Issue 16's what-if and generate "done when" on the real (default) lab: what-if over a recorded
 * window lists exactly the connections that policy_drop drops once the policy is applied with
 * `weft lab apply`; policies generated for production from that window, applied, keep every healthy
 * connection flowing and drop a pair never seen. Root and eBPF required. Prefix `pwi`.
 */
const prefix = 'pwi';
const FE1 = 'frontend-7d9f8c6b5-x2k4p';
const DB = 'db-0';
let lab: LabHandle;
let server: RunningServer;
const collectors: RunningCollector[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The recorded window both cases read: traffic of the default scenario, no policy applied yet. */
let recorded: { from: string; to: string; start: number; end: number };

const pod = (name: string) => lab.plan.pods.find((p) => p.name === name)!;
const key = (s: Pick<EdgeSeries, 'client' | 'server' | 'proto' | 'port'>) =>
  `${s.client.namespace}/${s.client.name || s.client.ip} -> ${s.server.namespace}/${s.server.name || s.server.ip} ${s.proto} ${s.port}`;
const iso = (t: number) => new Date(t).toISOString();

function curl(from: string, to: string, port: number): Promise<{ exit: number; status: string }> {
  const args = ['netns', 'exec', pod(from).netns, 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}'];
  args.push('--connect-timeout', '2', '--max-time', '4', `http://${pod(to).ipv4}:${port}/`);
  return new Promise((resolve) =>
    execFile('ip', args, (err, stdout) =>
      resolve({ exit: err ? Number((err as { code?: number }).code ?? 1) : 0, status: stdout.trim() }),
    ),
  );
}

/**
 * The connections with policy_drop drops in [from, to], as keys, less those `deniedBefore` denied
 * (the scenario's policy) and those `droppedBefore` lists (the scenario's bare nftables faults).
 */
function policyDropped(
  from: number,
  deniedBefore: PolicyEvaluator | null,
  droppedBefore: ReadonlySet<string> = new Set(),
  to = Date.now(),
): Set<string> {
  const out = new Set<string>();
  const { connections } = windowConnections(server.app.weft.store, { start: from, end: to });
  for (const c of connections) {
    if (c.sum.dropsFor('policy_drop') === 0) continue;
    if (deniedBefore && explainFlow(deniedBefore, () => undefined, c.series, true).verdict === 'denied')
      continue;
    if (!droppedBefore.has(key(c.series))) out.add(key(c.series));
  }
  return out;
}

/** Waits until the server holds every collector's data up to `t`. */
async function delivered(t: number): Promise<void> {
  for (let i = 0; i < 300 && server.app.weft.liveEnd() < t; i++) await sleep(100);
  expect(server.app.weft.liveEnd()).toBeGreaterThanOrEqual(t);
}

beforeAll(async () => {
  await labDown({ prefix });
  lab = await labUp({ prefix, scenario: 'default' });
  server = await startServer(
    parseServerConfig({ WEFT_PORT: '0', WEFT_LOG_LEVEL: 'warn', WEFT_WEB_ROOT: '/nonexistent/pwi' }),
  );
  const ingest = `${server.url.replace('http', 'ws')}/api/v1/ingest`;
  for (const n of lab.nodes) {
    const parsed = parseCollectorConfig(
      [
        ...['--node', n.name, '--server', ingest, '--identity', 'inventory'],
        ...['--inventory', lab.inventoryPath, '--iface-prefix', n.ifacePrefix],
        ...['--metrics-host', '127.0.0.1', '--metrics-port', '0'],
      ],
      {},
    );
    if (parsed.kind !== 'config') throw new Error(parsed.kind === 'error' ? parsed.message : 'help');
    collectors.push(await startCollector(parsed.config, { log: () => {} }));
  }
  for (let i = 0; i < 300 && server.app.weft.policyContexts.world().pods.length < lab.plan.pods.length; i++)
    await sleep(100);
  expect(server.app.weft.policyContexts.world().pods).toHaveLength(lab.plan.pods.length);
  // 30 s of the default scenario's traffic (every item runs at 0.5/s or more), whole seconds.
  const start = Math.ceil(Date.now() / 1000) * 1000 + 2000;
  const end = start + 30_000;
  await sleep(end - Date.now());
  await delivered(end);
  recorded = { from: iso(start), to: iso(end), start, end };
});

afterAll(async () => {
  for (const c of collectors) await c.stop();
  await server?.close();
  await labDown({ prefix });
});

async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as T;
}

describe('what if and generate on the real lab', () => {
  it('what-if on the recorded window lists exactly the connections the policy drops once applied', async () => {
    // Replaces the scenario's api policy (all but legacy-worker) with: only frontend on TCP 80; and a
    // frontend egress policy that allows what frontend does (a second document that denies nothing).
    const yaml = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-allow-frontend, namespace: production }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
  - from: [{ podSelector: { matchLabels: { app: frontend } } }]
    ports: [{ protocol: TCP, port: 80 }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: frontend-egress, namespace: production }
spec:
  podSelector: { matchLabels: { app: frontend } }
  policyTypes: [Egress]
  egress:
  - to: [{ podSelector: { matchLabels: { app: api } } }]
    ports: [{ protocol: TCP, port: 80 }]
  - to: [{ namespaceSelector: {}, podSelector: { matchLabels: { k8s-app: kube-dns } } }]
`;
    const w = await post<WhatIfResponse>(`/api/v1/policy/whatif?from=${recorded.from}&to=${recorded.to}`, {
      yaml,
    });
    const predicted = new Set(w.flows.map(key));
    // prometheus scrapes both api pods on 9090; legacy-worker is denied today already, so not listed.
    expect([...predicted].sort()).toEqual([
      'monitoring/prometheus-0 -> production/api-5c8d7f9b6-h4j2k tcp 9090',
      'monitoring/prometheus-0 -> production/api-5c8d7f9b6-t7w9r tcp 9090',
    ]);
    for (const f of w.flows)
      expect(f.finding).toMatchObject({
        verdict: 'denied',
        policy: { namespace: 'production', name: 'api-allow-frontend' },
        direction: 'ingress',
      });

    const before = server.app.weft.policyContexts.current();
    const droppedBefore = policyDropped(recorded.start, before, new Set(), recorded.end);
    const applied = Date.now();
    await policyApply({ prefix }, yaml, 'whatif.yaml');
    try {
      // Every connection of the default scenario recurs within a few seconds: wait for the predicted
      // ones to drop, then for 15 s of traffic after that, so any other drop would show too.
      let dropped = policyDropped(applied, before, droppedBefore);
      for (let i = 0; i < 300 && ![...predicted].every((k) => dropped.has(k)); i++) {
        await sleep(200);
        dropped = policyDropped(applied, before, droppedBefore);
      }
      const settled = Date.now() + 15_000;
      await sleep(settled - Date.now());
      await delivered(settled);
      expect([...policyDropped(applied, before, droppedBefore)].sort()).toEqual([...predicted].sort());
    } finally {
      await policyDelete({ prefix }, yaml, 'whatif.yaml');
    }
  });

  it('policies generated for production keep every healthy connection and drop a new pair', async () => {
    const res = await fetch(
      `${server.url}/api/v1/policy/generate?namespace=production&from=${recorded.from}&to=${recorded.to}`,
    );
    expect(res.status).toBe(200);
    const g = (await res.json()) as GenerateResponse;
    expect(g.policies.map((p) => (p as { metadata: { name: string } }).metadata.name)).toEqual([
      'api-least-privilege',
      'db-least-privilege',
      'frontend-least-privilege',
      // legacy-worker's DNS lookups carried traffic; its calls to api (denied today) did not.
      'legacy-worker-least-privilege',
      'redis-least-privilege',
    ]);
    expect(
      g.notes.some((n) =>
        /^left out production\/legacy-worker-84f6d9c7b-z5n3m -> production\/api-\S+ TCP 80: it carried no traffic/.test(
          n,
        ),
      ),
    ).toBe(true);
    // Healthy in the recorded window: carried traffic, no failed connect, no policy drop.
    const store = server.app.weft.store;
    const healthy = windowConnections(store, { start: recorded.start, end: recorded.end })
      .connections.filter(
        (c) => carriedTraffic(c) && c.sum.failures === 0 && c.sum.dropsFor('policy_drop') === 0,
      )
      .map((c) => key(c.series));
    expect(healthy.length).toBeGreaterThan(10);

    await policyApply({ prefix }, g.yaml, 'generated.yaml');
    try {
      const applied = Date.now() + 1000;
      // A pair never seen: frontend-1 -> db-0 on 9090 (db's metrics port, which prometheus reaches).
      const tried = await curl(FE1, DB, 9090);
      expect(tried.exit).toBe(28);
      let newPair = false;
      for (let i = 0; i < 100 && !newPair; i++) {
        newPair = policyDropped(applied - 1000, null).has(`production/${FE1} -> production/${DB} tcp 9090`);
        if (!newPair) {
          expect((await curl(FE1, DB, 9090)).exit).toBe(28);
          await sleep(200);
        }
      }
      expect(newPair).toBe(true);
      // 20 s of traffic under the generated policies: every healthy connection still carries
      // traffic, none fails or is dropped by policy.
      const end = applied + 20_000;
      await sleep(end - Date.now());
      await delivered(end);
      const after = new Map(
        windowConnections(store, { start: applied, end }).connections.map((c) => [key(c.series), c]),
      );
      const broken = healthy.filter((k) => {
        const c = after.get(k);
        return !c || !carriedTraffic(c) || c.sum.failures > 0 || c.sum.dropsFor('policy_drop') > 0;
      });
      expect(broken).toEqual([]);
    } finally {
      await policyDelete({ prefix }, g.yaml, 'generated.yaml');
    }
  });
});
