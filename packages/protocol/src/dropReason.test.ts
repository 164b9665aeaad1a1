import { describe, expect, it } from 'vitest';
import { dropReasonLabel, isRoutineFree, POLICY_DROP } from './dropReason.js';

describe('drop reasons', () => {
  it('labels netfilter drops as the seed does and the rest in lower case', () => {
    expect(dropReasonLabel('NETFILTER_DROP')).toBe(POLICY_DROP);
    expect(dropReasonLabel('NO_SOCKET')).toBe('no_socket');
    expect(dropReasonLabel('TCP_RESET')).toBe('tcp_reset');
    expect(dropReasonLabel('WEIRD<script>')).toBe('weird_script_');
  });
  it('leaves routine frees out, including queue purges at socket close', () => {
    for (const r of ['NOT_SPECIFIED', 'SOCKET_CLOSE', 'CONSUMED', 'QUEUE_PURGE'])
      expect(isRoutineFree(r)).toBe(true);
    for (const r of ['NETFILTER_DROP', 'NO_SOCKET', 'TCP_CLOSE']) expect(isRoutineFree(r)).toBe(false);
  });
});
