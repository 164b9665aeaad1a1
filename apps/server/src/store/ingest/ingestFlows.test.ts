import type { FlowRecord, FlowRow, IngestBatch } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { EP, N1 } from '../../fixtures/labCluster.js';
import { testStore } from '../../fixtures/testStore.js';

const T = 1_700_000_000_000;

function batch(flows: FlowRecord[], dns: IngestBatch['dns'] = []): IngestBatch {
  return {
    type: 'batch',
    seq: 1,
    start: T,
    end: T + 1000,
    flows,
    drops: [],
    tcp: [],
    tcpStats: [],
    dns,
    lost: 0,
  };
}

const request: FlowRecord = {
  ts: T + 500,
  src: EP.frontend1,
  dst: EP.api1,
  sport: 40_000,
  dport: 80,
  proto: 'tcp',
  dir: 'egress',
  bytes: 1200,
  packets: 4,
  tcpFlags: 0x18,
};
const reply: FlowRecord = {
  ...request,
  src: EP.api1,
  dst: EP.frontend1,
  sport: 80,
  dport: 40_000,
  bytes: 800,
};

function rows(store: ReturnType<typeof testStore>['store']): FlowRow[] {
  const out: FlowRow[] = [];
  store.recentFlows((r) => {
    out.push(r);
    return true;
  });
  return out;
}

describe('ingestFlows (through Store.ingestPacked)', () => {
  it('makes a row of each flow in the window, folds a reply into its client -> server series, counts the rest', () => {
    const { store, clock } = testStore();
    clock.now = T + 1200;
    const old = { ...request, ts: T - 3 * 86_400_000 };
    expect(store.ingest(batch([request, reply, old]), N1)).toBe(2);
    expect(store.stats().outOfWindow).toBe(1);
    expect(rows(store)).toHaveLength(2);
    const series = [...store.edges];
    expect(series).toHaveLength(1);
    expect(series[0]!.client).toEqual(EP.frontend1);
    expect(series[0]!.server).toEqual(EP.api1);
    expect(series[0]!.port).toBe(80);
    // Both directions' bytes on the one series, its namespace rollup and the totals.
    expect(series[0]!.coarse.at(0).bytes).toBe(2000);
    expect(series[0]!.rollup!.coarse.at(0).bytes).toBe(2000);
    expect(store.totals.coarse.at(0).bytes).toBe(2000);
  });

  it("names a flow by what the same batch's DNS answer taught, learned before its flows", () => {
    const { store, clock } = testStore();
    clock.now = T + 1200;
    const answer = {
      ts: T + 100,
      client: EP.frontend1,
      server: EP.coredns,
      cport: 50_000,
      id: 7,
      qname: 'api.production.svc.cluster.local',
      qtype: 'A',
      rcode: 'NOERROR',
      answers: 1,
      latencyUs: 300,
      addrs: [{ ip: EP.api1.ip, ttl: 30 }],
    };
    store.ingest(batch([request], [answer]), N1);
    const row = rows(store).find((r) => r.dport === 80);
    expect(row?.dns?.name).toBe('api.production.svc.cluster.local');
  });
});
