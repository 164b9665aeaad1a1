import { hasIpv6ForceForwarding } from './labNetwork.js';
import { tryRun } from './run.js';

export interface LabHostCheck {
  /** The real lab can run here. */
  ok: boolean;
  /** Why it cannot (say these when falling back to the simulated mode). */
  problems: string[];
  warnings: string[];
}

/** Whether this host can run the real lab (root, iproute2, nftables, network namespaces), and if not why. */
export async function checkLabHost(): Promise<LabHostCheck> {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (process.platform !== 'linux')
    problems.push(`network namespaces need Linux (this is ${process.platform})`);
  else {
    if (typeof process.getuid === 'function' && process.getuid() !== 0)
      problems.push('not running as root (the lab creates network namespaces, links and nft rules)');
    for (const [tool, args, pkg] of [
      ['ip', ['-V'], 'iproute2'],
      ['nft', ['--version'], 'nftables'],
      ['sysctl', ['-V'], 'procps'],
    ] as const) {
      try {
        const r = await tryRun(tool, args);
        if (r.code !== 0) problems.push(`\`${tool}\` does not run (${r.stderr.trim() || `exit ${r.code}`})`);
      } catch {
        problems.push(`\`${tool}\` is not installed (package ${pkg})`);
      }
    }
    const forward = await tryRun('iptables', ['-S', 'FORWARD']).catch(() => null);
    if (forward?.stdout.includes('-P FORWARD DROP'))
      warnings.push(
        "iptables' FORWARD policy is DROP (Docker sets it): lab traffic between nodes is dropped unless a rule accepts it",
      );
    if (!hasIpv6ForceForwarding())
      warnings.push(
        'no per-interface IPv6 forwarding (Linux 6.17+): lab traffic between nodes runs over IPv4',
      );
  }
  return { ok: problems.length === 0, problems, warnings };
}
