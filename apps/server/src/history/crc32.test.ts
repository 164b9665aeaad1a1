import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';

describe('crc32', () => {
  it('gives the standard check value and that of the empty input', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('reads only the range it is given', () => {
    const b = Buffer.from('xx123456789yy');
    expect(crc32(b, 2, 11)).toBe(0xcbf43926);
  });

  it('agrees with the bitwise definition on a longer input and on ranges within it', () => {
    const b = Buffer.from(Array.from({ length: 1031 }, (_, i) => (i * 131 + 7) & 0xff));
    const bitwise = (u: Uint8Array) => {
      let c = -1;
      for (const x of u) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      return (c ^ -1) >>> 0;
    };
    expect(crc32(b)).toBe(bitwise(b));
    expect(crc32(b, 3, 1000)).toBe(bitwise(b.subarray(3, 1000)));
  });
});
