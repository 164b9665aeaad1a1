import {
  DEFAULT_FILTER,
  type DnsRecord,
  type DropRecord,
  type Endpoint,
  type FilterState,
  type FlowRecord,
  type IngestBatch,
  type Level,
  resolveTime,
  type TcpConnectRecord,
  type TcpStatsRecord,
  type TimeWindow,
} from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.js';
import { graphAnswer } from './graphAnswer.js';
import { Store } from './store.js';
import { captureImage, restoreImage } from './storeImage.js';
import { fineOnly } from './workloadRollups.js';

const T0 = 1_800_000_030_000;
const NODES = ['n1', 'n2'];

/** Deterministic numbers from a seed (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A small cluster: pods of workloads and bare pods in three namespaces, services, hosts and the world. */
function cluster(r: () => number): Endpoint[] {
  const eps: Endpoint[] = [];
  let ip = 1;
  const next = () => `10.0.${ip >> 8}.${ip++ & 255}`;
  for (const ns of ['prod', 'dev', 'kube-system'])
    for (let w = 0; w < 3; w++) {
      const pods = 1 + Math.floor(r() * 4);
      for (let p = 0; p < pods; p++) {
        const bare = w === 2 && p === 0;
        eps.push({
          ip: next(),
          kind: 'pod',
          namespace: ns,
          name: `w${w}-${p}`,
          workloadKind: bare ? '' : 'Deployment',
          workload: bare ? '' : `w${w}`,
          service: '',
          node: NODES[p % 2]!,
        });
      }
    }
  for (const ns of ['prod', 'kube-system'])
    eps.push({
      ip: next(),
      kind: 'service',
      namespace: ns,
      name: 'svc',
      workloadKind: '',
      workload: '',
      service: 'svc',
      node: '',
    });
  for (const n of NODES)
    eps.push({
      ip: next(),
      kind: 'host',
      namespace: '',
      name: n,
      workloadKind: '',
      workload: '',
      service: '',
      node: n,
    });
  for (let i = 0; i < 3; i++)
    eps.push({
      ip: `203.0.113.${i}`,
      kind: 'world',
      namespace: '',
      name: '',
      workloadKind: '',
      workload: '',
      service: '',
      node: '',
    });
  return eps;
}

const PORTS: [number, 'tcp' | 'udp'][] = [
  [80, 'tcp'],
  [443, 'tcp'],
  [53, 'udp'],
  [53, 'tcp'],
  [5432, 'tcp'],
];

/** One batch a second a node, `seconds` of them, random records of every kind. */
function batches(
  r: () => number,
  eps: Endpoint[],
  start: number,
  seconds: number,
  density: number,
): IngestBatch[] {
  const out: IngestBatch[] = [];
  const pick = () => eps[Math.floor(r() * eps.length)]!;
  let seq = 0;
  for (let s = 0; s < seconds; s++) {
    const t = start + s * 1000;
    for (const _node of NODES) {
      const flows: FlowRecord[] = [];
      const drops: DropRecord[] = [];
      const tcp: TcpConnectRecord[] = [];
      const tcpStats: TcpStatsRecord[] = [];
      const dns: DnsRecord[] = [];
      const n = Math.floor(r() * density);
      for (let i = 0; i < n; i++) {
        const src = pick();
        const dst = pick();
        const [dport, proto] = PORTS[Math.floor(r() * PORTS.length)]!;
        const ts = t + Math.floor(r() * 1000);
        const sport = 40_000 + Math.floor(r() * 50);
        const kind = r();
        if (kind < 0.7)
          flows.push({
            ts,
            src,
            dst,
            sport,
            dport,
            proto,
            dir: 'egress',
            // Odd sizes, so that rates have long decimals and rounding order shows.
            bytes: 1 + Math.floor(r() * 7_777),
            packets: 1 + Math.floor(r() * 9),
            tcpFlags: 0x18,
          });
        else if (kind < 0.8)
          drops.push({
            ts,
            src,
            dst,
            sport,
            dport,
            proto,
            dir: 'egress',
            reason: ['policy_drop', 'no_route', 'constructor'][Math.floor(r() * 3)]!,
            kernelReason: 'NETFILTER_DROP',
            packets: 1 + Math.floor(r() * 3),
            bytes: 60,
          });
        else if (kind < 0.88)
          tcp.push(
            r() < 0.7
              ? {
                  ts,
                  src,
                  dst,
                  sport,
                  dport,
                  proto: 'tcp',
                  outcome: 'ok',
                  latencyUs: 100 + Math.floor(r() * 9_000),
                }
              : { ts, src, dst, sport, dport, proto: 'tcp', outcome: 'fail', cause: 'refused' },
          );
        else if (kind < 0.95)
          tcpStats.push({
            ts,
            src,
            dst,
            sport,
            dport,
            proto: 'tcp',
            srttUs: Math.floor(r() * 900),
            retransmits: Math.floor(r() * 2),
          });
        else
          dns.push({
            ts,
            client: src,
            server: dst,
            id: Math.floor(r() * 65_536),
            qname: 'db.prod.svc.cluster.local',
            qtype: 'A',
            rcode: r() < 0.8 ? 'NOERROR' : 'NXDOMAIN',
            answers: 1,
            latencyUs: 300,
          });
      }
      out.push({
        type: 'batch',
        seq: seq++,
        start: t,
        end: t + 1000,
        flows,
        drops,
        tcp,
        tcpStats,
        dns,
        lost: 0,
      });
    }
  }
  return out;
}

