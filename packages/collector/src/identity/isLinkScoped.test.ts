import { describe, expect, it } from 'vitest';
import { isLinkScoped } from './isLinkScoped.js';

describe('isLinkScoped', () => {
  it('knows link-level addresses', () => {
    for (const ip of [
      'fe80::1',
      'FE80::a:b',
      'febf::1',
      'ff02::2',
      'ff02::1:ff00:1',
      '::',
      '224.0.0.251',
      '239.1.2.3',
      '255.255.255.255',
      '169.254.1.1',
      '0.0.0.0',
    ])
      expect(isLinkScoped(ip), ip).toBe(true);
  });
  it('leaves pod, node and outside addresses alone', () => {
    for (const ip of [
      '10.244.1.5',
      'fd00:244:1::5',
      '2001:db8::1',
      '203.0.113.10',
      '::1',
      '127.0.0.1',
      'fec0::1',
      '223.255.255.255',
    ])
      expect(isLinkScoped(ip), ip).toBe(false);
  });
});
