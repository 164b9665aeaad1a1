import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inNetns, smallTopology, waitFor } from '../fixtures/host.js';
import { guardRuleset } from '../netfilter/netfilterRules.js';
import { planLab } from '../topology/addressPlan.js';
import { labDown } from './labDown.js';
import { labUp } from './labUp.js';
import { run, tryRun } from './run.js';

const prefix = 'wltg';
// A stand-in for "the real network": a namespace of our own behind a non-lab interface, reached through
// TEST-NET-2. If the safety net failed, packets would end up here and nowhere else.
const SINK = 'wltx-sink';
const SINK_IF = 'wltx0';
const SINK_IP = '198.51.100.2';

async function sinkCount(): Promise<number> {
  const r = await inNetns(SINK, 'nft', ['list', 'table', 'inet', 'wltx_sink']);
  return Number(/counter packets (\d+)/.exec(r.stdout)?.[1] ?? 0);
}

async function guardDrops(): Promise<number> {
  const r = await tryRun('nft', ['list', 'table', 'inet', `${prefix}_guard`]);
  return [...r.stdout.matchAll(/counter packets (\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
}

const udpFrom = (netns: string | null, n = 3) => {
  const script = `for i in $(seq ${n}); do echo x > /dev/udp/${SINK_IP}/9999; done`;
  return netns ? inNetns(netns, 'bash', ['-c', script]) : run('bash', ['-c', script]);
};

describe('the safety net', () => {
  const plan = planLab(smallTopology(), prefix);
  const client = plan.pods[0]!.netns;

  beforeAll(async () => {
    await labDown({ prefix });
    await tryRun('ip', ['netns', 'del', SINK]);
    await labUp({ prefix, topology: smallTopology(), scenario: 'clean' });
    await run('ip', ['netns', 'add', SINK]);
    await run('ip', ['link', 'add', SINK_IF, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', SINK]);
    await run('ip', ['addr', 'add', '198.51.100.1/30', 'dev', SINK_IF]);
    await run('ip', ['link', 'set', SINK_IF, 'up']);
    await run('ip', ['-n', SINK, 'addr', 'add', `${SINK_IP}/30`, 'dev', 'eth0']);
    await run('ip', ['-n', SINK, 'link', 'set', 'eth0', 'up']);
    await run('ip', ['-n', SINK, 'route', 'add', 'default', 'via', '198.51.100.1']);
    await run(
      'ip',
      ['netns', 'exec', SINK, 'nft', '-f', '-'],
      'table inet wltx_sink {\n chain input {\n  type filter hook input priority 0;\n  udp dport 9999 counter\n }\n}\n',
    );
  });
  afterAll(async () => {
    await tryRun('ip', ['netns', 'del', SINK]);
    await labDown({ prefix });
  });

  it('keeps lab packets from leaving through a non-lab interface', async () => {
    // Control: the host itself reaches the sink, so the sink counts what arrives.
    await udpFrom(null);
    const fromHost = await waitFor('sink packets', async () =>
      (await sinkCount()) >= 3 ? sinkCount() : null,
    );
    const dropsBefore = await guardDrops();
    await udpFrom(client);
    await waitFor('guard drops', async () => (await guardDrops()) >= dropsBefore + 3);
    expect(await sinkCount()).toBe(fromHost);
  });

  it('is what stops them: without it they would be forwarded', async () => {
    const before = await sinkCount();
    await run('nft', ['delete', 'table', 'inet', `${prefix}_guard`]);
    try {
      await udpFrom(client);
      await waitFor('forwarded packets', async () => (await sinkCount()) >= before + 3);
    } finally {
      await run('nft', ['-f', '-'], guardRuleset(plan));
    }
    const after = await sinkCount();
    await udpFrom(client);
    await waitFor('guard drops', async () => (await guardDrops()) >= 3);
    expect(await sinkCount()).toBe(after);
  });
});
