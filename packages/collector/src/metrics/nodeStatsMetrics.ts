import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Gauge, type Registry } from 'prom-client';
import {
  countSockets,
  parseNetDev,
  parseSnmp,
  parseTcpTable,
  type TcpTable,
  tcpConnectionStats,
  topN,
  udpConnectionStats,
} from './nodeStats.js';

export interface NodeStatsOptions {
  /** The node's /proc (in a container with the host's mounted elsewhere, e.g. /host/proc). */
  procRoot?: string;
  /** Remote addresses exported at most (the ones with most connections). */
  maxRemotes?: number;
  /** Interfaces exported at most (by name). */
  maxInterfaces?: number;
  /** How long one read of the TCP socket tables serves (TCP_TABLE_MAX_AGE_MS). */
  tcpTableMaxAgeMs?: number;
}

/** A file the kernel may not have (no IPv6) reads as nothing. */
async function read(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

interface Snapshot {
  tcp: TcpTable;
  snmp: Map<string, Map<string, number>>;
  udpSockets: number;
  interfaces: Map<string, Map<string, number>>;
}

/** One scrape calls every gauge's collect at once: they share one read of each file. */
const SNAPSHOT_MAX_AGE_MS = 1000;
/**
 * /proc/net/tcp and tcp6 cost the kernel a walk of the whole TCP hash table, however few sockets there
 * are: 4 ms of CPU each on a 24 GiB machine with 10 sockets, where every other file here is 0.02-0.1 ms.
 * Read at each 5 s scrape that alone was 0.16% of a core, half of what the AKS add-on's families may
 * cost (bench/collector/RESULTS.md), so the socket states are at most this old; the kernel's counters
 * (snmp, netstat, dev) are read at every scrape.
 */
export const TCP_TABLE_MAX_AGE_MS = 30_000;

/**
 * Retina's basic-mode node families, read at each scrape from where its Linux plugins read them:
 * /proc/net/tcp{,6} and udp{,6} (socket tables), /proc/net/snmp and netstat (the kernel's counters),
 * /proc/net/dev (interface counters, the ones /sys/class/net/<if>/statistics has one per file).
 * Gauges, as Retina exports them; the kernel's counters only grow, so the dashboards' rate() over them
 * is right. No pod or namespace labels: node facts, which the metrics level and namespace lists do not
 * touch. /proc/net is the reading process's network namespace: the node's, for a collector on the
 * host network.
 */
export function registerNodeStats(reg: Registry[], opts: NodeStatsOptions): void {
  const proc = opts.procRoot ?? '/proc';
  const maxRemotes = opts.maxRemotes ?? 20;
  const maxInterfaces = opts.maxInterfaces ?? 32;
  const tcpTableMaxAgeMs = opts.tcpTableMaxAgeMs ?? TCP_TABLE_MAX_AGE_MS;
  let last: { at: number; snapshot: Promise<Snapshot> } | null = null;
  let lastTcp: { at: number; table: Promise<TcpTable> } | null = null;
  const net = (f: string) => read(join(proc, 'net', f));
  const tcpTable = (now: number): Promise<TcpTable> => {
    if (!lastTcp || now - lastTcp.at > tcpTableMaxAgeMs) {
      const table = Promise.all([net('tcp'), net('tcp6')]).then(([tcp, tcp6]) =>
        parseTcpTable(tcp6, parseTcpTable(tcp)),
      );
      lastTcp = { at: now, table };
    }
    return lastTcp.table;
  };
  const take = async (now: number): Promise<Snapshot> => {
    const [tcp, udp, udp6, snmp, netstat, dev] = await Promise.all([
      tcpTable(now),
      ...['udp', 'udp6', 'snmp', 'netstat', 'dev'].map(net),
    ]);
    return {
      tcp,
      snmp: parseSnmp(`${snmp}\n${netstat}`),
      udpSockets: countSockets(udp ?? '') + countSockets(udp6 ?? ''),
      interfaces: parseNetDev(dev ?? ''),
    };
  };
  const snapshot = (): Promise<Snapshot> => {
    const now = Date.now();
    if (!last || now - last.at > SNAPSHOT_MAX_AGE_MS) last = { at: now, snapshot: take(now) };
    return last.snapshot;
  };

  new Gauge({
    name: 'networkobservability_tcp_state',
    help: 'TCP sockets of the node by state (/proc/net/tcp and tcp6)',
    labelNames: ['state'],
    registers: reg,
    async collect() {
      const { tcp } = await snapshot();
      this.reset();
      for (const [state, n] of tcp.states) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'networkobservability_tcp_connection_remote',
    help: 'TCP sockets of the node by remote address, for the addresses with most of them',
    labelNames: ['address'],
    registers: reg,
    async collect() {
      const { tcp } = await snapshot();
      this.reset();
      for (const [address, n] of topN(tcp.remotes, maxRemotes)) this.set({ address }, n);
    },
  });
  new Gauge({
    name: 'networkobservability_tcp_connection_stats',
    help: "The kernel's TCP counters (/proc/net/netstat TcpExt, lower case; resetcount = Tcp EstabResets)",
    labelNames: ['statistic_name'],
    registers: reg,
    async collect() {
      const stats = tcpConnectionStats((await snapshot()).snmp);
      this.reset();
      for (const [statistic_name, v] of stats) this.set({ statistic_name }, v);
    },
  });
  new Gauge({
    name: 'networkobservability_udp_connection_stats',
    help: "The kernel's UDP counters (/proc/net/snmp Udp, lower case) and active UDP sockets",
    labelNames: ['statistic_name'],
    registers: reg,
    async collect() {
      const s = await snapshot();
      const stats = udpConnectionStats(s.snmp, s.udpSockets);
      this.reset();
      for (const [statistic_name, v] of stats) this.set({ statistic_name }, v);
    },
  });
  new Gauge({
    name: 'networkobservability_interface_stats',
    help: 'Interface counters of the node (/proc/net/dev)',
    labelNames: ['interface_name', 'statistic_name'],
    registers: reg,
    async collect() {
      const { interfaces } = await snapshot();
      this.reset();
      const names = [...interfaces.keys()].sort().slice(0, maxInterfaces);
      for (const interface_name of names)
        for (const [statistic_name, v] of interfaces.get(interface_name)!)
          this.set({ interface_name, statistic_name }, v);
    },
  });
}
