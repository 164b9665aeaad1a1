import { execFile } from 'node:child_process';
import { parseCollectorConfig, type RunningCollector, startCollector } from '@weft/collector';
import {
  faultAdd,
  faultClear,
  type LabHandle,
  labDown,
  labUp,
  policyApply,
  policyClear,
  policyDelete,
} from '@weft/lab';
import type { DiagnoseResponse, DropsResponse, PolicyFinding } from '@weft/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseServerConfig } from '../config.js';
import { type RunningServer, startServer } from '../server.js';

/**
 * Issue 16's "done when" on the real lab: a NetworkPolicy applied with `weft lab apply` is enforced by
 * nftables, the probe sees its drops (policy_drop), the collectors send the policy to the server, and
 * Diagnose names it; deleted, traffic recovers. One lab, the cases in sequence. The denied peers are
 * on the same lab node as the pod they call (frontend-1, db-0 on node 1), so the node that reports
 * the drop is the sender's. Root and eBPF required. Prefix `wlpx`.
 */
const prefix = 'wlpx';
const FE1 = 'frontend-7d9f8c6b5-x2k4p';
const API1 = 'api-5c8d7f9b6-h4j2k';
const DB = 'db-0';
let lab: LabHandle;
let server: RunningServer;
const collectors: RunningCollector[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const pod = (name: string) => lab.plan.pods.find((p) => p.name === name)!;

/** curl from inside a pod: exit code (0 ok, 28 timed out) and HTTP status. */
function curl(from: string, to: string, port: number): Promise<{ exit: number; status: string }> {
  const args = ['netns', 'exec', pod(from).netns, 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}'];
  args.push('--connect-timeout', '2', '--max-time', '4', `http://${pod(to).ipv4}:${port}/`);
  return new Promise((resolve) =>
    execFile('ip', args, (err, stdout) =>
      resolve({ exit: err ? Number((err as { code?: number }).code ?? 1) : 0, status: stdout.trim() }),
    ),
  );
}

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/**
 * Keeps a denied peer trying (one connection at a time) and polls the live Diagnose of the pair until
 * it is blocked and its policy step has a finding of that verdict; generous deadline, no timing asserted.
 */
async function diagnosed(
  from: string,
  to: string,
  verdict: PolicyFinding['verdict'] = 'denied',
): Promise<{ finding: PolicyFinding; r: DiagnoseResponse }> {
  let last: DiagnoseResponse | null = null;
  for (let i = 0; i < 40; i++) {
    const tried = await curl(from, to, 9090);
    expect(tried.exit).toBe(28);
    last = await api<DiagnoseResponse>(`/api/v1/diagnose?src=production/${from}&dst=production/${to}`);
    const finding = last.steps.find((s) => s.id === 'policy_drops')?.policyFinding;
    if (last.verdict === 'blocked' && finding?.verdict === verdict) return { finding, r: last };
  }
  throw new Error(`Diagnose never had a ${verdict} finding; last answer ${JSON.stringify(last)}`);
}

/** The allowed pair answers (the policy is in force, in the kernel, and lets it through). */
async function reaches(from: string, to: string): Promise<void> {
  expect(await curl(from, to, 9090)).toEqual({ exit: 0, status: '200' });
}

/** Deleted: the denied peer gets through again (the rules may take a moment to go). */
async function recovers(from: string, to: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    if ((await curl(from, to, 9090)).status === '200') return;
    await sleep(250);
  }
  throw new Error(`${from} -> ${to} did not recover`);
}

