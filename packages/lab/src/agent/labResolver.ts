import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import * as dnsPacket from 'dns-packet';

export interface Resolution {
  /** NOERROR, NXDOMAIN, SERVFAIL, ... or TIMEOUT */
  rcode: string;
  a: string[];
  aaaa: string[];
}

/**
 * Resolves a name through the lab DNS the way glibc does: one fresh UDP socket per lookup, A and AAAA
 * sent together, so the DNS traffic on the wire looks like a real pod's.
 */
export function resolveName(server: string, name: string, timeoutMs = 2000): Promise<Resolution> {
  return new Promise((resolve) => {
    const sock = createSocket(server.includes(':') ? 'udp6' : 'udp4');
    const ids = { A: randomInt(0, 65536), AAAA: randomInt(0, 65536) };
    const got: Partial<Record<'A' | 'AAAA', { rcode: string; data: string[] }>> = {};
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.close();
      const a = got.A;
      const aaaa = got.AAAA;
      const rcode = !a || !aaaa ? 'TIMEOUT' : a.rcode !== 'NOERROR' ? a.rcode : aaaa.rcode;
      resolve({ rcode, a: a?.data ?? [], aaaa: aaaa?.data ?? [] });
    };
    const timer = setTimeout(finish, timeoutMs);
    sock.on('error', finish);
    sock.on('message', (msg) => {
      let p: dnsPacket.DecodedPacket & { rcode?: string };
      try {
        p = dnsPacket.decode(msg);
      } catch {
        return;
      }
      const type = p.id === ids.A ? 'A' : p.id === ids.AAAA ? 'AAAA' : null;
      if (!type || got[type]) return;
      const data = (p.answers ?? []).flatMap((ans) =>
        ans.type === type && typeof ans.data === 'string' ? [ans.data] : [],
      );
      got[type] = { rcode: p.rcode ?? 'NOERROR', data };
      if (got.A && got.AAAA) finish();
    });
    for (const type of ['A', 'AAAA'] as const) {
      const q = dnsPacket.encode({
        type: 'query',
        id: ids[type],
        flags: dnsPacket.RECURSION_DESIRED,
        questions: [{ type, name }],
      });
      sock.send(q, 53, server, (err) => {
        if (err) finish();
      });
    }
  });
}
