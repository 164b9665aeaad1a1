import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { FaultError } from '../faults/faultSpec.js';
import { faultAdd } from '../faults/faults.js';
import { hostSnapshot, smallTopology } from '../fixtures/host.js';
import { planLab } from '../topology/addressPlan.js';
import { prefixSlot } from '../topology/prefix.js';
import { TopologyError } from '../topology/topologyError.js';
import { labDown } from './labDown.js';
import { labStatus } from './labStatus.js';
import { LabError, labUp } from './labUp.js';
import { run, tryRun } from './run.js';

const prefix = 'wlte';

async function nothingLeft(): Promise<void> {
  const s = await hostSnapshot(prefix);
  expect({ netns: s.netns, links: s.links, nft: s.nft, ps: s.ps }).toEqual({
    netns: [],
    links: [],
    nft: [],
    ps: [],
  });
  expect((await labStatus({ prefix })).up).toBe(false);
}

describe('lab errors: clear messages, nothing half-built', () => {
  beforeEach(async () => {
    await labDown({ prefix });
  });
  afterAll(async () => {
    await labDown({ prefix });
  });

  it('up twice refuses the second and keeps the first intact', async () => {
    await labUp({ prefix, topology: smallTopology() });
    await expect(labUp({ prefix, topology: smallTopology() })).rejects.toThrow(
      /lab "wlte" is already up .*weft lab down/,
    );
    const s = await labStatus({ prefix });
    expect(s.up && s.agents.length === 3 && s.agents.every((a) => a.running)).toBe(true);
    const down = await labDown({ prefix });
    expect(down.wasUp).toBe(true);
    expect(down.removed.netns).toBe(3);
    await nothingLeft();
  });

  it('down with nothing up says so', async () => {
    const down = await labDown({ prefix });
    expect(down.wasUp).toBe(false);
    expect(down.message).toBe('no lab "wlte" is up: nothing to do');
  });

  it('a malformed topology names the field and builds nothing', async () => {
    const bad = smallTopology();
    (bad.pods[1] as { node: string }).node = 'n7';
    await expect(labUp({ prefix, topology: bad })).rejects.toThrow(TopologyError);
    await expect(labUp({ prefix, topology: bad })).rejects.toThrow(
      /pods\[1\]\.node: "n7" is not one of the nodes/,
    );
    await nothingLeft();
  });

  it('a failure half-way rolls everything back', async () => {
    // Agents cannot answer within 1 ms: the network and processes exist when this fails.
    await expect(labUp({ prefix, topology: smallTopology(), readyTimeoutMs: 1 })).rejects.toThrow(
      /could not be built, rolled back: agents did not start/,
    );
    await nothingLeft();
  });

  it('an abort (Ctrl-C) rolls back', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(labUp({ prefix, topology: smallTopology(), signal: ac.signal })).rejects.toThrow(
      /interrupted/,
    );
    await nothingLeft();
  });

  it('a crash is cleaned up by down from the prefix alone', async () => {
    await labUp({ prefix, topology: smallTopology() });
    // Lose the state dir, as a crash with a tmpfs reset would: down still finds everything by prefix.
    await run('rm', ['-rf', `/run/weft-lab/${prefix}`]);
    const down = await labDown({ prefix });
    expect(down.removed.netns).toBe(3);
    expect(down.removed.processes).toBeGreaterThanOrEqual(3);
    await nothingLeft();
  });

  it('leftovers of an earlier lab block up with a hint', async () => {
    await run('ip', ['netns', 'add', `${prefix}-stale`]);
    await expect(labUp({ prefix, topology: smallTopology() })).rejects.toThrow(
      /leftovers .*wlte-stale.*weft lab down/,
    );
    await labDown({ prefix });
    await nothingLeft();
  });

  it('a state dir left half-way blocks up with a hint, and down clears it', async () => {
    await run('mkdir', ['-p', `/run/weft-lab/${prefix}`]);
    await expect(labUp({ prefix, topology: smallTopology() })).rejects.toThrow(
      /stopped half-way.*weft lab down/,
    );
    expect((await labDown({ prefix })).removed.stateDir).toBe(true);
    await nothingLeft();
  });

  it('addresses in use move the lab to a free block, or are refused when the block was asked for', async () => {
    const plan = planLab(smallTopology(), prefix);
    const cidr = plan.nodes[0]!.cidr4;
    await run('ip', ['route', 'add', 'blackhole', cidr]);
    try {
      await expect(labUp({ prefix, topology: smallTopology(), slot: plan.slot })).rejects.toThrow(
        new RegExp(`clash with routes on this host: ${cidr}`),
      );
      await nothingLeft();
      const lab = await labUp({ prefix, topology: smallTopology() });
      expect(lab.plan.slot).not.toBe(plan.slot);
      expect(lab.warnings.join()).toContain(`addresses ${plan.ranges4.join(', ')} are in use`);
      await lab.down();
    } finally {
      await tryRun('ip', ['route', 'del', 'blackhole', cidr]);
    }
    await nothingLeft();
  });

  it('labs of two prefixes with the same address block, built at once, get different blocks', async () => {
    const other = 'wltw';
    expect(prefixSlot(other)).toBe(prefixSlot(prefix));
    await labDown({ prefix: other });
    try {
      const [a, b] = await Promise.all([
        labUp({ prefix, topology: smallTopology(), scenario: 'clean' }),
        labUp({ prefix: other, topology: smallTopology(), scenario: 'clean' }),
      ]);
      expect(a.plan.slot).not.toBe(b.plan.slot);
      expect([...a.warnings, ...b.warnings].join()).toContain('are in use on this host');
    } finally {
      await labDown({ prefix: other });
    }
  });

  it('a build lock left by a dead builder is taken over', async () => {
    // pid_max is at most 4194304: this pid cannot be running.
    await run('mkdir', ['-p', '/run/weft-lab/.build.lock']);
    await run('sh', ['-c', 'echo 4194305 > /run/weft-lab/.build.lock/pid']);
    const lab = await labUp({ prefix, topology: smallTopology(), scenario: 'clean' });
    await lab.down();
    await nothingLeft();
  });

  it('a state dir too long for unix sockets is refused up front', async () => {
    const stateDir = `/tmp/${'d'.repeat(100)}`;
    await expect(labUp({ prefix, topology: smallTopology(), stateDir })).rejects.toThrow(
      /too long for the agents' control sockets/,
    );
    await nothingLeft();
  });

  it('faults need a lab, and a known kind', async () => {
    await expect(faultAdd({ prefix }, { kind: 'dns-servfail' })).rejects.toThrow(/no lab "wlte" is up/);
    await labUp({ prefix, topology: smallTopology() });
    await expect(faultAdd({ prefix }, { kind: 'earthquake' })).rejects.toThrow(FaultError);
    await expect(labUp({ prefix, scenario: 'chaos' as never })).rejects.toThrow(LabError);
  });
});