const doc = (name: string, spec: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: production }\nspec:\n${spec}`;

beforeAll(async () => {
  await labDown({ prefix });
  lab = await labUp({ prefix, scenario: 'clean' });
  server = await startServer(
    parseServerConfig({ WEFT_PORT: '0', WEFT_LOG_LEVEL: 'warn', WEFT_WEB_ROOT: '/nonexistent/wlpx' }),
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
  // Every pod known to the server from its node's collector: a policy can then be evaluated.
  for (let i = 0; i < 300 && server.app.weft.policyContexts.world().pods.length < lab.plan.pods.length; i++)
    await sleep(100);
  expect(server.app.weft.policyContexts.world().pods).toHaveLength(lab.plan.pods.length);
});

afterEach(async () => {
  await policyClear({ prefix });
});

afterAll(async () => {
  for (const c of collectors) await c.stop();
  await server?.close();
  await labDown({ prefix });
});

describe('NetworkPolicy explained on the real lab', () => {
  it('ingress: db-0 takes only api on TCP 9090; frontend is denied, and Diagnose names the policy', async () => {
    const yaml = doc(
      'db-ingress',
      `  podSelector: { matchLabels: { app: db } }
  policyTypes: [Ingress]
  ingress:
  - from: [{ podSelector: { matchLabels: { app: api } } }]
    ports: [{ protocol: TCP, port: 9090 }]`,
    );
    await policyApply({ prefix }, yaml, 'db-ingress.yaml');
    await reaches(API1, DB);
    const { finding, r } = await diagnosed(FE1, DB);
    expect(finding).toMatchObject({
      verdict: 'denied',
      policy: { namespace: 'production', name: 'db-ingress' },
      direction: 'ingress',
      rule: 'production/db-ingress selects app=db and allows ingress only from app=api on TCP 9090',
      flow: `TCP 9090 from production/${FE1} to production/${DB}`,
    });
    expect(finding.explanation).toContain(`${FE1} in production matches no allowed peer`);
    expect(r.steps[0]!.summary).toContain('denied by NetworkPolicy production/db-ingress');
    // The drops view groups them under the policy.
    const drops = await api<DropsResponse>('/api/v1/drops?reason=policy_drop');
    expect(drops.byPolicy?.[0]).toMatchObject({ policy: { namespace: 'production', name: 'db-ingress' } });

    await policyDelete({ prefix }, yaml, 'db-ingress.yaml');
    await recovers(FE1, DB);
    // What changed: the collectors' inventories no longer list it, and the timeline has both.
    const contexts = server.app.weft.policyContexts;
    for (let i = 0; i < 100 && contexts.policies().length > 0; i++) await sleep(100);
    expect(contexts.policies()).toEqual([]);
    expect(contexts.changes().map((c) => `${c.change} ${c.policy.name}`)).toEqual([
      'created db-ingress',
      'deleted db-ingress',
    ]);
  });

  it('egress with a namespaceSelector: frontend reaches only api and kube-system DNS; db is denied', async () => {
    const yaml = doc(
      'frontend-egress',
      `  podSelector: { matchLabels: { app: frontend } }
  policyTypes: [Egress]
  egress:
  - to: [{ podSelector: { matchLabels: { app: api } } }]
  - to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } } }]
    ports: [{ protocol: UDP, port: 53 }]`,
    );
    await policyApply({ prefix }, yaml, 'frontend-egress.yaml');
    await reaches(FE1, API1);
    const { finding } = await diagnosed(FE1, DB);
    expect(finding).toMatchObject({
      verdict: 'denied',
      policy: { namespace: 'production', name: 'frontend-egress' },
      direction: 'egress',
    });
    expect(finding.rule).toBe(
      'production/frontend-egress selects app=frontend and allows egress only to app=api on any port; or to any pod in namespaces kubernetes.io/metadata.name=kube-system on UDP 53',
    );
    await policyDelete({ prefix }, yaml, 'frontend-egress.yaml');
    await recovers(FE1, DB);
  });

  it('ipBlock: db-0 takes node 1 addresses except frontend-1', async () => {
    const yaml = doc(
      'db-from-node1',
      `  podSelector: { matchLabels: { app: db } }
  policyTypes: [Ingress]
  ingress:
  - from: [{ ipBlock: { cidr: ${lab.plan.nodes[0]!.cidr4}, except: [${pod(FE1).ipv4}/32] } }]`,
    );
    await policyApply({ prefix }, yaml, 'db-from-node1.yaml');
    await reaches(API1, DB);
    const { finding } = await diagnosed(FE1, DB);
    expect(finding).toMatchObject({
      verdict: 'denied',
      policy: { namespace: 'production', name: 'db-from-node1' },
      direction: 'ingress',
      rule: `production/db-from-node1 selects app=db and allows ingress only from ${lab.plan.nodes[0]!.cidr4} except ${pod(FE1).ipv4}/32 on any port`,
    });
    await policyDelete({ prefix }, yaml, 'db-from-node1.yaml');
    await recovers(FE1, DB);
  });

  it('a drop no NetworkPolicy makes (the policy-drop fault, a bare nftables rule): Diagnose says so', async () => {
    const f = await faultAdd(
      { prefix },
      { kind: 'policy-drop', from: `production/${FE1}`, to: 'production/db' },
    );
    try {
      await reaches(API1, DB);
      const { finding } = await diagnosed(FE1, DB, 'not_denied');
      expect(finding.policy).toBeUndefined();
      expect(finding.explanation).toMatch(
        /^dropped by netfilter, and no NetworkPolicy denies this pair: look at the CNI or host firewall \(/,
      );
    } finally {
      await faultClear({ prefix, id: f.id });
    }
    await recovers(FE1, DB);
  });
});
