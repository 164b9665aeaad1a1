import type { Endpoint } from '@weft/protocol/core';
import { describe, expect, it } from 'vitest';
import {
  hubbleEndpoint,
  hubbleRcode,
  hubbleTcpFlags,
  retinaEndpoint,
  retinaRcode,
  retinaTcpFlags,
} from './compatLabels.js';

const pod = {
  kind: 'pod',
  ip: '10.244.1.10',
  namespace: 'production',
  name: 'frontend-abc123',
  workload: 'frontend',
  workloadKind: 'Deployment',
} as Endpoint;
const world = {
  kind: 'world',
  ip: '203.0.113.7',
  namespace: '',
  name: '',
  workload: '',
  workloadKind: '',
} as Endpoint;

describe("Hubble's and Retina's label values", () => {
  it('names a pod namespace/workload for Hubble, by level', () => {
    expect(hubbleEndpoint(pod, 'pod')).toBe('production/frontend');
    expect(hubbleEndpoint(pod, 'workload')).toBe('production/frontend');
    expect(hubbleEndpoint(pod, 'namespace')).toBe('production');
    expect(hubbleEndpoint({ ...pod, workload: '' }, 'pod')).toBe('production/frontend-abc123');
    expect(hubbleEndpoint(world, 'pod')).toBe('');
  });

  it("writes response codes in each one's words, and keeps an unknown one as it is", () => {
    expect([hubbleRcode('NOERROR'), retinaRcode('NOERROR')]).toEqual(['No Error', 'NoError']);
    expect([hubbleRcode('NXDOMAIN'), retinaRcode('NXDOMAIN')]).toEqual(['Non-Existent Domain', 'NXDomain']);
    expect([hubbleRcode('SERVFAIL'), retinaRcode('SERVFAIL')]).toEqual(['Server Failure', 'ServFail']);
    expect(hubbleRcode('RCODE_23')).toBe('RCODE_23');
  });

  it('names TCP flags: the server answering SYN-ACK, the client opening SYN, though the probe ORs them', () => {
    const client = [40000, 80] as const;
    const server = [80, 40000] as const;
    expect(hubbleTcpFlags(0x02, ...client)).toEqual(['SYN']);
    expect(hubbleTcpFlags(0x12, ...server)).toEqual(['SYN-ACK']);
    // A connection that opened, sent and closed within one interval: still the client's SYN.
    expect(hubbleTcpFlags(0x1b, ...client)).toEqual(['SYN', 'FIN']);
    expect(hubbleTcpFlags(0x1b, ...server)).toEqual(['SYN-ACK', 'FIN']);
    expect(hubbleTcpFlags(0x11, ...client)).toEqual(['FIN']);
    expect(hubbleTcpFlags(0x14, ...server)).toEqual(['RST']);
    expect(hubbleTcpFlags(0x18, ...client)).toEqual([]);
    expect(retinaTcpFlags(0x12, ...server)).toEqual(['synack']);
    expect(retinaTcpFlags(0x1a, ...client)).toEqual(['syn', 'psh']);
    expect(retinaTcpFlags(0x18, ...client)).toEqual(['ack', 'psh']);
    expect(retinaTcpFlags(0xc1, ...client)).toEqual(['fin', 'ece', 'cwr']);
  });

  it("gives Retina's pod labels, unknown for what is not a pod, no world address", () => {
    expect(retinaEndpoint(pod, 'pod')).toEqual({
      ip: '10.244.1.10',
      namespace: 'production',
      podname: 'frontend-abc123',
      workload_kind: 'Deployment',
      workload_name: 'frontend',
    });
    expect(retinaEndpoint(pod, 'workload')).toMatchObject({ ip: '', podname: 'frontend' });
    expect(retinaEndpoint(world, 'pod')).toMatchObject({ ip: '', podname: 'unknown', namespace: '' });
  });
});
