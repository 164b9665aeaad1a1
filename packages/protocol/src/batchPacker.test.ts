import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { BatchPacker } from './batchPacker.js';
import type { Endpoint } from './endpoint.js';
import { worldEndpoint } from './endpointHelpers.js';
import { EndpointTable } from './endpointTable.js';
import { testPod } from './fixtures/testPod.js';
import type { IngestBatch } from './ingest.js';
import { MAX_CONNECTION_ENDPOINTS } from './ingestLimits.js';
import { PackedBatch } from './packedBatch.js';
import { packedBatchProblem } from './packedBatchProblem.js';
import { unpackBatch } from './unpackBatch.js';

const pod = testPod;
const api = pod('api-7d9f8', '10.0.1.2');
const db = pod('db-0', '10.0.1.3');
const cache = pod('redis-0', '10.0.1.4');

function batch(seq: number, pairs: [Endpoint, Endpoint][]): IngestBatch {
  return {
    type: 'batch',
    seq,
    start: seq * 1000,
    end: seq * 1000 + 1000,
    flows: pairs.map(([src, dst], i) => ({
      ts: seq * 1000 + 1000,
      src,
      dst,
      sport: 40_000 + i,
      dport: 5432,
      proto: 'tcp' as const,
      dir: 'egress' as const,
      bytes: 100 + i,
      packets: 1,
      tcpFlags: 0x18,
    })),
    drops: [],
    tcp: [],
    tcpStats: [],
    dns: [
      {
        ts: seq * 1000,
        client: api,
        server: cache,
        id: 1,
        qname: 'x.',
        qtype: 'A',
        rcode: 'NOERROR',
        answers: 1,
        latencyUs: 5,
      },
    ],
    lost: 0,
  };
}

const check = Compile(PackedBatch);
/** Through the wire and the receiving table, back to records. */
const receive = (table: EndpointTable, p: PackedBatch): IngestBatch => {
  const wire = JSON.parse(JSON.stringify(p)) as PackedBatch;
  expect(check.Check(wire)).toBe(true);
  expect(packedBatchProblem(wire)).toBeNull();
  expect(table.stepProblem(wire)).toBeNull();
  return unpackBatch(table.resolve(wire));
};

describe('BatchPacker', () => {
  it('sends each endpoint once per connection; the receiving table restores every record', () => {
    const packer = new BatchPacker();
    const table = new EndpointTable();
    const b0 = batch(0, [[api, db]]);
    const b1 = batch(1, [
      [api, db],
      // Equal by value to api: no new entry.
      [{ ...api }, cache],
    ]);
    const b2 = batch(2, [[cache, worldEndpoint('1.1.1.1')]]);
    const p0 = packer.pack(b0);
    expect([p0.endpointBase, p0.endpoints]).toEqual([0, [api, db, cache]]);
    const p1 = packer.pack(b1);
    expect([p1.endpointBase, p1.endpoints]).toEqual([3, []]);
    expect(p1.flows.src).toEqual([0, 0]);
    const p2 = packer.pack(b2);
    expect([p2.endpointBase, p2.endpoints]).toEqual([3, [worldEndpoint('1.1.1.1')]]);
    expect(p2.flows.dst).toEqual([3]);
    expect(packer.tableSize).toBe(4);
    expect([receive(table, p0), receive(table, p1), receive(table, p2)]).toEqual([b0, b1, b2]);
  });

  it('starts a new table after a reset, and by itself once the table is full', () => {
    const packer = new BatchPacker(3);
    packer.pack(batch(0, [[api, db]]));
    packer.reset();
    const again = packer.pack(batch(1, [[api, db]]));
    expect([again.endpointBase, again.endpoints]).toEqual([0, [api, db, cache]]);
    // Now at its maximum of 3: the next batch starts afresh rather than growing the table.
    const full = packer.pack(batch(2, [[db, api]]));
    expect([full.endpointBase, full.endpoints]).toEqual([0, [db, api, cache]]);
  });

  it('packs a batch on its own when it would take the table past the protocol bound', () => {
    const packer = new BatchPacker(MAX_CONNECTION_ENDPOINTS + 10);
    const many = (from: number, n: number): [Endpoint, Endpoint][] =>
      Array.from({ length: n }, (_, i) => [
        worldEndpoint(`10.${(from + i) >> 16}.${((from + i) >> 8) & 255}.${(from + i) & 255}`),
        db,
      ]);
    const first = packer.pack(batch(0, many(0, MAX_CONNECTION_ENDPOINTS - 10)));
    expect(first.endpointBase).toBe(0);
    const next = packer.pack(batch(1, many(MAX_CONNECTION_ENDPOINTS, 20)));
    expect(next.endpointBase).toBe(0);
    // 20 addresses, db, and the DNS record's two ends.
    expect(next.endpoints).toHaveLength(23);
    expect(packer.tableSize).toBe(23);
  });
});

describe('EndpointTable', () => {
  it('refuses a batch packed against a table it does not hold, and takes a new table any time', () => {
    const packer = new BatchPacker();
    const table = new EndpointTable();
    packer.pack(batch(0, [[api, db]]));
    const p1 = packer.pack(batch(1, [[db, worldEndpoint('1.1.1.1')]]));
    expect(table.stepProblem(p1)).toBe(
      'endpoint table out of step: the batch adds at 3, this connection holds 0',
    );
    packer.reset();
    const p2 = packer.pack(batch(2, [[db, worldEndpoint('1.1.1.1')]]));
    expect(receive(table, p2).flows[0]!.dst).toEqual(worldEndpoint('1.1.1.1'));
    expect(table.size).toBe(4);
  });

  it('refuses a table that would pass the bound', () => {
    const table = new EndpointTable();
    const p = {
      ...new BatchPacker().pack(batch(0, [[api, db]])),
      endpointBase: MAX_CONNECTION_ENDPOINTS - 1,
    };
    expect(table.stepProblem(p)).toMatch(/endpoint table out of step/);
    expect(
      table.stepProblem({ ...p, endpointBase: 0, endpoints: new Array(MAX_CONNECTION_ENDPOINTS + 1) }),
    ).toBe(`the endpoint table would pass ${MAX_CONNECTION_ENDPOINTS} entries: start a new one`);
  });

  it('keeps what earlier resolved batches name when a new table starts', () => {
    const packer = new BatchPacker();
    const table = new EndpointTable();
    const r0 = table.resolve(packer.pack(batch(0, [[api, db]])));
    packer.reset();
    table.resolve(packer.pack(batch(1, [[cache, worldEndpoint('1.1.1.1')]])));
    expect(unpackBatch(r0).flows[0]!.dst).toEqual(db);
  });
});