function filters(eps: Endpoint[], level: Level): FilterState[] {
  const f = (patch: Partial<FilterState>): FilterState => ({
    ...DEFAULT_FILTER,
    namespace: [],
    level,
    ...patch,
  });
  const pod = eps[0]!;
  return [
    f({}),
    f({ namespace: ['prod'] }),
    f({ namespace: ['dev', 'kube-system'], protocol: 'tcp' }),
    f({ port: 53 }),
    f({ focus: 'ns:prod' }),
    f({ focus: 'wl:prod/w0->wl:dev/w1' }),
    f({ focus: 'ns:prod->wl:kube-system/w0' }),
    f({ focus: 'others->ns:dev' }),
    f({ focus: 'wl:prod/w1' }),
    f({ workload: 'dev/w0' }),
    f({ pod: `${pod.namespace}/${pod.name}` }),
    f({ verdict: 'dropped' }),
    f({ verdict: 'forwarded', namespace: ['prod'] }),
    f({ q: 'w1' }),
    f({ compare: 'previous' }),
    f({ compare: 'previous', namespace: ['dev'] }),
  ];
}

function windows(r: () => number, now: number, end: number, rateS: number): TimeWindow[] {
  const none = { from: '', to: '', at: '' };
  const live = resolveTime(none, now, rateS * 1000).window;
  const at = resolveTime(
    { ...none, at: String(end - 1_000 - Math.floor(r() * 15_000)) },
    now,
    rateS * 1000,
  ).window;
  const old = resolveTime({ ...none, at: String(end - 90_000) }, now, rateS * 1000).window;
  return [
    live,
    at,
    old,
    { start: end - 20_000 - Math.floor(r() * 40_000), end: end - Math.floor(r() * 5_000) },
  ];
}

interface Case {
  seed: number;
  maxSeries?: number;
  fineRetentionS?: number;
  restore?: boolean;
}

