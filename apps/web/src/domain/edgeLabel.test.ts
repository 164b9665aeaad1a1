import { describe, expect, it } from 'vitest';
import {
  DNS_NAME_MAX,
  DNS_SLOW_MS,
  edgeHealth,
  edgeLabel,
  edgeProblem,
  edgeWidth,
  portProblem,
  problemPort,
} from './edgeLabel.js';

describe('edgeLabel', () => {
  it('says what is wrong instead of the rate on a problem edge', () => {
    const port = { ports: [{ port: 80, proto: 'tcp', bytesPerSec: 2e6 }], bytesPerSec: 2e6 };
    expect(edgeLabel({ ...port, dropsPerSec: 3, dropReasons: { policy_drop: 3 } })).toBe(
      '80/TCP policy drop 3/s',
    );
    expect(
      edgeLabel({
        ports: [
          { port: 9090, proto: 'tcp', bytesPerSec: 2e6 },
          { port: 9121, proto: 'tcp', bytesPerSec: 10 },
        ],
        bytesPerSec: 2e6,
        tcpFailures: 4,
      }),
    ).toBe('9090/TCP +1 4 connects failed');
    expect(edgeLabel({ ...port, dnsErrors: 3, dnsQueries: 40 })).toBe('80/TCP DNS 3/40 failed');
    expect(
      edgeProblem({
        ...port,
        dropsPerSec: 5,
        dropReasons: { no_socket: 1, policy_drop: 4 },
        tcpFailures: 1,
      }),
    ).toBe('policy drop 5/s, 1 connect failed');
    expect(edgeProblem({ ...port, dropsPerSec: 0, tcpFailures: 0, dnsErrors: 0 })).toBeNull();
  });

  it('names the port that has the problem, not the busiest one', () => {
    const busy = { port: 9090, proto: 'tcp', bytesPerSec: 2e6, tcpConnects: 40 };
    const refused = { port: 9121, proto: 'tcp', bytesPerSec: 10, tcpConnects: 4, tcpFailures: 4, refused: 4 };
    expect(edgeLabel({ ports: [busy, refused], bytesPerSec: 2e6, tcpFailures: 4 })).toBe(
      '9121/TCP refused (+1)',
    );
    expect(edgeLabel({ ports: [refused], bytesPerSec: 10, tcpFailures: 4 })).toBe('9121/TCP refused');
    // Ports left off the list still count.
    expect(edgeLabel({ ports: [busy, refused], portsMore: 3, bytesPerSec: 2e6, tcpFailures: 4 })).toBe(
      '9121/TCP refused (+4)',
    );
    const timedOut = { port: 5432, proto: 'tcp', bytesPerSec: 0, tcpFailures: 3, timeouts: 2, resets: 1 };
    expect(edgeLabel({ ports: [timedOut], bytesPerSec: 0 })).toBe('5432/TCP timeout');
    const dropped = { port: 8080, proto: 'tcp', bytesPerSec: 0, dropsPerSec: 3, dropReason: 'policy_drop' };
    // Drops outrank failed connects, as in edgeHealth.
    expect(edgeLabel({ ports: [busy, refused, dropped], bytesPerSec: 2e6 })).toBe(
      '8080/TCP policy drop 3/s (+2)',
    );
    const dns = { port: 53, proto: 'udp', bytesPerSec: 100, dnsQueries: 40, dnsErrors: 3 };
    expect(edgeLabel({ ports: [dns], bytesPerSec: 100 })).toBe('53/UDP DNS 3/40 failed');
    expect(problemPort([busy])).toBeNull();
    const named = {
      ...dns,
      dnsFailure: { qname: 'payments.production.svc.cluster.local', rcode: 'NXDOMAIN', count: 3 },
    };
    expect(edgeLabel({ ports: [named], bytesPerSec: 100 })).toBe(
      '53/UDP DNS NXDOMAIN payments.production.svc.cluster.local',
    );
    // A long (or hostile) name is shortened in the middle: the label keeps its size.
    const long = {
      ...named,
      dnsFailure: { qname: `${'a'.repeat(200)}.example`, rcode: 'SERVFAIL', count: 1 },
    };
    const label = edgeLabel({ ports: [long], bytesPerSec: 100 });
    expect(label.startsWith('53/UDP DNS SERVFAIL aaaa')).toBe(true);
    expect(label.endsWith('.example')).toBe(true);
    expect(label.length).toBeLessThanOrEqual('53/UDP DNS SERVFAIL '.length + DNS_NAME_MAX);
  });

  it('says a DNS port answers slowly by its p95, after its failures, and not when under the threshold', () => {
    const dns = { port: 53, proto: 'udp', bytesPerSec: 100, dnsQueries: 40 };
    expect(edgeLabel({ ports: [{ ...dns, dnsP95Ms: 1234.5 }], bytesPerSec: 100 })).toBe(
      '53/UDP DNS p95 1.23 s',
    );
    expect(edgeLabel({ ports: [{ ...dns, dnsP95Ms: DNS_SLOW_MS }], bytesPerSec: 100 })).toBe(
      '53/UDP DNS p95 200 ms',
    );
    expect(portProblem({ ...dns, dnsP95Ms: DNS_SLOW_MS - 1 })).toBeNull();
    expect(portProblem({ ...dns, dnsErrors: 3, dnsP95Ms: 450 })).toBe('DNS 3/40 failed, DNS p95 450 ms');
    // A refused port outranks a slow DNS one on the label.
    const refused = { port: 9121, proto: 'tcp', bytesPerSec: 1, tcpFailures: 1, refused: 1 };
    expect(edgeLabel({ ports: [{ ...dns, dnsP95Ms: 900 }, refused], bytesPerSec: 101 })).toBe(
      '9121/TCP refused (+1)',
    );
    expect(
      problemPort([
        { ...dns, dnsP95Ms: 900 },
        { ...dns, port: 5353, dnsP95Ms: 2000 },
      ])?.port,
    ).toBe(5353);
  });

  it('says "connects failed" for a port whose failure causes are not known', () => {
    expect(portProblem({ port: 80, proto: 'tcp', bytesPerSec: 0, tcpFailures: 2 })).toBe('2 connects failed');
    expect(portProblem({ port: 80, proto: 'tcp', bytesPerSec: 0, tcpConnects: 9 })).toBeNull();
  });

  it('reads like the seed Mermaid map', () => {
    expect(edgeLabel({ ports: [{ port: 5432, proto: 'tcp', bytesPerSec: 2e6 }], bytesPerSec: 2e6 })).toBe(
      '5432/TCP 2 MB/s',
    );
    expect(edgeLabel({ ports: [{ port: 80, proto: 'tcp', bytesPerSec: 15e6 }], bytesPerSec: 15e6 })).toBe(
      '80/TCP 15 MB/s',
    );
    expect(edgeLabel({ ports: [{ port: 6379, proto: 'tcp', bytesPerSec: 5e5 }], bytesPerSec: 5e5 })).toBe(
      '6379/TCP 500 kB/s',
    );
    expect(edgeLabel({ ports: [{ port: 53, proto: 'udp', bytesPerSec: 1e3 }], bytesPerSec: 1e3 })).toBe(
      '53/UDP 1 kB/s',
    );
  });
  it('counts extra ports and handles portless protocols', () => {
    expect(
      edgeLabel({
        ports: [
          { port: 80, proto: 'tcp', bytesPerSec: 1e6 },
          { port: 443, proto: 'tcp', bytesPerSec: 1e3 },
        ],
        bytesPerSec: 1e6,
      }),
    ).toBe('80/TCP +1 1 MB/s');
    expect(edgeLabel({ ports: [{ port: 0, proto: 'icmp', bytesPerSec: 100 }], bytesPerSec: 100 })).toBe(
      'ICMP 100 B/s',
    );
    expect(edgeLabel({ ports: [], bytesPerSec: 0 })).toBe('0 B/s');
  });
  it('drops outrank failures', () => {
    expect(edgeHealth({ dropsPerSec: 1, tcpFailures: 3 })).toBe('drops');
    expect(edgeHealth({ dropsPerSec: 0, tcpFailures: 3 })).toBe('failing');
    expect(edgeHealth({ dropsPerSec: 0, tcpFailures: 0 })).toBe('ok');
  });
  it('width grows with rate and stays bounded', () => {
    expect(edgeWidth(0)).toBe(1);
    expect(edgeWidth(1e6)).toBeGreaterThan(edgeWidth(1e3));
    expect(edgeWidth(1e15)).toBe(10);
  });
});
