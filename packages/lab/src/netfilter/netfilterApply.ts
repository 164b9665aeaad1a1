import { netnsFaults } from '../faults/faultPlan.js';
import type { Fault } from '../faults/faultSpec.js';
import { run, tryRun } from '../lifecycle/run.js';
import type { LabPlan } from '../topology/addressPlan.js';
import { podPolicyRuleset } from './netfilterRules.js';

const BLACKHOLE_PREF = '50';

async function setBlackholes(netns: string, ports: readonly number[]): Promise<void> {
  for (const fam of ['-4', '-6']) {
    // Local delivery normally wins at preference 0; move it behind our rules once, so a blackhole at 50
    // sees incoming SYNs first.
    const rules = await run('ip', [fam, '-n', netns, 'rule', 'show']);
    if (/^0:\s+from all lookup local/m.test(rules.stdout)) {
      await run('ip', [fam, '-n', netns, 'rule', 'add', 'pref', '100', 'lookup', 'local']);
      await run('ip', [fam, '-n', netns, 'rule', 'del', 'pref', '0']);
    }
    for (let i = 0; i < 256; i++) {
      const r = await tryRun('ip', [fam, '-n', netns, 'rule', 'del', 'pref', BLACKHOLE_PREF]);
      if (r.code !== 0) break;
    }
    for (const port of ports)
      await run('ip', [
        fam,
        '-n',
        netns,
        'rule',
        'add',
        'pref',
        BLACKHOLE_PREF,
        'iif',
        'eth0',
        'ipproto',
        'tcp',
        'dport',
        String(port),
        'blackhole',
      ]);
  }
  if (ports.length > 0) {
    // With forwarding off, a blackholed input packet earns an ICMP "host unreachable" (a fast failure);
    // with it on, the packet vanishes silently, which is what a timeout is.
    await run('ip', ['netns', 'exec', netns, 'sysctl', '-q', '-w', 'net.ipv4.conf.eth0.forwarding=1']);
  }
}

/** Brings every pod netns touched by the old or the new fault list to the new list's state. */
export async function applyNetnsFaults(
  plan: LabPlan,
  before: readonly Fault[],
  after: readonly Fault[],
): Promise<void> {
  const old = netnsFaults(plan, before);
  const now = netnsFaults(plan, after);
  const touched = new Set([...old.keys(), ...now.keys()]);
  const table = `${plan.prefix}_fault`;
  await Promise.all(
    [...touched].map(async (netns) => {
      const o = old.get(netns) ?? { dropFrom: [], blackholePorts: [] };
      const n = now.get(netns) ?? { dropFrom: [], blackholePorts: [] };
      if (o.dropFrom.join() !== n.dropFrom.join())
        await run('ip', ['netns', 'exec', netns, 'nft', '-f', '-'], podPolicyRuleset(table, n.dropFrom));
      if (o.blackholePorts.join() !== n.blackholePorts.join()) await setBlackholes(netns, n.blackholePorts);
    }),
  );
}
