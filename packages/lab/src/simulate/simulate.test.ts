import { type ProbeFlow, ProbeRecord } from '@weft/protocol';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { applyScenario } from '../scenario/scenario.js';
import { planLab } from '../topology/addressPlan.js';
import { defaultTopology } from '../topology/defaultTopology.js';
import { buildSimModel, requestsIn, simulateInterval } from './simulate.js';

const plan = planLab(applyScenario(defaultTopology(), 'default'));
const model = buildSimModel(plan, { seed: 42 });
const K0 = 1_790_000_000;
const N1 = 'lab-node-1';
const N2 = 'lab-node-2';

function run(m = model, node = N1, intervals = 60) {
  const out = [];
  for (let k = K0; k < K0 + intervals; k++) out.push(...simulateInterval(m, k, node));
  return out;
}

describe('simulateInterval', () => {
  const n1 = run();
  const n2 = run(model, N2);

  it('emits records that match the probe record schema', () => {
    const bad = [...run(model, N1, 10), ...run(model, N2, 10)].filter((r) => !Value.Check(ProbeRecord, r));
    expect(bad).toEqual([]);
    const types = new Set(n1.map((r) => r.type));
    for (const t of ['flow', 'dns', 'tcp', 'tcp_stats', 'drop']) expect(types).toContain(t);
  });

  it('answers a lookup with the addresses its flows then go to', () => {
    const answered = n1.filter((r) => r.type === 'dns' && r.addrs !== undefined);
    expect(answered.length).toBeGreaterThan(0);
    const flowsTo = new Set(n1.flatMap((r) => (r.type === 'flow' ? [`${r.src}>${r.dst}`] : [])));
    const led = (r: (typeof answered)[number]) =>
      r.type === 'dns' && r.addrs!.some((a) => flowsTo.has(`${r.client}>${a.ip}`));
    for (const r of answered) {
      if (r.type !== 'dns') continue;
      expect(r.rcode).toBe('NOERROR');
      for (const a of r.addrs!) expect(a.ip.includes(':')).toBe(r.qtype === 'AAAA');
    }
    // lookups lead to flows (not all: some clients' connections are dropped; IPv4 flows follow A answers)
    const a = answered.filter((r) => r.type === 'dns' && r.qtype === 'A');
    expect(a.filter(led).length).toBeGreaterThan(a.length / 2);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(run(buildSimModel(plan, { seed: 42 }), N1, 3)).toEqual(run(model, N1, 3));
    expect(run(buildSimModel(plan, { seed: 43 }), N1, 3)).not.toEqual(run(model, N1, 3));
  });

  it('observes flows only at the node’s own veths, with direction relative to the pod', () => {
    const mine = new Map(plan.pods.filter((p) => p.node === N1).map((p) => [p.hostIfname, p]));
    const flows = n1.filter((x): x is ProbeFlow => x.type === 'flow');
    expect(flows.length).toBeGreaterThan(1000);
    const wrong = flows.filter((r) => {
      const pod = mine.get(r.ifname);
      return !pod || ![pod.ipv4, pod.ipv6].includes(r.dir === 'egress' ? r.src : r.dst);
    });
    expect(wrong).toEqual([]);
  });

  it('sees a cross-node connection with the same 5-tuple at both ends', () => {
    const key = (r: ProbeFlow) => `${r.src}:${r.sport}>${r.dst}:${r.dport}/${r.bytes}/${r.packets}`;
    const egress1 = new Set(
      n1.filter((r): r is ProbeFlow => r.type === 'flow' && r.dir === 'egress').map(key),
    );
    const ingress2 = n2.filter(
      (r): r is ProbeFlow => r.type === 'flow' && r.dir === 'ingress' && r.src.startsWith('10.244.1.'),
    );
    expect(ingress2.length).toBeGreaterThan(100);
    expect(ingress2.filter((r) => !egress1.has(key(r)))).toEqual([]);
  });

  it('runs each flow at its configured rate', () => {
    const fe = plan.pods.filter((p) => p.workload === 'frontend').map((p) => p.ipv4);
    const api = new Set(plan.pods.filter((p) => p.workload === 'api').map((p) => p.ipv4));
    const all = [...n1, ...n2];
    const connects = all.filter(
      (r) => r.type === 'tcp' && r.event === 'connect_ok' && fe.includes(r.src) && api.has(r.dst),
    );
    // 2 frontends x 10/s x 60 s, each connection reported once (at the client's node).
    expect(connects).toHaveLength(1200);
  });

  it('carries the default scenario’s troubles and none in clean', () => {
    const all = [...n1, ...n2];
    const reasons = new Set(all.flatMap((r) => (r.type === 'drop' ? [r.reason] : [])));
    expect(reasons).toEqual(new Set(['NETFILTER_DROP', 'NO_SOCKET']));
    const causes = new Set(all.flatMap((r) => (r.type === 'tcp' && r.cause ? [r.cause] : [])));
    expect(causes).toEqual(new Set(['timeout', 'refused']));
    expect(all.some((r) => r.type === 'dns' && r.rcode === 'NXDOMAIN')).toBe(true);
    expect(all.some((r) => r.type === 'dns' && r.latency_us >= 300_000)).toBe(true);

    const clean = buildSimModel(planLab(applyScenario(defaultTopology(), 'clean')), { seed: 42 });
    const c = [...run(clean, N1), ...run(clean, N2)];
    expect(c.some((r) => r.type === 'drop')).toBe(false);
    expect(c.some((r) => r.type === 'tcp' && r.event === 'connect_fail')).toBe(false);
    expect(c.some((r) => r.type === 'dns' && (r.rcode !== 'NOERROR' || r.latency_us > 100_000))).toBe(false);
  });

  it('applies faults', () => {
    const m = buildSimModel(plan, {
      seed: 42,
      faults: [
        { kind: 'dns-servfail', name: 'db.production.svc.cluster.local' },
        {
          kind: 'bandwidth-spike',
          from: 'production/frontend-7d9f8c6b5-x2k4p',
          to: 'api.production',
          port: null,
          bytesPerSec: 3_000_000,
        },
      ],
    });
    const out = run(m, N1, 10);
    expect(
      out.some(
        (r) => r.type === 'dns' && r.qname === 'db.production.svc.cluster.local' && r.rcode === 'SERVFAIL',
      ),
    ).toBe(true);
    const src = plan.pods.find((p) => p.name === 'frontend-7d9f8c6b5-x2k4p')!.ipv4;
    const sent = out
      .filter(
        (r): r is ProbeFlow => r.type === 'flow' && r.dir === 'egress' && r.src === src && r.dport === 80,
      )
      .reduce((s, r) => s + r.bytes, 0);
    expect(sent).toBeGreaterThanOrEqual(30_000_000);
  });
});

describe('requestsIn', () => {
  it('spreads fractional rates exactly', () => {
    let total = 0;
    for (let k = 0; k < 100; k++) total += requestsIn(k, 0.5, 1000, 0.3);
    expect(total).toBe(50);
    expect(requestsIn(3, 10, 250, 0)).toBe(3);
  });
});
