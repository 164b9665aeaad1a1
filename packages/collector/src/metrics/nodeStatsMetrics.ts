import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Gauge, type Registry } from 'prom-client';
import {
  countSockets,
  parseSnmp,
  parseStatistic,
  parseTcpTable,
  tcpConnectionStats,
  topN,
  udpConnectionStats,
} from './nodeStats.js';

export interface NodeStatsOptions {
  /** The node's /proc (in a container with the host's mounted elsewhere, e.g. /host/proc). */
  procRoot?: string;
  /** The node's /sys. */
  sysRoot?: string;
  /** Remote addresses exported at most (the ones with most connections). */
  maxRemotes?: number;
  /** Interfaces exported at most (by name). */
  maxInterfaces?: number;
}

/** The interface counters Retina's dashboards read; the kernel keeps them for every interface. */
export const INTERFACE_STATISTICS = [
  'rx_packets',
  'tx_packets',
  'rx_bytes',
  'tx_bytes',
  'rx_dropped',
  'tx_dropped',
  'rx_errors',
  'tx_errors',
] as const;

/** A file the kernel may not have (no IPv6, no such interface any more) reads as nothing. */
async function read(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Retina's basic-mode node families, read at each scrape from where its Linux plugins read them:
 * /proc/net/tcp{,6} and udp{,6} (socket tables), /proc/net/snmp and netstat (the kernel's counters),
 * /sys/class/net/<if>/statistics. Gauges, as Retina exports them; the kernel's counters only grow, so
 * the dashboards' rate() over them is right. No pod or namespace labels: node facts, which the metrics
 * level and namespace lists do not touch.
 */
export function registerNodeStats(reg: Registry[], opts: NodeStatsOptions): void {
  const proc = opts.procRoot ?? '/proc';
  const sys = opts.sysRoot ?? '/sys';
  const maxRemotes = opts.maxRemotes ?? 20;
  const maxInterfaces = opts.maxInterfaces ?? 32;
  const snmp = async () =>
    parseSnmp(`${await read(join(proc, 'net/snmp'))}\n${await read(join(proc, 'net/netstat'))}`);
  const tcpTable = async () => {
    const t = parseTcpTable(await read(join(proc, 'net/tcp')));
    return parseTcpTable(await read(join(proc, 'net/tcp6')), t);
  };

  new Gauge({
    name: 'networkobservability_tcp_state',
    help: 'TCP sockets of the node by state (/proc/net/tcp and tcp6)',
    labelNames: ['state'],
    registers: reg,
    async collect() {
      const t = await tcpTable();
      this.reset();
      for (const [state, n] of t.states) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'networkobservability_tcp_connection_remote',
    help: 'TCP sockets of the node by remote address, for the addresses with most of them',
    labelNames: ['address'],
    registers: reg,
    async collect() {
      const t = await tcpTable();
      this.reset();
      for (const [address, n] of topN(t.remotes, maxRemotes)) this.set({ address }, n);
    },
  });
  new Gauge({
    name: 'networkobservability_tcp_connection_stats',
    help: "The kernel's TCP counters (/proc/net/netstat TcpExt, lower case; resetcount = Tcp EstabResets)",
    labelNames: ['statistic_name'],
    registers: reg,
    async collect() {
      const stats = tcpConnectionStats(await snmp());
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
      const active =
        countSockets(await read(join(proc, 'net/udp'))) + countSockets(await read(join(proc, 'net/udp6')));
      const stats = udpConnectionStats(await snmp(), active);
      this.reset();
      for (const [statistic_name, v] of stats) this.set({ statistic_name }, v);
    },
  });
  new Gauge({
    name: 'networkobservability_interface_stats',
    help: 'Interface counters of the node (/sys/class/net/<interface>/statistics)',
    labelNames: ['interface_name', 'statistic_name'],
    registers: reg,
    async collect() {
      const base = join(sys, 'class/net');
      const names = (await readdir(base).catch(() => [] as string[]))
        .filter((n) => n !== 'lo')
        .sort()
        .slice(0, maxInterfaces);
      const rows: [string, string, number][] = [];
      for (const interface_name of names)
        for (const statistic_name of INTERFACE_STATISTICS) {
          const v = parseStatistic(await read(join(base, interface_name, 'statistics', statistic_name)));
          if (v !== null) rows.push([interface_name, statistic_name, v]);
        }
      this.reset();
      for (const [interface_name, statistic_name, v] of rows) this.set({ interface_name, statistic_name }, v);
    },
  });
}
