import type { FlowRow } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../api/fixtures.js';
import { replyRows } from './flowReply.js';

const base = fixtures.flows.flows[0]!;
function row(srcIp: string, sport: number, dstIp: string, dport: number, proto = 'tcp'): FlowRow {
  return { ...base, src: { ...base.src, ip: srcIp }, dst: { ...base.dst, ip: dstIp }, sport, dport, proto };
}

describe('replyRows', () => {
  it('marks the answer of a request seen in both directions', () => {
    const req = row('10.0.0.1', 40522, '10.0.0.2', 80);
    const rep = row('10.0.0.2', 80, '10.0.0.1', 40522);
    const replies = replyRows([rep, req]);
    expect(replies.has(rep)).toBe(true);
    expect(replies.has(req)).toBe(false);
  });
  it('uses the lower port as the service when both directions use unprivileged ports', () => {
    const req = row('10.0.0.1', 51000, '10.0.0.2', 5432);
    const rep = row('10.0.0.2', 5432, '10.0.0.1', 51000);
    expect([...replyRows([req, rep])]).toEqual([rep]);
  });
  it('marks a lone reply from a service port to an ephemeral one, not a lone request', () => {
    const dnsAnswer = row('10.0.0.10', 53, '10.0.0.1', 45000, 'udp');
    const request = row('10.0.0.1', 45000, '10.0.0.10', 53, 'udp');
    expect(replyRows([dnsAnswer]).has(dnsAnswer)).toBe(true);
    expect(replyRows([request]).size).toBe(0);
  });
  it('does not guess for portless protocols or unrelated high ports', () => {
    expect(replyRows([row('10.0.0.1', 0, '10.0.0.2', 0, 'icmp')]).size).toBe(0);
    expect(replyRows([row('10.0.0.1', 40000, '10.0.0.2', 45000)]).size).toBe(0);
    const same = row('10.0.0.1', 7000, '10.0.0.2', 7000);
    expect(replyRows([same, row('10.0.0.2', 7000, '10.0.0.1', 7000)]).size).toBe(0);
  });
});
