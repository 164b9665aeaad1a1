import { describe, expect, it } from 'vitest';
import { tcpState } from './tcpState.js';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from './wireCodes.js';

describe('tcpState', () => {
  it('reads a row of ORed flags as its connection state', () => {
    expect(tcpState(TCP_SYN)).toBe('syn only');
    expect(tcpState(TCP_SYN | TCP_RST | TCP_ACK)).toBe('reset');
    expect(tcpState(TCP_SYN | TCP_ACK | TCP_PSH)).toBe('established');
    expect(tcpState(TCP_ACK | TCP_FIN)).toBe('closing');
    expect(tcpState(0)).toBe('');
  });
});
