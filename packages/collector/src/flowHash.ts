import type { ProbeRecord } from '@weft/protocol/core';

type ProbeFlow = Extract<ProbeRecord, { type: 'flow' }>;

const FNV_PRIME = 0x01000193;

function mixString(h: number, s: string): number {
  let x = h;
  for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), FNV_PRIME);
  // A separator, so that ('1.2', '3.4') and ('1.23', '.4') differ.
  return Math.imul(x ^ 0x7c, FNV_PRIME);
}

/**
 * FNV-1a over what identifies a flow within an interval (addresses, ports, protocol, direction),
 * computed without building a key string: every flow record of every interval is looked up by it.
 * Equal flows hash equal; different flows may collide, so a hit is checked field by field.
 */
export function flowHash(r: ProbeFlow): number {
  let h = mixString(0x811c9dc5, r.src);
  h = mixString(h, r.dst);
  h = mixString(h, r.proto);
  h = mixString(h, r.dir);
  h = Math.imul(h ^ r.sport, FNV_PRIME);
  h = Math.imul(h ^ r.dport, FNV_PRIME);
  // Small non-negative integers stay unboxed as Map keys.
  return h >>> 1;
}
