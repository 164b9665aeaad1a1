import { type ProbeProcess, spawnProbe } from '@weft/bpf';
import { PolicyEvaluator, parsePolicies } from '@weft/policy';
import { dropReasonLabel, type ProbeDrop } from '@weft/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { curl, inNetns, waitFor } from '../fixtures/host.js';
import { labDown } from '../lifecycle/labDown.js';
import { labStatus } from '../lifecycle/labStatus.js';
import { type LabHandle, labUp } from '../lifecycle/labUp.js';
import { labWorld } from '../lifecycle/labWorld.js';
import type { PlannedPod } from '../topology/addressPlan.js';
import { policyApply, policyClear, policyDelete, policyList } from './labPolicies.js';

// A prefix (and so an address slot) of its own: other labs on this machine keep theirs.
const prefix = 'wlnp';
const table = `${prefix}_np`;
let lab: LabHandle;
let pod: (name: string) => PlannedPod;
let probe: ProbeProcess;
const drops: ProbeDrop[] = [];
const probeErr: string[] = [];
let records = 0;

/** Waits for the probe to report a drop of src -> dst:port, and returns its reason as Weft labels it. */
async function probeDrop(src: string, dst: string, dport: number): Promise<string> {
  const d = await waitFor(
    `a drop of ${src} -> ${dst}:${dport} (probe: ${records} records, drops ${JSON.stringify(drops.slice(-3))}, stderr ${probeErr.slice(-5).join(' | ')})`,
    async () => drops.find((r) => r.src === src && r.dst === dst && r.dport === dport),
  );
  return dropReasonLabel(d.reason);
}

const FE1 = 'frontend-7d9f8c6b5-x2k4p'; // node 1
const FE2 = 'frontend-7d9f8c6b5-m8q7n'; // node 2
const API1 = 'api-5c8d7f9b6-h4j2k'; // node 1
const API2 = 'api-5c8d7f9b6-t7w9r'; // node 2
const http = (p: PlannedPod, port: number) => `http://${p.ipv4}:${port}/`;
// IPv6 only within a node: across nodes it needs per-interface IPv6 forwarding (Linux 6.17+).
const http6 = (p: PlannedPod, port: number) => `http://[${p.ipv6}]:${port}/`;

