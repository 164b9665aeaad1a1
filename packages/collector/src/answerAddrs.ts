import { type DnsAddress, MAX_DNS_ADDRS } from '@weft/protocol/core';

const IP_TEXT = /^[0-9A-Fa-f.:]{2,45}$/;

/**
 * A DNS answer's addresses as the wire takes them (DnsAddress): the probe writes only well-formed ones,
 * but a record the server refuses costs the whole batch, so what the wire would refuse is left out here.
 */
export function answerAddrs(addrs: readonly { ip: string; ttl: number }[]): DnsAddress[] {
  const out: DnsAddress[] = [];
  for (const a of addrs) {
    if (out.length >= MAX_DNS_ADDRS) break;
    if (!IP_TEXT.test(a.ip) || !Number.isInteger(a.ttl) || a.ttl < 0) continue;
    out.push({ ip: a.ip, ttl: Math.min(a.ttl, 0x7fffffff) });
  }
  return out;
}
