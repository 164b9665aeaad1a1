import { describe, expect, it } from 'vitest';
import {
  countSockets,
  parseNetDev,
  parseSnmp,
  parseTcpTable,
  procAddress,
  tcpConnectionStats,
  topN,
  udpConnectionStats,
} from './nodeStats.js';

// Lines as the kernel writes them (trailing columns trimmed where they do not matter).
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
   1: 0A01F40A:C350 1E01F40A:0050 01 00000000:00000000 00:00000000 00000000     0        0 2 1
   2: 0A01F40A:C351 1E01F40A:0050 06 00000000:00000000 00:00000000 00000000     0        0 3 1
   3: 0A01F40A:C352 5A02F40A:0050 01 00000000:00000000 00:00000000 00000000     0        0 4 1
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue
   0: 0000000000000000FFFF00000A01F40A:C353 0000000000000000FFFF00001E01F40A:0050 01 00000000:00000000
   1: 00000000000000000000000001000000:1F90 B80D0120000000000000000001000000:D431 08 00000000:00000000
`;

const SNMP = `Ip: Forwarding DefaultTTL
Ip: 1 64
Tcp: RtoAlgorithm ActiveOpens EstabResets
Tcp: 1 40 7
Udp: InDatagrams NoPorts InErrors
Udp: 100 3 0
TcpExt: SyncookiesSent TCPTimeouts TCPTSReorder
TcpExt: 0 5 2
`;

describe('node statistics from /proc and /sys', () => {
  it('reads the addresses of /proc/net/tcp and tcp6 (host-order words, IPv4-mapped as IPv4)', () => {
    expect(procAddress('0100007F')).toBe('127.0.0.1');
    expect(procAddress('0A01F40A')).toBe('10.244.1.10');
    expect(procAddress('0000000000000000FFFF00001E01F40A')).toBe('10.244.1.30');
    expect(procAddress('B80D0120000000000000000001000000')).toBe('2001:db8::1');
    expect(procAddress('00000000000000000000000000000000')).toBe('::');
  });

  it('counts sockets by state, and connected ones by remote address', () => {
    const t = parseTcpTable(TCP6, parseTcpTable(TCP));
    expect(Object.fromEntries(t.states)).toEqual({ LISTEN: 1, ESTABLISHED: 3, TIME_WAIT: 1, CLOSE_WAIT: 1 });
    // A listening socket has no remote end.
    expect(Object.fromEntries(t.remotes)).toEqual({ '10.244.1.30': 3, '10.244.2.90': 1, '2001:db8::1': 1 });
    expect(topN(t.remotes, 2)).toEqual([
      ['10.244.1.30', 3],
      ['10.244.2.90', 1],
    ]);
  });

  it("names the kernel's counters as Retina does", () => {
    const snmp = parseSnmp(SNMP);
    expect(Object.fromEntries(tcpConnectionStats(snmp))).toEqual({
      syncookiessent: 0,
      tcptimeouts: 5,
      tcptsreorder: 2,
      resetcount: 7,
    });
    expect(Object.fromEntries(udpConnectionStats(snmp, 4))).toEqual({
      indatagrams: 100,
      noports: 3,
      inerrors: 0,
      active: 4,
    });
  });

  it('skips what does not parse, rather than reading numbers out of step', () => {
    const snmp = parseSnmp('Tcp: EstabResets\nUdp: 9\nTcp: EstabResets\nTcp: 4\n');
    expect(snmp.get('Tcp')?.get('EstabResets')).toBe(4);
    expect(snmp.has('Udp')).toBe(false);
    expect(countSockets('  sl local\n 0: a\n 1: b\n\n')).toBe(2);
  });

  it("reads every interface's counters from /proc/net/dev, loopback aside", () => {
    const dev = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 1442 69 0 0 0 0 0 0 1442 69 0 0 0 0 0 0
  eth0: 457636926 21840 1 2 0 0 0 0 1828866 18324 3 4 0 0 0 0
wco1a2b:0 0 0 0 0 0 0 0 10 1 0 0 0 0 0 0
`;
    const m = parseNetDev(dev);
    expect([...m.keys()]).toEqual(['eth0', 'wco1a2b']);
    expect(Object.fromEntries(m.get('eth0')!)).toEqual({
      rx_bytes: 457636926,
      rx_packets: 21840,
      rx_errors: 1,
      rx_dropped: 2,
      tx_bytes: 1828866,
      tx_packets: 18324,
      tx_errors: 3,
      tx_dropped: 4,
    });
    expect(m.get('wco1a2b')?.get('tx_packets')).toBe(1);
  });
});