/** Packets the policy table of a pod dropped (its `counter drop` lines). */
async function dropped(p: PlannedPod): Promise<number> {
  const r = await inNetns(p.netns, 'nft', ['list', 'table', 'inet', table]);
  return [...r.stdout.matchAll(/counter packets (\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
}

const policy = (name: string, spec: string) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: production
spec:
${spec}`;

describe('lab NetworkPolicies, enforced by nftables and observed with curl', () => {
  beforeAll(async () => {
    await labDown({ prefix });
    lab = await labUp({ prefix, scenario: 'clean' });
    pod = (name) => lab.plan.pods.find((p) => p.name === name)!;
    // The real probe, on the lab's links: it sees every drop, in any netns, with the kernel's reason.
    probe = spawnProbe({ ifacePrefixes: [prefix], intervalMs: 200 });
    void (async () => {
      for await (const r of probe.records) {
        records++;
        if (r.type === 'drop') drops.push(r);
      }
    })();
    void (async () => {
      for await (const l of probe.stderr) probeErr.push(l);
    })();
    // Attached once the first interval's records arrive.
    await waitFor('the probe', async () => records > 0);
  });
  // A failed test leaves no policy behind for the next one.
  afterEach(async () => {
    if ((await labStatus({ prefix })).up) await policyClear({ prefix });
  });
  afterAll(async () => {
    await probe?.stop();
    await labDown({ prefix });
  });

  it('ingress: a default deny for db with one allowed peer (api on TCP 9090), then deleted', async () => {
    const yaml = policy(
      'db-ingress',
      `  podSelector: { matchLabels: { app: db } }
  policyTypes: [Ingress]
  ingress:
  - from: [{ podSelector: { matchLabels: { app: api } } }]
    ports: [{ protocol: TCP, port: 9090 }]`,
    );
    const db = pod('db-0');
    const r = await policyApply({ prefix }, yaml, 'db.yaml');
    expect(r.changed).toEqual([{ namespace: 'production', name: 'db-ingress' }]);
    expect(r.pods).toEqual([db.netns]);
    expect(await curl(pod(API1).netns, http(db, 9090))).toEqual({ exit: 0, status: '200' });
    expect(await curl(pod(API1).netns, http6(db, 9090))).toEqual({ exit: 0, status: '200' });
    expect(await curl(pod(API2).netns, http(db, 9090))).toEqual({ exit: 0, status: '200' });
    const before = await dropped(db);
    // Another peer's connection attempt is dropped by netfilter: a timeout, and the drop counter grows.
    expect((await curl(pod(FE1).netns, http(db, 9090))).exit).toBe(28);
    expect((await curl(pod(FE1).netns, http6(db, 9090))).exit).toBe(28);
    expect((await curl(pod(FE2).netns, http(db, 9090))).exit).toBe(28);
    expect(await dropped(db)).toBeGreaterThan(before);
    expect(await probeDrop(pod(FE1).ipv4, db.ipv4, 9090)).toBe('policy_drop');
    expect(await probeDrop(pod(FE1).ipv6, db.ipv6, 9090)).toBe('policy_drop');
    // The allowed peer, but not on that port.
    expect((await curl(pod(API1).netns, http(db, 5432))).exit).toBe(28);

    const s = await labStatus({ prefix });
    expect(s.up && s.policies.map((p) => `${p.namespace}/${p.name}`)).toEqual(['production/db-ingress']);

    await policyDelete({ prefix }, yaml, 'db.yaml');
    expect(await curl(pod(FE1).netns, http(db, 9090))).toEqual({ exit: 0, status: '200' });
    expect((await inNetns(db.netns, 'nft', ['list', 'table', 'inet', table])).code).not.toBe(0);
    expect(await policyList({ prefix })).toEqual([]);
  });

  it('replies of allowed connections pass a default deny: stateful', async () => {
    const yaml = policy('deny-all-ingress', '  podSelector: {}\n  policyTypes: [Ingress]');
    await policyApply({ prefix }, yaml);
    try {
      // Every production pod refuses new ingress, yet its own requests get their answers.
      expect((await curl(pod(FE1).netns, http(pod(API1), 80))).exit).toBe(28);
      expect(await curl(pod(FE1).netns, `http://${lab.plan.world!.externals[0]!.ipv4}:443/`)).toEqual({
        exit: 0,
        status: '200',
      });
    } finally {
      await policyDelete({ prefix }, yaml);
    }
  });

  it('egress: frontend may reach only api on TCP 80, then deleted', async () => {
    const yaml = policy(
      'frontend-egress',
      `  podSelector: { matchLabels: { app: frontend } }
  policyTypes: [Egress]
  egress:
  - to: [{ podSelector: { matchLabels: { app: api } } }]
    ports: [{ port: http }]`,
    );
    const r = await policyApply({ prefix }, yaml);
    expect(r.pods.sort()).toEqual([pod(FE1).netns, pod(FE2).netns].sort());
    expect(await curl(pod(FE1).netns, http(pod(API2), 80))).toEqual({ exit: 0, status: '200' });
    expect(await curl(pod(FE1).netns, http6(pod(API1), 80))).toEqual({ exit: 0, status: '200' });
    const before = await dropped(pod(FE1));
    expect((await curl(pod(FE1).netns, http(pod('db-0'), 9090))).exit).toBe(28);
    expect((await curl(pod(FE1).netns, http(pod(API1), 9090))).exit).toBe(28);
    expect(await dropped(pod(FE1))).toBeGreaterThan(before);
    // Dropped on the way out of the frontend, by netfilter too.
    expect(await probeDrop(pod(FE1).ipv4, pod(API1).ipv4, 9090)).toBe('policy_drop');
    // The policy is the frontends' own: other pods still reach db.
    expect((await curl(pod(API1).netns, http(pod('db-0'), 9090))).status).toBe('200');
    await policyDelete({ prefix }, yaml);
    expect((await curl(pod(FE1).netns, http(pod('db-0'), 9090))).status).toBe('200');
  });

  it('namespaceSelector: db accepts only pods of the monitoring namespace, then deleted', async () => {
    const yaml = policy(
      'db-from-monitoring',
      `  podSelector: { matchLabels: { app: db } }
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: monitoring`,
    );
    await policyApply({ prefix }, yaml);
    const db = pod('db-0');
    expect(await curl(pod('prometheus-0').netns, http(db, 9090))).toEqual({ exit: 0, status: '200' });
    expect((await curl(pod(API1).netns, http(db, 9090))).exit).toBe(28);
    await policyDelete({ prefix }, yaml);
    expect((await curl(pod(API1).netns, http(db, 9090))).status).toBe('200');
  });

  it('ipBlock: api egress only to the outside world, and db ingress from node 2 except one pod', async () => {
    const world = lab.plan.world!;
    const node2 = lab.plan.nodes[1]!;
    const yaml = `${policy(
      'api-egress-world',
      `  podSelector: { matchLabels: { app: api } }
  policyTypes: [Egress]
  egress:
  - to: [{ ipBlock: { cidr: ${world.cidr4} } }]
    ports: [{ protocol: TCP, port: 443 }]`,
    )}
---
${policy(
  'db-from-node2',
  `  podSelector: { matchLabels: { app: db } }
  policyTypes: [Ingress]
  ingress:
  - from: [{ ipBlock: { cidr: ${node2.cidr4}, except: [${pod(FE2).ipv4}/32] } }]`,
)}`;
    await policyApply({ prefix }, yaml, 'ipblock.yaml');
    const db = pod('db-0');
    expect(await curl(pod(API1).netns, `http://${world.externals[0]!.ipv4}:443/`)).toEqual({
      exit: 0,
      status: '200',
    });
    expect((await curl(pod(API1).netns, http(db, 9090))).exit).toBe(28);
    expect(await curl(pod('prometheus-0').netns, http(db, 9090))).toEqual({ exit: 0, status: '200' });
    expect((await curl(pod(FE2).netns, http(db, 9090))).exit).toBe(28);
    expect((await curl(pod(FE1).netns, http(db, 9090))).exit).toBe(28);
    await policyDelete({ prefix }, yaml, 'ipblock.yaml');
    expect((await curl(pod(API1).netns, http(db, 9090))).status).toBe('200');
    expect((await curl(pod(FE2).netns, http(db, 9090))).status).toBe('200');
  });

  it('enforces exactly what evaluate() decides, for every pod pair on two ports', async () => {
    const yaml = `${policy(
      'db-ingress',
      `  podSelector: { matchLabels: { app: db } }
  ingress:
  - from: [{ podSelector: { matchLabels: { app: api } } }]
    ports: [{ protocol: TCP, port: 9090 }]
  - from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: monitoring } } }]`,
    )}
---
${policy(
  'frontend-egress',
  `  podSelector: { matchLabels: { app: frontend } }
  policyTypes: [Egress]
  egress:
  - to: [{ podSelector: { matchExpressions: [{ key: app, operator: In, values: [api, redis] }] } }]
    ports: [{ port: http }, { port: 9090 }]`,
)}
---
${policy('api-ingress', '  podSelector: { matchLabels: { app: api } }\n  ingress:\n  - from: [{ podSelector: {} }]\n    ports: [{ port: 80 }]')}`;
    const policies = parsePolicies(yaml);
    await policyApply({ prefix }, yaml);
    const ev = new PolicyEvaluator(policies, labWorld(lab.plan));
    const cases = lab.plan.pods.flatMap((src) =>
      lab.plan.pods
        .filter((dst) => dst !== src)
        .flatMap((dst) => [80, 9090].map((port) => ({ src, dst, port }))),
    );
    const mismatches: string[] = [];
    let denied = 0;
    // A few at a time: each denied one waits out curl's 2 s connect timeout.
    for (let i = 0; i < cases.length; i += 16)
      await Promise.all(
        cases.slice(i, i + 16).map(async ({ src, dst, port }) => {
          const want = ev.evaluate({
            src: { namespace: src.namespace, name: src.name },
            dst: { namespace: dst.namespace, name: dst.name },
            protocol: 'TCP',
            port,
          }).allowed;
          // Reached = anything but a connect timeout (a closed port answers with a reset: exit 7).
          const got = (await curl(src.netns, http(dst, port))).exit !== 28;
          if (!got) denied++;
          if (got !== want)
            mismatches.push(`${src.name} -> ${dst.name}:${port} evaluate=${want} kernel=${got}`);
        }),
      );
    expect(mismatches).toEqual([]);
    expect(cases.length).toBe(8 * 7 * 2);
    // Both answers occur, so the comparison says something.
    expect(denied).toBeGreaterThan(10);
    expect(denied).toBeLessThan(cases.length - 10);
  });

  it('a bad document, or a delete of a policy the lab does not have, changes nothing', async () => {
    const good = policy('deny', '  podSelector: {}\n  policyTypes: [Ingress]');
    const bad = policy(
      'bad',
      '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: { cidr: 10.0.0.0/8, exept: [] }',
    );
    await expect(policyApply({ prefix }, `${good}\n---\n${bad}`, 'mixed.yaml')).rejects.toThrow(
      /mixed\.yaml: document 2 \(production\/bad\): spec\.ingress\[0\]\.from\[0\]\.ipBlock\.exept: unknown/,
    );
    await expect(policyApply({ prefix }, 'kind: [', 'broken.yaml')).rejects.toThrow(
      /broken\.yaml: document 1: malformed YAML/,
    );
    await expect(policyDelete({ prefix }, good, 'good.yaml')).rejects.toThrow(
      /no such NetworkPolicy in the lab: production\/deny/,
    );
    expect(await policyList({ prefix })).toEqual([]);
    for (const p of lab.plan.pods)
      expect((await inNetns(p.netns, 'nft', ['list', 'table', 'inet', table])).code).not.toBe(0);
    expect(await curl(pod(FE1).netns, http(pod('db-0'), 9090))).toEqual({ exit: 0, status: '200' });
  });

  it('lab down removes the rules with the lab', async () => {
    await policyApply({ prefix }, policy('deny', '  podSelector: {}\n  policyTypes: [Ingress]'));
    const s = await labStatus({ prefix });
    expect(s.up && s.message).toMatch(/1 network policies/);
    const down = await labDown({ prefix });
    expect(down.wasUp).toBe(true);
    expect((await inNetns(pod('db-0').netns, 'nft', ['list', 'tables'])).code).not.toBe(0);
    expect((await labStatus({ prefix })).up).toBe(false);
  });
});
