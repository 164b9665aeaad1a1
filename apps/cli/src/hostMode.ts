import { checkProbe } from '@weft/bpf';
import { checkLabHost } from '@weft/lab';

export interface HostMode {
  mode: 'lab' | 'simulated';
  /** Why this mode: shown to the user as it is. */
  why: string;
}

/**
 * The real lab needs what checkLabHost asks for (Linux, root, iproute2, nftables) and a probe that
 * loads on this kernel; anything missing means the simulated lab, and the reason is said out loud.
 */
export async function hostMode(forceSimulated: boolean): Promise<HostMode> {
  if (forceSimulated) return { mode: 'simulated', why: '--simulated was asked for' };
  const host = await checkLabHost();
  if (!host.ok) return { mode: 'simulated', why: host.problems.join('; ') };
  const check = await checkProbe();
  if (!check.ok)
    return { mode: 'simulated', why: `the eBPF probe cannot run here: ${check.problems.join('; ')}` };
  const hooks = Object.entries(check.hooks)
    .filter(([, ok]) => ok)
    .map(([h]) => h);
  return { mode: 'lab', why: `root, BTF and eBPF available (hooks: ${hooks.join(', ')})` };
}
