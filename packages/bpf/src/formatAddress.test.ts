import { describe, expect, it } from 'vitest';
import { AF_INET, AF_INET6, formatAddress } from './formatAddress.js';

function v6(text: string): Uint8Array {
  // expand a full (uncompressed) 8-group form into bytes
  const out = new Uint8Array(16);
  text.split(':').forEach((g, i) => {
    const w = Number.parseInt(g, 16);
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

describe('formatAddress', () => {
  it('prints IPv4 dotted from the first four bytes', () => {
    const b = new Uint8Array(16);
    b.set([10, 99, 0, 255]);
    expect(formatAddress(AF_INET, b)).toBe('10.99.0.255');
  });

  it.each([
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['fd99:0:0:0:0:0:0:2', 'fd99::2'],
    ['fe80:0:0:0:48f:90ff:fed2:b002', 'fe80::48f:90ff:fed2:b002'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:1:2:3:4:5:0', '2001:db8:1:2:3:4:5:0'],
    ['2001:0:0:1:2:3:4:5', '2001::1:2:3:4:5'],
    ['ff02:0:0:0:0:0:0:16', 'ff02::16'],
    ['0:0:0:0:0:ffff:a63:2', '::ffff:10.99.0.2'],
    ['0:0:0:0:0:0:a63:2', '::10.99.0.2'],
    ['fd99:0:0:0:0:0:0:0', 'fd99::'],
  ])('prints %s as %s, like inet_ntop', (full, text) => {
    expect(formatAddress(AF_INET6, v6(full))).toBe(text);
  });

  it('rejects an unknown family with a clear error', () => {
    expect(() => formatAddress(7, new Uint8Array(16))).toThrow(/unknown address family 7/);
  });
});
