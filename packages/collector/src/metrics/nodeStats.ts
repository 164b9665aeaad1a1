/**
 * Parsers for the kernel's node-level figures Retina's Linux plugins read: the /proc/net socket tables,
 * the netstat/SNMP counters and the interface counters. Pure: text in, numbers out.
 */

/** The kernel's TCP states, by the hex code in /proc/net/tcp's `st` column (include/net/tcp_states.h). */
const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
  '0C': 'NEW_SYN_RECV',
};

export interface TcpTable {
  /** Sockets by state name. */
  states: Map<string, number>;
  /** Sockets with a remote end (not listening), by remote address. */
  remotes: Map<string, number>;
}

/** /proc/net/tcp and tcp6 write each 32-bit word of an address in host (little-endian) order. */
export function procAddress(hex: string): string {
  const words: string[] = [];
  for (let i = 0; i < hex.length; i += 8) {
    const w = hex.slice(i, i + 8);
    words.push(w.slice(6, 8) + w.slice(4, 6) + w.slice(2, 4) + w.slice(0, 2));
  }
  if (words.length === 1) {
    const w = words[0]!;
    return [0, 2, 4, 6].map((i) => Number.parseInt(w.slice(i, i + 2), 16)).join('.');
  }
  const all = words.join('').toLowerCase();
  // An IPv4 address mapped into IPv6 (::ffff:a.b.c.d) is the IPv4 peer it stands for.
  if (all.startsWith('00000000000000000000ffff'))
    return [24, 26, 28, 30].map((i) => Number.parseInt(all.slice(i, i + 2), 16)).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 32; i += 4) groups.push(Number.parseInt(all.slice(i, i + 4), 16).toString(16));
  return compressIpv6(groups);
}

function compressIpv6(groups: string[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function add(m: Map<string, number>, k: string, n = 1): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

/** Adds the sockets of one /proc/net/tcp{,6} text to `into` (both files feed one table). */
export function parseTcpTable(
  text: string,
  into: TcpTable = { states: new Map(), remotes: new Map() },
): TcpTable {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < 4) continue;
    const st = f[3]!.toUpperCase();
    const state = TCP_STATES[st];
    if (!state) continue;
    add(into.states, state);
    if (state === 'LISTEN') continue;
    const remote = f[2]!.split(':')[0] ?? '';
    if (remote.length !== 8 && remote.length !== 32) continue;
    add(into.remotes, procAddress(remote));
  }
  return into;
}

/** Sockets listed in a /proc/net/udp{,6} text (its header line aside). */
export function countSockets(text: string): number {
  let n = 0;
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) if (lines[i]!.trim() !== '') n++;
  return n;
}

/**
 * /proc/net/snmp and /proc/net/netstat: pairs of lines, `Section: Name Name ...` then
 * `Section: 1 2 ...`. Returns the counters by section and name.
 */
export function parseSnmp(text: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  const lines = text.split('\n').filter((l) => l.includes(':'));
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const [hs, ...names] = lines[i]!.trim().split(/\s+/);
    const [vs, ...vals] = lines[i + 1]!.trim().split(/\s+/);
    if (!hs || hs !== vs) {
      // Out of step (a truncated read): resynchronise on the next line.
      i -= 1;
      continue;
    }
    const section = hs.slice(0, -1);
    const m = out.get(section) ?? new Map<string, number>();
    names.forEach((n, k) => {
      const v = Number(vals[k]);
      if (Number.isFinite(v)) m.set(n, v);
    });
    out.set(section, m);
  }
  return out;
}

/**
 * Retina's `tcp_connection_stats`: the kernel's TcpExt counters by lower-case name (tcptimeouts,
 * tcptsreorder, ...), plus `resetcount`, the connections reset out of ESTABLISHED or CLOSE_WAIT
 * (Tcp: EstabResets).
 */
export function tcpConnectionStats(snmp: Map<string, Map<string, number>>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of snmp.get('TcpExt') ?? []) out.set(k.toLowerCase(), v);
  const resets = snmp.get('Tcp')?.get('EstabResets');
  if (resets !== undefined) out.set('resetcount', resets);
  return out;
}

/** Retina's `udp_connection_stats`: the kernel's Udp counters by lower-case name, and `active` sockets. */
export function udpConnectionStats(
  snmp: Map<string, Map<string, number>>,
  active: number,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of snmp.get('Udp') ?? []) out.set(k.toLowerCase(), v);
  out.set('active', active);
  return out;
}

/** The `n` largest entries, largest first (ties by key, so the choice is stable between scrapes). */
export function topN(m: Map<string, number>, n: number): [string, number][] {
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
}

/** The counters of /proc/net/dev by Retina's names, in the file's column order (rx then tx). */
const NET_DEV_COLUMNS: (string | null)[] = [
  'rx_bytes',
  'rx_packets',
  'rx_errors',
  'rx_dropped',
  null,
  null,
  null,
  null,
  'tx_bytes',
  'tx_packets',
  'tx_errors',
  'tx_dropped',
];

/**
 * /proc/net/dev: the kernel's counters of every interface of the namespace in one file (the same
 * ones /sys/class/net/<if>/statistics holds one per file), by interface, `lo` left out.
 */
export function parseNetDev(text: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (name === '' || name === 'lo' || name.includes('|')) continue;
    const values = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    const stats = new Map<string, number>();
    NET_DEV_COLUMNS.forEach((stat, k) => {
      const v = Number(values[k]);
      if (stat && values[k] !== undefined && /^\d+$/.test(values[k]!)) stats.set(stat, v);
    });
    if (stats.size > 0) out.set(name, stats);
  }
  return out;
}
