import { readFile } from 'node:fs/promises';
import { Inventory } from '@weft/protocol';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, dig, inNetns, waitFor } from '../fixtures/host.js';
import { labDown } from '../lifecycle/labDown.js';
import { labStatus } from '../lifecycle/labStatus.js';
import { type LabHandle, labUp } from '../lifecycle/labUp.js';
import { run } from '../lifecycle/run.js';
import type { PlannedPod } from '../topology/addressPlan.js';
import { FaultError } from './faultSpec.js';
import { faultAdd, faultClear, faultList, faultRestore } from './faults.js';

const prefix = 'wltf';
let lab: LabHandle;
let pod: (name: string) => PlannedPod;
let dnsIp = '';

/** Bytes the host side of a pod's veth received, i.e. what the pod sent. */
async function podSentBytes(p: PlannedPod): Promise<number> {
  const { stdout } = await run('ip', ['-s', '-j', 'link', 'show', p.hostIfname]);
  const [link] = JSON.parse(stdout) as { stats64: { rx: { bytes: number } } }[];
  return link!.stats64.rx.bytes;
}

async function nftDropped(netns: string, table: string): Promise<number> {
  const r = await inNetns(netns, 'nft', ['list', 'table', 'inet', table]);
  return [...r.stdout.matchAll(/counter packets (\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
}

describe('lab faults, observed with standard tools', () => {
  beforeAll(async () => {
    await labDown({ prefix });
    lab = await labUp({ prefix });
    pod = (name) => lab.plan.pods.find((p) => p.name === name)!;
    dnsIp = lab.plan.pods.find((p) => p.workload === 'coredns')!.ipv4;
  });
  afterAll(async () => {
    await labDown({ prefix });
  });

  const FE = 'frontend-7d9f8c6b5-x2k4p';
  const dbUrl = () => `http://${pod('db-0').ipv4}:9090/`;
  const dbUrl6 = () => `http://[${pod('db-0').ipv6}]:9090/`;

  it('writes an inventory the collector can read, naming real links', async () => {
    const inv = JSON.parse(await readFile(lab.inventoryPath, 'utf8')) as unknown;
    expect(Value.Check(Inventory, inv)).toBe(true);
    const { pods } = inv as Inventory;
    expect(pods).toHaveLength(9);
    const links = (JSON.parse((await run('ip', ['-j', 'link', 'show'])).stdout) as { ifname: string }[]).map(
      (l) => l.ifname,
    );
    for (const p of pods) {
      expect(links).toContain(p.hostIfname);
      const node = lab.nodes.find((n) => n.name === p.node)!;
      expect(p.hostIfname!.startsWith(node.ifacePrefix)).toBe(true);
    }
  });

  it('serves real traffic: HTTP through curl, names through dig', async () => {
    expect(await curl(pod(FE).netns, dbUrl())).toEqual({ exit: 0, status: '200' });
    const d = await dig(pod(FE).netns, dnsIp, 'api.production.svc.cluster.local');
    expect(d.status).toBe('NOERROR');
    expect(d.answers.sort()).toEqual(
      lab.plan.pods
        .filter((p) => p.workload === 'api')
        .map((p) => p.ipv4)
        .sort(),
    );
  });

  it("starts with the default scenario's six faults, listed with their ids like any other", async () => {
    const ids = ['s1', 's2', 's3', 's4', 's5', 's6'];
    const listed = await faultList({ prefix });
    expect(listed.map((f) => [f.id, f.kind, f.origin])).toEqual([
      ['s1', 'policy-drop', 'scenario'],
      ['s2', 'refused', 'scenario'],
      ['s3', 'timeout', 'scenario'],
      ['s4', 'dns-nxdomain', 'scenario'],
      ['s5', 'dns-servfail', 'scenario'],
      ['s6', 'dns-slow', 'scenario'],
    ]);
    const status = await labStatus({ prefix });
    expect(status.up && status.faults.map((f) => f.id)).toEqual(ids);
    expect(status.up && status.message).toMatch(/6 faults/);
  });

  it('each built-in fault is observable, cleared by its id, and put back by its id', async () => {
    const apis = lab.plan.pods.filter((p) => p.workload === 'api');
    const legacy = lab.plan.pods.find((p) => p.workload === 'legacy-worker')!;
    const prom = pod('prometheus-0');
    const redis = `http://${lab.plan.pods.find((p) => p.workload === 'redis')!.ipv4}:9121/`;
    const dbExporter = `http://${pod('db-0').ipv4}:9187/`;
    const fe = pod(FE);
    const coredns = lab.plan.pods.find((p) => p.workload === 'coredns')!;
    const agentStats = async (netns: string) => {
      const s = await labStatus({ prefix });
      return (s.up ? s.agents.find((a) => a.id === netns)?.stats : null) as {
        faultGenerators: { name: string }[];
        dns: { delayed: number } | null;
      } | null;
    };
    const toggle = async (id: string, on: () => Promise<void>, off: () => Promise<void>) => {
      await on();
      expect((await faultClear({ prefix, id })).map((f) => f.id)).toEqual([id]);
      await off();
      expect((await faultRestore({ prefix }, id)).id).toBe(id);
      await on();
    };

    // s1: the NetworkPolicy production/api-allow-frontend drops legacy-worker at api.
    await toggle(
      's1',
      async () => {
        await waitFor('policy drops', async () => {
          const n = await Promise.all(apis.map((p) => nftDropped(p.netns, `${prefix}_np`)));
          return n.reduce((a, b) => a + b, 0) > 0;
        });
        expect((await curl(legacy.netns, `http://${apis[0]!.ipv4}/`)).exit).toBe(28);
        const s = await labStatus({ prefix });
        expect(s.up && s.policies.map((p) => `${p.namespace}/${p.name}`)).toEqual([
          'production/api-allow-frontend',
        ]);
      },
      async () => {
        expect(await curl(legacy.netns, `http://${apis[0]!.ipv4}/`)).toEqual({ exit: 0, status: '200' });
        const s = await labStatus({ prefix });
        expect(s.up && s.policies).toEqual([]);
      },
    );
    // s2: redis's exporter port refuses; s3: db's exporter port swallows SYNs.
    await toggle(
      's2',
      async () => expect((await curl(prom.netns, redis)).exit).toBe(7),
      async () => expect((await curl(prom.netns, redis)).status).toBe('200'),
    );
    await toggle(
      's3',
      async () => expect((await curl(prom.netns, dbExporter)).exit).toBe(28),
      async () => expect((await curl(prom.netns, dbExporter)).status).toBe('200'),
    );
    // s4: frontend looks up a deleted service (its own client); s5: api looks up a name whose DNS fails.
    const recommendations = 'recommendations.production.svc.cluster.local';
    await toggle(
      's4',
      async () => {
        expect((await dig(fe.netns, dnsIp, recommendations)).status).toBe('NXDOMAIN');
        expect((await agentStats(fe.netns))?.faultGenerators.map((g) => g.name)).toEqual(['lookup-s4-0']);
      },
      async () => expect((await agentStats(fe.netns))?.faultGenerators).toEqual([]),
    );
    await toggle(
      's5',
      async () => expect((await dig(fe.netns, dnsIp, 'ledger.payments.example')).status).toBe('SERVFAIL'),
      async () => expect((await dig(fe.netns, dnsIp, 'ledger.payments.example')).status).toBe('NOERROR'),
    );
    // s6: one answer in 50 is 300 ms late; cleared, none is.
    const delayed = async () => (await agentStats(coredns.netns))?.dns?.delayed ?? 0;
    await toggle(
      's6',
      async () => {
        const before = await delayed();
        await waitFor('a slow answer', async () => (await delayed()) > before || null);
      },
      async () => {
        const before = await delayed();
        for (let i = 0; i < 60; i++) await dig(fe.netns, dnsIp, 'db.production.svc.cluster.local');
        expect(await delayed()).toBe(before);
      },
    );
    expect((await faultList({ prefix })).map((f) => f.id).sort()).toEqual([
      's1',
      's2',
      's3',
      's4',
      's5',
      's6',
    ]);
    await expect(faultRestore({ prefix }, 's1')).rejects.toThrow(/fault s1 is already on/);
  });

  it('policy-drop: packets dropped by netfilter until cleared', async () => {
    const f = await faultAdd(
      { prefix },
      { kind: 'policy-drop', from: `production/${FE}`, to: 'production/db' },
    );
    expect((await curl(pod(FE).netns, dbUrl())).exit).toBe(28);
    expect((await curl(pod(FE).netns, dbUrl6())).exit).toBe(28);
    expect(await nftDropped(pod('db-0').netns, `${prefix}_fault`)).toBeGreaterThan(0);
    // Only that pair: the other frontend still gets through.
    expect((await curl(pod('frontend-7d9f8c6b5-m8q7n').netns, dbUrl())).status).toBe('200');
    await faultClear({ prefix, id: f.id });
    expect(await curl(pod(FE).netns, dbUrl())).toEqual({ exit: 0, status: '200' });
    expect(
      (await inNetns(pod('db-0').netns, 'nft', ['list', 'table', 'inet', `${prefix}_fault`])).code,
    ).not.toBe(0);
  });

  it('refused: connection refused until cleared', async () => {
    const f = await faultAdd({ prefix }, { kind: 'refused', target: 'production/db-0', port: 9090 });
    expect((await curl(pod(FE).netns, dbUrl())).exit).toBe(7);
    await faultClear({ prefix, id: f.id });
    expect((await curl(pod(FE).netns, dbUrl())).status).toBe('200');
  });

  it('timeout: connection attempts vanish until cleared', async () => {
    const f = await faultAdd({ prefix }, { kind: 'timeout', target: 'production/db', port: 9090 });
    expect((await curl(pod(FE).netns, dbUrl())).exit).toBe(28);
    expect((await curl(pod(FE).netns, dbUrl6())).exit).toBe(28);
    // Silent: no netfilter involved, unlike a policy drop.
    expect(
      (await inNetns(pod('db-0').netns, 'nft', ['list', 'table', 'inet', `${prefix}_fault`])).code,
    ).not.toBe(0);
    await faultClear({ prefix, id: f.id });
    expect((await curl(pod(FE).netns, dbUrl())).status).toBe('200');
    expect((await curl(pod(FE).netns, dbUrl6())).status).toBe('200');
  });

  it('dns-nxdomain and dns-servfail: answers change until cleared', async () => {
    const name = 'api.production.svc.cluster.local';
    const nx = await faultAdd({ prefix }, { kind: 'dns-nxdomain', name });
    expect((await dig(pod(FE).netns, dnsIp, name)).status).toBe('NXDOMAIN');
    // Other names are not affected.
    expect((await dig(pod(FE).netns, dnsIp, 'db.production.svc.cluster.local')).status).toBe('NOERROR');
    await faultClear({ prefix, id: nx.id });
    expect((await dig(pod(FE).netns, dnsIp, name)).status).toBe('NOERROR');

    const sf = await faultAdd({ prefix }, { kind: 'dns-servfail' });
    expect((await dig(pod(FE).netns, dnsIp, name)).status).toBe('SERVFAIL');
    await faultClear({ prefix, id: sf.id });
    expect((await dig(pod(FE).netns, dnsIp, name)).answers).toHaveLength(2);
  });

  it('dns-slow: answers come no sooner than the delay', async () => {
    const name = 'db.production.svc.cluster.local';
    const f = await faultAdd({ prefix }, { kind: 'dns-slow', name, delayMs: 1200 });
    let slow: Awaited<ReturnType<typeof dig>>;
    try {
      slow = await dig(pod(FE).netns, dnsIp, name);
    } finally {
      // Cleared whatever the answer, so the faults listed by the next test are its own.
      await faultClear({ prefix, id: f.id });
    }
    expect(slow.status).toBe('NOERROR');
    // The server's timer counts from the loop's cached clock, which can lag the query's arrival by a few
    // milliseconds; dig reports whole milliseconds (1199 was seen for a 1200 ms delay).
    expect(slow.ms).toBeGreaterThanOrEqual(1190);
    expect((await dig(pod(FE).netns, dnsIp, name)).status).toBe('NOERROR');
  });

  it('bandwidth-spike: a pod becomes a top talker until cleared', async () => {
    const talker = pod(FE);
    const before = await podSentBytes(talker);
    const f = await faultAdd(
      { prefix },
      {
        kind: 'bandwidth-spike',
        from: `production/${FE}`,
        to: 'api.payments.example',
        bytesPerSec: 1_000_000,
      },
    );
    const spike = await waitFor('spike bytes', async () => {
      const s = await labStatus({ prefix });
      if (!s.up) return null;
      const stats = s.agents.find((a) => a.id === talker.netns)?.stats as {
        faultGenerators: { name: string; bytesOut: number }[];
      } | null;
      const sent = stats?.faultGenerators.find((g) => g.name === `spike-${f.id}`)?.bytesOut ?? 0;
      return sent >= 2_000_000 ? sent : null;
    });
    expect((await podSentBytes(talker)) - before).toBeGreaterThanOrEqual(spike);
    await faultClear({ prefix, id: f.id });
    const s = await labStatus({ prefix });
    const after = s.up
      ? (s.agents.find((a) => a.id === talker.netns)?.stats as
          | { faultGenerators: { name: string }[] }
          | undefined)
      : undefined;
    // The spike's client is gone; the fault s4's lookups stay.
    expect(after?.faultGenerators.map((g) => g.name)).toEqual(['lookup-s4-0']);
  });

  it('lists faults and rejects unknown ones clearly', async () => {
    const a = await faultAdd({ prefix }, { kind: 'dns-nxdomain', name: 'x.example' });
    const b = await faultAdd({ prefix }, { kind: 'refused', target: 'redis', port: 6379 });
    expect((await faultList({ prefix })).map((f) => f.id)).toEqual([
      's1',
      's2',
      's3',
      's4',
      's5',
      's6',
      a.id,
      b.id,
    ]);
    await expect(faultAdd({ prefix }, { kind: 'meteor-strike' })).rejects.toThrow(
      /unknown fault "meteor-strike"/,
    );
    await expect(
      faultAdd({ prefix }, { kind: 'refused', target: 'production/ghost', port: 1 }),
    ).rejects.toThrow(FaultError);
    await expect(faultClear({ prefix, id: 'f999' })).rejects.toThrow(/no active fault "f999"/);
    expect(await faultClear({ prefix })).toHaveLength(8);
    expect(await faultList({ prefix })).toEqual([]);
    const s = await labStatus({ prefix });
    expect(s.up && s.message).toMatch(/0 faults/);
  });
});