/** Every level and filter over several windows: the answer as served equals the pod-level scan's. */
function check(c: Case): { served: number; inexact: number; exact: number } {
  const r = rng(c.seed);
  const eps = cluster(r);
  // Rate windows whose rates have long decimals (bytes / 7 s), where summing order shows in rounding.
  const rateS = [DEFAULT_CONFIG.rateWindowS, 7, 3][c.seed % 3]!;
  const clock = { now: 0 };
  const make = () => {
    const s = new Store({
      ...DEFAULT_CONFIG,
      fineRetentionS: c.fineRetentionS ?? DEFAULT_CONFIG.fineRetentionS,
      maxSeries: c.maxSeries ?? DEFAULT_CONFIG.maxSeries,
      rateWindowS: rateS,
      now: () => clock.now,
    });
    s.observedNodes = new Set(NODES);
    return s;
  };
  let store = make();
  const seconds = 100 + Math.floor(r() * 80);
  const all = batches(r, eps, T0, seconds, 2 + Math.floor(r() * 30));
  const feed = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const b = all[i]!;
      clock.now = Math.max(clock.now, b.end + 200);
      store.ingest(b, NODES[i % 2]!);
      if (i % 7 === 0) store.pruneStep();
    }
  };
  if (c.restore) {
    feed(0, all.length - 40);
    const image = captureImage(store);
    store = make();
    restoreImage(store, image);
    feed(all.length - 40, all.length);
  } else feed(0, all.length);
  const end = T0 + seconds * 1000;
  clock.now = end + 300;
  let served = 0;
  let inexact = 0;
  let exact = 0;
  // Rollups read as such for the live window, and rollups read as their members.
  for (const head of store.workloads.heads.items)
    if (head?.members) {
      if (head.exactFrom <= end - rateS * 1000) exact++;
      else inexact++;
    }
  const levels: Level[] = c.maxSeries
    ? ['node', 'workload', 'pod']
    : ['node', 'namespace', 'workload', 'pod'];
  for (const win of windows(r, clock.now, end, rateS))
    for (const level of levels)
      for (const f of filters(eps, level)) {
        const opts = { maxNodes: 3 + Math.floor(r() * 12), simulated: false };
        const fast = graphAnswer(store, f, win, clock.now, opts);
        const scan = graphAnswer(store, f, win, clock.now, { ...opts, scanAll: true });
        expect(fast, `seed ${c.seed}, ${level}, ${JSON.stringify(f)}, ${JSON.stringify(win)}`).toEqual(scan);
        const fineFrom = store.fineFrom(clock.now);
        const liveEdge = Math.min(clock.now, store.dataEnd || clock.now);
        if (store.workloads.serves(f, win.start, win.end, clock.now, fineFrom, liveEdge)) served++;
      }
  return { served, inexact, exact };
}

describe('workload rollups', () => {
  it('answer the workload map exactly as the pod-level series do, on random stores', () => {
    let served = 0;
    let exact = 0;
    for (let seed = 1; seed <= 16; seed++) {
      const x = check({ seed });
      served += x.served;
      exact += x.exact;
    }
    expect(exact).toBeGreaterThan(0);
    // The live windows and moments just past, unfiltered or by namespace, protocol, port and foci.
    expect(served).toBeGreaterThan(16 * 10);
  }, 120_000);

  it('read the members of a rollup that lost one (evictions), and stay exact', () => {
    let inexact = 0;
    let served = 0;
    for (let seed = 100; seed < 116; seed++) {
      const x = check({ seed, maxSeries: 40 + (seed % 5) * 15, fineRetentionS: 60 + (seed % 3) * 30 });
      inexact += x.inexact;
      served += x.served;
    }
    expect(inexact).toBeGreaterThan(0);
    expect(served).toBeGreaterThan(0);
  }, 120_000);

  it('are not read for windows a restored store has no rollup history for', () => {
    for (let seed = 200; seed < 206; seed++) expect(check({ seed, restore: true }).served).toBe(0);
  }, 120_000);

  it('tell the 1 s tier alone from windows windowRow reads minutes for', () => {
    const m = 60_000;
    const base = 1_800_000_000_000 - (1_800_000_000_000 % m);
    // Inside one minute; across a minute's start, up to the data's end or past it.
    expect(fineOnly(base + 5_000, base + 15_000, base, base + m)).toBe(true);
    expect(fineOnly(base + m - 5_000, base + m + 5_000, base, base + 2 * m)).toBe(true);
    expect(fineOnly(base + m - 5_000, base + m + 5_000, base, base + m + 1_000)).toBe(false);
    // Older than the 1 s tier; a whole minute.
    expect(fineOnly(base + 5_000, base + 15_000, base + 10_000, base + m)).toBe(false);
    expect(fineOnly(base, base + m, base, base + 2 * m)).toBe(false);
  });
});
