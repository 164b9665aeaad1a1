import * as dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { answerDns, type DnsBehaviour } from './dnsAnswer.js';

const zone = new Map([
  [
    'api.production.svc.cluster.local',
    { name: 'api.production.svc.cluster.local', a: ['10.244.1.11', '10.244.2.11'], aaaa: ['fd00:244:1::b'] },
  ],
]);
const base: DnsBehaviour = { zone, faults: [], slowEvery: 0, slowMs: 0, ttl: 5 };

function query(name: string, type: 'A' | 'AAAA' = 'A', id = 7): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name }],
  });
}

const datas = (p: dnsPacket.DecodedPacket) => (p.answers ?? []).map((x) => ('data' in x ? x.data : null));

function decode(b: Buffer | null) {
  return dnsPacket.decode(b!) as dnsPacket.DecodedPacket & { rcode: string };
}

describe('answerDns', () => {
  it('answers A and AAAA of a service with its backends, authoritatively', () => {
    const a = decode(answerDns(query('API.production.svc.cluster.local.'), base, 0).response);
    expect(a.id).toBe(7);
    expect(a.rcode).toBe('NOERROR');
    expect(a.flag_aa).toBe(true);
    expect(datas(a)).toEqual(['10.244.1.11', '10.244.2.11']);
    const aaaa = decode(answerDns(query('api.production.svc.cluster.local', 'AAAA'), base, 1).response);
    expect(datas(aaaa)).toEqual(['fd00:244:1::b']);
  });

  it('answers NXDOMAIN for unknown names', () => {
    const d = answerDns(query('recommendations.production.svc.cluster.local'), base, 0);
    expect(d.rcode).toBe('NXDOMAIN');
    expect(decode(d.response).answers).toEqual([]);
  });

  it('applies faults by name', () => {
    const b: DnsBehaviour = {
      ...base,
      faults: [
        { mode: 'servfail', name: 'production.svc.cluster.local', delayMs: 0, every: 1 },
        { mode: 'slow', name: null, delayMs: 800, every: 1 },
      ],
    };
    const d = answerDns(query('api.production.svc.cluster.local'), b, 0);
    expect(d.rcode).toBe('SERVFAIL');
    expect(decode(d.response).rcode).toBe('SERVFAIL');
    expect(d.delayMs).toBe(800);
    const nx = answerDns(
      query('api.production.svc.cluster.local'),
      { ...base, faults: [{ mode: 'nxdomain', name: null, delayMs: 0, every: 1 }] },
      0,
    );
    expect(nx.rcode).toBe('NXDOMAIN');
  });

  it('delays one answer in `every` for a slow rule that says so', () => {
    const b: DnsBehaviour = { ...base, faults: [{ mode: 'slow', name: null, delayMs: 300, every: 3 }] };
    const delays = [0, 1, 2, 3, 4, 5].map(
      (seq) => answerDns(query('api.production.svc.cluster.local'), b, seq).delayMs,
    );
    expect(delays).toEqual([0, 0, 300, 0, 0, 300]);
  });

  it('delays every n-th answer', () => {
    const b = { ...base, slowEvery: 4, slowMs: 300 };
    const delays = [0, 1, 2, 3, 4, 5, 6, 7].map(
      (i) => answerDns(query('api.production.svc.cluster.local'), b, i).delayMs,
    );
    expect(delays).toEqual([0, 0, 0, 300, 0, 0, 0, 300]);
  });

  it('ignores garbage and responses', () => {
    expect(answerDns(Buffer.from('not dns at all'), base, 0).response).toBeNull();
    const resp = dnsPacket.encode({ type: 'response', id: 1, questions: [{ type: 'A', name: 'x' }] });
    expect(answerDns(resp, base, 0).response).toBeNull();
  });
});
