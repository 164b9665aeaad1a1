import type { DnsClient, DnsResponse, FilterState, TimeWindow } from '@weft/protocol';
import { type Buckets, bucketQuantile } from './bucketQuantile.js';
import type { PromVectorSample } from './prometheusClient.js';
import { sampleValue } from './promPairs.js';
import type { DnsQueryName } from './promQueries.js';

const MAX_CLIENTS = 500;

const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

function addBucket(into: Buckets, le: string | undefined, v: number): void {
  const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
  if (Number.isNaN(bound)) return;
  into.set(bound, (into.get(bound) ?? 0) + v);
}

function keep(f: FilterState, namespace: string, pod: string): boolean {
  if (f.namespace.length > 0 && !f.namespace.includes(namespace)) return false;
  if (f.pod && `${namespace}/${pod}` !== f.pod) return false;
  if (f.q && !`${namespace}/${pod}`.toLowerCase().includes(f.q.toLowerCase())) return false;
  return true;
}

interface ClientSums {
  namespace: string;
  pod: string;
  queries: number;
  responses: Map<string, number>;
  latency: Buckets;
}

/**
 * The DNS panel from networkobservability_dns_*: queries are the requests; a query without a response
 * is a TIMEOUT (the collector counts no response for it), and an error is every answer but NOERROR,
 * as the store counts them. Failing names are not in the metrics (no qname label): topFailing is empty.
 */
export function dnsFromProm(
  answers: Record<DnsQueryName, PromVectorSample[]>,
  f: FilterState,
  win: TimeWindow,
): DnsResponse {
  const clients = new Map<string, ClientSums>();
  const at = (m: Record<string, string>): ClientSums | null => {
    const namespace = m.namespace ?? '';
    const pod = m.pod ?? '';
    if (!keep(f, namespace, pod)) return null;
    const k = `${namespace}/${pod}`;
    let c = clients.get(k);
    if (!c) {
      c = { namespace, pod, queries: 0, responses: new Map(), latency: new Map() };
      clients.set(k, c);
    }
    return c;
  };
  for (const s of answers.requests) {
    const c = at(s.metric);
    if (c) c.queries += sampleValue(s);
  }
  for (const s of answers.responses) {
    const c = at(s.metric);
    const code = s.metric.response_code ?? '';
    if (c) c.responses.set(code, (c.responses.get(code) ?? 0) + sampleValue(s));
  }
  for (const s of answers.latency) {
    const c = at(s.metric);
    if (c) addBucket(c.latency, s.metric.le, sampleValue(s));
  }
  const all: Buckets = new Map();
  const allRcodes: Record<string, number> = Object.create(null);
  let queries = 0;
  let errors = 0;
  const out: DnsClient[] = [];
  for (const c of clients.values()) {
    const q = Math.round(c.queries);
    if (q === 0) continue;
    const rcodes: Record<string, number> = Object.create(null);
    let answered = 0;
    for (const [code, n] of c.responses) {
      const r = Math.round(n);
      answered += r;
      if (r > 0) rcodes[code] = r;
    }
    const timeouts = q - answered;
    if (timeouts > 0) rcodes.TIMEOUT = timeouts;
    const e = q - (rcodes.NOERROR ?? 0);
    for (const [k, v] of Object.entries(rcodes)) allRcodes[k] = (allRcodes[k] ?? 0) + v;
    for (const [b, n] of c.latency) all.set(b, (all.get(b) ?? 0) + n);
    queries += q;
    errors += Math.max(0, e);
    out.push({
      namespace: c.namespace,
      pod: c.pod,
      queries: q,
      errors: Math.max(0, e),
      errorRate: round(Math.max(0, e) / q, 4),
      p50Ms: bucketQuantile(0.5, c.latency),
      p95Ms: bucketQuantile(0.95, c.latency),
      p99Ms: bucketQuantile(0.99, c.latency),
      rcodes,
      topFailing: [],
    });
  }
  out.sort((a, b) => b.errors - a.errors || b.queries - a.queries);
  return {
    start: win.start,
    end: win.end,
    queries,
    errors,
    p50Ms: bucketQuantile(0.5, all),
    p95Ms: bucketQuantile(0.95, all),
    p99Ms: bucketQuantile(0.99, all),
    rcodes: allRcodes,
    topFailing: [],
    clients: out.slice(0, MAX_CLIENTS),
    source: 'prometheus',
    sourceNotice: 'failing names are not in the collectors’ metrics (no qname label)',
  };
}
