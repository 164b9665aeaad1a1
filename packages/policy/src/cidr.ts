import { isIP } from 'node:net';

/** An address or prefix as a number, so containment is two shifts. */
export interface Cidr {
  family: 4 | 6;
  bits: bigint;
  len: number;
  /** As written, for explanations. */
  text: string;
}

function v4Bits(ip: string): bigint {
  return ip.split('.').reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function v6Bits(ip: string): bigint {
  let text = ip;
  let tail: bigint | null = null;
  // An embedded IPv4 tail (::ffff:10.0.0.1) is two groups.
  const dot = text.lastIndexOf('.');
  if (dot >= 0) {
    const colon = text.lastIndexOf(':');
    tail = v4Bits(text.slice(colon + 1));
    text = `${text.slice(0, colon + 1)}0:0`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = rest ? rest.split(':') : [];
  const groups = rest === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  let bits = groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g || '0', 16)), 0n);
  if (tail !== null) bits = (bits & ~0xffffffffn) | tail;
  return bits;
}

/** An address (IPv4 or IPv6) as a number; null when it is not one. */
export function parseIp(ip: string): { family: 4 | 6; bits: bigint } | null {
  const family = isIP(ip);
  if (family === 4) return { family, bits: v4Bits(ip) };
  if (family === 6) return { family, bits: v6Bits(ip) };
  return null;
}

/** `10.0.0.0/8`, `fd00::/64`; a bare address is a single-address prefix. Null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return null;
  const width = ip.family === 4 ? 32 : 128;
  let len = width;
  if (slash >= 0) {
    const l = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(l) || Number(l) > width) return null;
    len = Number(l);
  }
  return { family: ip.family, bits: ip.bits, len, text };
}

const widthOf = (c: { family: 4 | 6 }) => (c.family === 4 ? 32 : 128);

/** Whether the address lies in the prefix (host bits of the prefix are ignored, as Kubernetes does). */
export function cidrContains(c: Cidr, ip: { family: 4 | 6; bits: bigint }): boolean {
  if (c.family !== ip.family) return false;
  const shift = BigInt(widthOf(c) - c.len);
  return c.bits >> shift === ip.bits >> shift;
}

/** Whether `inner` lies wholly inside `outer` (same family, at least as long, same network bits). */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.family === outer.family && inner.len >= outer.len && cidrContains(outer, inner);
}
