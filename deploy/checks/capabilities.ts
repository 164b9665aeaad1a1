import { readFileSync } from 'node:fs';

/** Linux capability numbers of the ones the collector's DaemonSet may add. */
const CAP_BITS: Record<string, number> = { NET_ADMIN: 12, SYS_RESOURCE: 24, PERFMON: 38, BPF: 39 };

/** Effective capabilities of a process, by Kubernetes name (only those in CAP_BITS). */
export function capabilitiesOf(pid: number | 'self'): string[] {
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '0';
  const mask = BigInt(`0x${hex}`);
  return Object.entries(CAP_BITS)
    .filter(([, bit]) => (mask >> BigInt(bit)) & 1n)
    .map(([name]) => name)
    .sort();
}

/**
 * The wanted capabilities this host can grant at all: a sandbox may lack some in its own bounding set
 * (SYS_RESOURCE, needed only for the memlock rlimit before kernel 5.11). Never more than `wanted`.
 */
export function grantableCapabilities(wanted: readonly string[]): string[] {
  const have = capabilitiesOf('self');
  return wanted.filter((c) => have.includes(c)).sort();
}

/**
 * `setpriv` arguments that run a command the way a container with `capabilities: {drop: [ALL], add:
 * caps}` and `allowPrivilegeEscalation: false` runs as uid 0: only `caps`, and no_new_privs.
 */
export function setprivArgs(caps: readonly string[], command: readonly string[]): string[] {
  const keep = caps.map((c) => `+${c.toLowerCase()}`).join(',');
  return [`--bounding-set=-all${keep ? `,${keep}` : ''}`, '--inh-caps=-all', '--no-new-privs', ...command];
}
