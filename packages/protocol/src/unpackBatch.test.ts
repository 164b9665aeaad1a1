import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { packBatch } from './batchPacker.js';
import { hostEndpoint, worldEndpoint } from './endpointHelpers.js';
import { testPod } from './fixtures/testPod.js';
import type { IngestBatch } from './ingest.js';
import { PackedBatch } from './packedBatch.js';
import { packedBatchProblem } from './packedBatchProblem.js';
import { packedFlow, unpackBatch } from './unpackBatch.js';

const pod = testPod;
const api = pod('api-7d9f8', '10.0.1.2');
const db = pod('db-0', '10.0.1.3');

function batch(): IngestBatch {
  const pair = { sport: 40_000, dport: 5432, proto: 'tcp' as const };
  return {
    type: 'batch',
    seq: 7,
    start: 1_000,
    end: 2_000,
    flows: [
      { ts: 2_000, src: api, dst: db, ...pair, dir: 'egress', bytes: 300, packets: 3, tcpFlags: 0x18 },
      // The same endpoint as another object, as an identity source may hand out.
      { ts: 2_000, src: { ...db }, dst: api, ...pair, dir: 'ingress', bytes: 80, packets: 1, tcpFlags: 0x10 },
      {
        ts: 2_000,
        src: api,
        dst: worldEndpoint('1.1.1.1'),
        ...pair,
        dir: 'egress',
        bytes: 5,
        packets: 1,
        tcpFlags: 0,
      },
    ],
    drops: [
      {
        ts: 2_000,
        src: api,
        dst: db,
        ...pair,
        dir: 'egress',
        reason: 'policy_drop',
        kernelReason: 'NETFILTER_DROP',
        packets: 2,
        bytes: 120,
      },
    ],
    tcp: [{ ts: 2_000, src: api, dst: db, ...pair, outcome: 'fail', cause: 'refused' }],
    tcpStats: [{ ts: 2_000, src: api, dst: db, ...pair, srttUs: 300, retransmits: 1 }],
    dns: [
      {
        ts: 2_000,
        client: api,
        server: hostEndpoint('10.0.0.10', 'lab-node-1'),
        id: 9,
        qname: 'db.production',
        qtype: 'A',
        rcode: 'NOERROR',
        answers: 1,
        latencyUs: 900,
      },
    ],
    lost: 2,
  };
}

const check = Compile(PackedBatch);

describe('packBatch', () => {
  it('names each endpoint once, by value, and unpacks to the same batch', () => {
    const b = batch();
    const p = packBatch(b);
    expect(p.endpointBase).toBe(0);
    expect(p.endpoints).toEqual([api, db, worldEndpoint('1.1.1.1'), hostEndpoint('10.0.0.10', 'lab-node-1')]);
    expect(p.flows.src).toEqual([0, 1, 0]);
    expect(p.flows.dst).toEqual([1, 0, 2]);
    expect([p.flows.proto, p.flows.dir]).toEqual([
      [0, 0, 0],
      [0, 1, 0],
    ]);
    expect(p.dns[0]).toMatchObject({ client: 0, server: 3, qname: 'db.production' });
    expect(check.Check(p)).toBe(true);
    expect(packedBatchProblem(p)).toBeNull();
    expect(unpackBatch(JSON.parse(JSON.stringify(p)))).toEqual(b);
    expect(packedFlow(p, 1)).toEqual(b.flows[1]);
  });

  it('packs an empty batch', () => {
    const p = packBatch({ ...batch(), flows: [], drops: [], tcp: [], tcpStats: [], dns: [] });
    expect(p.endpoints).toEqual([]);
    expect(check.Check(p)).toBe(true);
    expect(packedBatchProblem(p)).toBeNull();
  });
});

describe('unpackBatch', () => {
  it('refuses a batch that extends a table it does not have', () => {
    expect(() => unpackBatch({ ...packBatch(batch()), endpointBase: 3 })).toThrow(/resolve it first/);
  });
});

describe('packedBatchProblem', () => {
  it('finds flow columns of unequal length', () => {
    const p = packBatch(batch());
    p.flows.bytes.pop();
    expect(check.Check(p)).toBe(true);
    expect(packedBatchProblem(p)).toBe('/flows/bytes has 2 entries, /flows/ts 3');
  });

  it('finds indexes past the endpoint table, in flows and in every other kind', () => {
    const flows = packBatch(batch());
    flows.flows.dst[2] = 4;
    expect(packedBatchProblem(flows)).toBe('/flows/dst/2 is past the endpoint table (4 entries)');
    const drops = packBatch(batch());
    drops.drops[0]!.src = 9;
    expect(packedBatchProblem(drops)).toBe('/drops/0 names an endpoint past the table (4 entries)');
    const dns = packBatch(batch());
    dns.dns[0]!.server = 4;
    expect(packedBatchProblem(dns)).toBe('/dns/0 names an endpoint past the table (4 entries)');
  });

  it('counts the table the batch extends', () => {
    const p = packBatch(batch());
    p.endpointBase = 10;
    p.flows.dst[2] = 13;
    expect(packedBatchProblem(p)).toBeNull();
    p.flows.dst[2] = 14;
    expect(packedBatchProblem(p)).toBe('/flows/dst/2 is past the endpoint table (14 entries)');
  });

  it('leaves types and ranges to the schema', () => {
    const p = packBatch(batch()) as unknown as { flows: { sport: unknown[]; proto: unknown[] } };
    p.flows.sport[0] = 70_000;
    expect(check.Check(p)).toBe(false);
    const q = packBatch(batch()) as unknown as { flows: { proto: unknown[] } };
    q.flows.proto[0] = 5;
    expect(check.Check(q)).toBe(false);
  });
});
