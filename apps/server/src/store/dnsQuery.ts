import type { DnsClient, DnsResponse, FailingName, FilterState, TimeWindow } from '@weft/protocol';
import { DnsBucket } from './dnsBucket.js';
import { endpointMatches } from './match.js';
import type { Store } from './store.js';
import { StoreRead } from './storeRead.js';
import { round, usToMs } from './window.js';

const MAX_CLIENTS = 500;
const TOP_FAILING = 10;

function topFailing(b: DnsBucket): FailingName[] {
  if (!b.failing) return [];
  return [...b.failing.entries()]
    .map(([k, count]) => {
      const i = k.lastIndexOf('\u001f');
      return { qname: k.slice(0, i), rcode: k.slice(i + 1), count };
    })
    .sort((a, b) => b.count - a.count || (a.qname < b.qname ? -1 : 1))
    .slice(0, TOP_FAILING);
}

function rcodes(b: DnsBucket): Record<string, number> {
  // Keyed by rcodes collectors sent: no prototype, so `constructor` or `__proto__` is an rcode like any other.
  const out: Record<string, number> = Object.create(null);
  const ok = b.queries - b.errors;
  if (ok > 0) out.NOERROR = ok;
  if (b.rcodes) for (const [k, v] of b.rcodes) out[k] = v;
  return out;
}

export function dnsClientMatches(
  f: FilterState,
  e: {
    namespace: string;
    name: string;
    workload: string;
    kind: string;
    node: string;
    ip: string;
    service: string;
    workloadKind: string;
  },
): boolean {
  const ep = e as Parameters<typeof endpointMatches>[0];
  if (f.namespace.length > 0 && !f.namespace.includes(e.namespace)) return false;
  if (f.pod && !endpointMatches(ep, 'pod', f.pod)) return false;
  if (f.workload && !endpointMatches(ep, 'wl', f.workload)) return false;
  if (f.q && !`${e.namespace}/${e.name} ${e.workload} ${e.ip}`.toLowerCase().includes(f.q.toLowerCase()))
    return false;
  return true;
}

/** Per-client DNS over the window: queries, error rate, latency percentiles, top failing names. */
export function queryDns(store: Store, f: FilterState, asked: TimeWindow): DnsResponse {
  const read = new StoreRead(store);
  const win = read.window(asked);
  const all = new DnsBucket(0);
  const clients: { c: DnsClient; sum: DnsBucket }[] = [];
  for (const s of store.dns.values()) {
    if (s.lastSeen < win.start - 120_000) continue;
    if (!dnsClientMatches(f, s.client)) continue;
    const sum = read.dnsSum(s, win);
    if (sum.queries === 0) continue;
    all.merge(sum);
    clients.push({
      sum,
      c: {
        namespace: s.client.namespace,
        pod: s.client.kind === 'pod' ? s.client.name : s.client.ip,
        queries: sum.queries,
        errors: sum.errors,
        errorRate: round(sum.errors / sum.queries, 4),
        p50Ms: usToMs(sum.latency.quantile(0.5)),
        p95Ms: usToMs(sum.latency.quantile(0.95)),
        p99Ms: usToMs(sum.latency.quantile(0.99)),
        rcodes: rcodes(sum),
        topFailing: topFailing(sum),
      },
    });
  }
  clients.sort((a, b) => b.c.errors - a.c.errors || b.c.queries - a.c.queries);
  return {
    start: win.start,
    end: win.end,
    queries: all.queries,
    errors: all.errors,
    p50Ms: usToMs(all.latency.quantile(0.5)),
    p95Ms: usToMs(all.latency.quantile(0.95)),
    p99Ms: usToMs(all.latency.quantile(0.99)),
    rcodes: rcodes(all),
    topFailing: topFailing(all),
    clients: clients.slice(0, MAX_CLIENTS).map((x) => x.c),
  };
}
