import { isIP } from 'node:net';

/**
 * DNS rebinding: a page on a name its author controls can re-point that name at 127.0.0.1 and read a
 * port-forwarded Weft as same-origin (the Origin check passes: Origin and Host both name the attacker).
 * What the attacker cannot choose is a Host header naming something only the operator's side resolves.
 * So the API and the dashboard answer a request whose Host is an IP literal, localhost, a single-label
 * name, a Kubernetes service name (`.svc`, `.cluster.local`) or a name the operator listed
 * (WEFT_ALLOWED_HOSTS, and the hosts of WEFT_ALLOWED_ORIGINS); anything else gets 421.
 */
const CLUSTER_SUFFIXES = ['.localhost', '.svc', '.cluster.local'];

/** The lower-case hostname of a Host header (port and IPv6 brackets removed), or null if malformed. */
export function hostnameOf(host: string): string | null {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0) return null;
    const rest = h.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return null;
    return h.slice(1, end);
  }
  const m = /^([^:]*)(?::\d{1,5})?$/.exec(h);
  if (!m || m[1] === '') return null;
  return m[1]!.replace(/\.$/, '');
}

export function hostAllowed(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  // HTTP/1.0 clients may send none; browsers always do.
  if (host === undefined) return true;
  const name = hostnameOf(host);
  if (name === null) return false;
  if (isIP(name) !== 0 || name === 'localhost' || !name.includes('.')) return true;
  if (CLUSTER_SUFFIXES.some((s) => name.endsWith(s))) return true;
  if (allowed.has(name)) return true;
  for (const entry of allowed)
    if (entry.startsWith('*.') && name.endsWith(entry.slice(1)) && name.length > entry.length - 1)
      return true;
  return false;
}

const HOSTNAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** WEFT_ALLOWED_HOSTS: a comma list of hostnames, `*.example.com` for every name below one. */
export function parseAllowedHosts(list: string): { hosts: string[]; problems: string[] } {
  const hosts: string[] = [];
  const problems: string[] = [];
  for (const raw of list.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry.length > 253 || !HOSTNAME.test(entry)) {
      problems.push(`${JSON.stringify(entry.slice(0, 80))} is not a host name like weft.example.com`);
      continue;
    }
    hosts.push(entry);
  }
  return { hosts, problems };
}
