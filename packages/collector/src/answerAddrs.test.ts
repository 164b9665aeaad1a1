import { DnsAddress } from '@weft/protocol';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { answerAddrs } from './answerAddrs.js';

describe('answerAddrs', () => {
  it('keeps what the wire takes, at most 8, and leaves out what it would refuse', () => {
    const got = answerAddrs([
      { ip: '10.0.0.1', ttl: 30 },
      { ip: '<script>', ttl: 1 },
      { ip: '2001:db8::1', ttl: 2 ** 32 },
      { ip: '10.0.0.2', ttl: -1 },
      ...Array.from({ length: 10 }, (_, i) => ({ ip: `10.0.1.${i}`, ttl: 5 })),
    ]);
    expect(got.slice(0, 2)).toEqual([
      { ip: '10.0.0.1', ttl: 30 },
      { ip: '2001:db8::1', ttl: 0x7fffffff },
    ]);
    expect(got).toHaveLength(8);
    for (const a of got) expect(Value.Check(DnsAddress, a)).toBe(true);
  });
});
