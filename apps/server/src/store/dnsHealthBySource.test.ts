import type { DnsRecord, Endpoint, IngestBatch } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { testStore } from '../fixtures/testStore.js';
import { dnsHealthBySource } from './dnsHealthBySource.js';

const T = 1_800_000_000_000;

function pod(namespace: string, name: string, workload: string, i: number): Endpoint {
  return {
    ip: `10.9.0.${i}`,
    kind: 'pod',
    namespace,
    name,
    workloadKind: 'Deployment',
    workload,
    service: '',
    node: 'n1',
  };
}

const coredns = pod('kube-system', 'coredns-0', 'coredns', 1);
const api = pod('ns-a', 'api-0', 'api', 2);
const web0 = pod('ns-a', 'web-0', 'web', 3);
const web1 = pod('ns-a', 'web-1', 'web', 4);

let id = 0;
function lookup(
  client: Endpoint,
  latencyUs: number,
  rcode = 'NOERROR',
  qname = 'db.ns-a.svc.cluster.local',
): DnsRecord {
  id++;
  return {
    ts: T + 500,
    client,
    server: coredns,
    id,
    cport: 30_000 + id,
    qname,
    qtype: 'A',
    rcode,
    answers: rcode === 'NOERROR' ? 1 : 0,
    latencyUs,
  };
}

function batch(dns: DnsRecord[]): IngestBatch {
  return {
    type: 'batch',
    seq: 1,
    start: T,
    end: T + 1000,
    flows: [],
    drops: [],
    tcp: [],
    tcpStats: [],
    dns,
    lost: 0,
  };
}

const win = { start: T, end: T + 1000 };

describe('dnsHealthBySource', () => {
  it("gives each source its answers' p95 time and its commonest failing answer, summed over its pods", () => {
    const { store, feed } = testStore({}, ['n1']);
    // web's two pods: 34 fast answers (1 ms), 3 failing ones (0.9 ms) and 6 slow ones (1.2 s): the
    // p95, the 41st of 43, is a slow one.
    // api: 20 answers at 2 ms, no failures.
    const web = [
      ...Array.from({ length: 17 }, () => lookup(web0, 1_000)),
      ...Array.from({ length: 17 }, () => lookup(web1, 1_000)),
      ...Array.from({ length: 3 }, () => lookup(web0, 1_200_000)),
      ...Array.from({ length: 3 }, () => lookup(web1, 1_200_000)),
      lookup(web1, 900, 'NXDOMAIN', 'payments.ns-a.svc.cluster.local'),
      lookup(web1, 900, 'NXDOMAIN', 'payments.ns-a.svc.cluster.local'),
      lookup(web0, 900, 'SERVFAIL', 'x.example'),
    ];
    feed([batch([...web, ...Array.from({ length: 20 }, () => lookup(api, 2_000))])]);
    const h = dnsHealthBySource(store, 'workload', new Set(['wl:ns-a/web', 'wl:ns-a/api']), win);
    const webHealth = h.get('wl:ns-a/web')!;
    expect(webHealth.failure).toEqual({
      qname: 'payments.ns-a.svc.cluster.local',
      rcode: 'NXDOMAIN',
      count: 2,
    });
    // Histogram buckets are ~9% wide.
    expect(webHealth.p95Ms).toBeGreaterThan(1_100);
    expect(webHealth.p95Ms).toBeLessThan(1_300);
    const apiHealth = h.get('wl:ns-a/api')!;
    expect(apiHealth.failure).toBeNull();
    expect(apiHealth.p95Ms).toBeGreaterThan(1.8);
    expect(apiHealth.p95Ms).toBeLessThan(2.2);
    // A pod is its own source at pod level: web-0 alone.
    const one = dnsHealthBySource(store, 'pod', new Set(['pod:ns-a/web-0']), win).get('pod:ns-a/web-0')!;
    expect(one.failure).toEqual({ qname: 'x.example', rcode: 'SERVFAIL', count: 1 });
  });

  it('reads only the sources asked for, and a source whose lookups all timed out has no answer time', () => {
    const { store, feed } = testStore({}, ['n1']);
    feed([batch([lookup(api, 0, 'TIMEOUT'), lookup(api, 0, 'TIMEOUT'), lookup(web0, 5_000)])]);
    const h = dnsHealthBySource(store, 'workload', new Set(['wl:ns-a/api']), win);
    expect([...h.keys()]).toEqual(['wl:ns-a/api']);
    expect(h.get('wl:ns-a/api')).toEqual({
      failure: { qname: 'db.ns-a.svc.cluster.local', rcode: 'TIMEOUT', count: 2 },
      p95Ms: null,
    });
    expect(dnsHealthBySource(store, 'workload', new Set(), win).size).toBe(0);
  });
});
