import {
  clockInWords,
  DIAGNOSE_MAX_PAIRS,
  DIAGNOSE_PROBLEM_ORDER,
  type DiagnosePair,
  type DiagnosePeriod,
  type DiagnoseResponse,
  type DiagnoseStep,
  type DiagnoseVerdict,
  durationInWords,
  type Endpoint,
  endpointLabel,
  type FilterState,
  kubeNodeId,
  type Level,
  type ResolvedTime,
  type TimeMode,
  type TimeWindow,
  windowInWords,
} from '@weft/protocol';
import { promDuration } from '../alerts/seedRules.js';
import { DnsBucket } from '../store/dnsBucket.js';
import { EdgeBucket } from '../store/edgeBucket.js';
import { levelNode } from '../store/levelNode.js';
import type { DnsSeries, EdgeSeries } from '../store/series.js';
import type { Store } from '../store/store.js';
import { StoreRead } from '../store/storeRead.js';
import { observedSeconds, usToMs } from '../store/window.js';
import { nextSteps, type PairPlace } from './nextSteps.js';
import { pairHistory } from './pairHistory.js';
import { matcher, selector } from './promql.js';
import { judge, type PairFacts, type RuleSettings } from './rules.js';
import { endpointIs, namesOf, type Subject, subjectKind } from './subject.js';

export { shortName } from './rules.js';

/** The shortest range the step queries give Prometheus (a few scrapes at the usual 15-30 s interval). */
const PROM_MIN_RANGE_S = 60;
const FAILING: ReadonlySet<DiagnoseVerdict> = new Set([
  'blocked',
  'dropped',
  'dns_failure',
  'refused',
  'timeout',
  'reset',
]);

/**
 * A pair failing in the live window is "failing now", and since when when the history saw it begin: the
 * question an operator asks first. A moment or a range in the past says its window instead.
 */
function failingLead(
  mode: TimeMode,
  verdict: DiagnoseVerdict,
  history: DiagnosePeriod[],
  range: TimeWindow,
  now: number,
): string {
  if (mode !== 'live' || !FAILING.has(verdict)) return '';
  const last = history[history.length - 1];
  if (last?.state === 'failing' && last.start > range.start)
    return `failing since ${clockInWords(last.start, now)} UTC (${durationInWords(now - last.start)}): `;
  return 'failing now: ';
}

/** The store's series between the two subjects (either direction) and the source's DNS series. */
interface Matched {
  forward: EdgeSeries[];
  reverse: EdgeSeries[];
  dns: DnsSeries[];
}

function matchPair(store: Store, src: Subject, dst: Subject): Matched {
  const m: Matched = { forward: [], reverse: [], dns: [] };
  const port = dst.kind === 'ip' ? dst.port : null;
  for (const s of store.edges) {
    const fwd = endpointIs(s.client, src) && endpointIs(s.server, dst) && (port === null || port === s.port);
    const rev = !fwd && endpointIs(s.client, dst) && endpointIs(s.server, src);
    if (fwd) m.forward.push(s);
    else if (rev) m.reverse.push(s);
  }
  for (const s of store.dns.values()) if (endpointIs(s.client, src)) m.dns.push(s);
  return m;
}

const epKey = (e: Endpoint) =>
  `${e.kind}/${e.namespace}/${e.name}/${e.kind === 'pod' || e.kind === 'service' ? '' : e.ip}`;

/** One pair's buckets over the window, and the endpoints that took part. */
class PairSum {
  forward = new EdgeBucket(0);
  reverse = new EdgeBucket(0);
  dns = new DnsBucket(0);
  sources = new Map<string, Endpoint>();
  targets = new Map<string, Endpoint>();
}

interface Gathered {
  total: PairSum;
  /** By `client -> server` pod label, for aggregated subjects. */
  pairs: Map<string, PairSum>;
}

function gather(store: Store, m: Matched, win: TimeWindow, now: number, byPair: boolean): Gathered {
  const read = new StoreRead(store, now);
  const total = new PairSum();
  const pairs = new Map<string, PairSum>();
  const dnsOf = new Map<string, DnsBucket>();
  for (const s of m.dns) {
    const b = read.dnsSum(s, win);
    total.dns.merge(b);
    total.sources.set(epKey(s.client), s.client);
    const k = epKey(s.client);
    const had = dnsOf.get(k);
    if (had) had.merge(b);
    else dnsOf.set(k, b);
  }
  for (const [list, forward] of [
    [m.forward, true],
    [m.reverse, false],
  ] as const)
    for (const s of list) {
      const b = read.edgeSum(s, win);
      const c = forward ? s.client : s.server;
      const t = forward ? s.server : s.client;
      for (const sum of byPair ? [total, pairFor(pairs, c, t, dnsOf)] : [total]) {
        (forward ? sum.forward : sum.reverse).merge(b);
        sum.sources.set(epKey(c), c);
        sum.targets.set(epKey(t), t);
      }
    }
  return { total, pairs };
}

function pairFor(
  pairs: Map<string, PairSum>,
  c: Endpoint,
  t: Endpoint,
  dnsOf: Map<string, DnsBucket>,
): PairSum {
  const key = `${endpointLabel(c)}\u001f${endpointLabel(t)}`;
  let p = pairs.get(key);
  if (!p) {
    p = new PairSum();
    const d = dnsOf.get(epKey(c));
    if (d) p.dns.merge(d);
    pairs.set(key, p);
  }
  return p;
}

function failingLookups(dns: DnsBucket, leadsThere: (qname: string) => boolean) {
  const mine: { qname: string; rcode: string; count: number }[] = [];
  const other: { qname: string; rcode: string; count: number }[] = [];
  if (dns.failing)
    for (const [k, count] of dns.failing) {
      const i = k.lastIndexOf('\u001f');
      const qname = k.slice(0, i).toLowerCase().replace(/\.$/, '');
      (leadsThere(qname) ? mine : other).push({ qname, rcode: k.slice(i + 1), count });
    }
  const byCount = (a: { count: number }, b: { count: number }) => b.count - a.count;
  return { mine: mine.sort(byCount), other: other.sort(byCount) };
}

function factsOf(p: PairSum, dst: Subject, seconds: number): PairFacts {
  const f = p.forward;
  const r = p.reverse;
  const { mine, other } = failingLookups(p.dns, namesOf(dst, [...p.targets.values()]));
  const drops: PairFacts['drops'] = [];
  for (const [b, side] of [
    [f, 'request'],
    [r, 'reply'],
  ] as const)
    if (b.drops)
      for (const c of b.drops.values())
        if (c.reason !== 'policy_drop')
          drops.push({ side, reason: c.reason, dir: c.dir, packets: c.packets });
  const rttCount = f.rttCount + r.rttCount;
  return {
    seconds,
    packets: f.packets + r.packets,
    bytes: f.bytes + r.bytes,
    policyDrops: f.dropsFor('policy_drop') + r.dropsFor('policy_drop'),
    drops,
    dnsQueries: p.dns.queries,
    dnsFailed: p.dns.errors,
    dnsP95Ms: p.dns.queries > 0 ? usToMs(p.dns.latency.quantile(0.95)) : null,
    lookups: mine,
    otherLookups: other,
    connects: f.connects,
    refused: f.refused,
    timeouts: f.timeouts,
    resets: f.resets,
    connectP50Ms: usToMs(f.connectLatency?.quantile(0.5) ?? null),
    connectP95Ms: usToMs(f.connectLatency?.quantile(0.95) ?? null),
    connectP99Ms: usToMs(f.connectLatency?.quantile(0.99) ?? null),
    rttMs: rttCount > 0 ? (f.rttSumUs + r.rttSumUs) / rttCount / 1000 : null,
    retransmits: f.retransmits + r.retransmits,
  };
}

function labelsFor(eps: Endpoint[], side: 'source' | 'destination', subject: Subject): (string | null)[] {
  const pods = eps.filter((e) => e.kind === 'pod');
  const ns =
    pods.length > 0
      ? pods.map((e) => e.namespace)
      : subject.kind === 'name' || subject.kind === 'namespace'
        ? [subject.namespace]
        : [];
  return [
    matcher(`${side}_namespace`, ns),
    matcher(
      `${side}_pod`,
      pods.map((e) => e.name),
    ),
  ];
}

/** The seed's PromQL for each step, for this pair. */
function queries(src: Subject, dst: Subject, sources: Endpoint[], targets: Endpoint[], win: TimeWindow) {
  // Prometheus needs two scrapes inside a rate() range: the live window's 10 s would return nothing.
  const range = promDuration(Math.max(PROM_MIN_RANGE_S, Math.round((win.end - win.start) / 1000)));
  const s = labelsFor(sources, 'source', src);
  const d =
    dst.kind === 'name' || dst.kind === 'namespace'
      ? labelsFor(targets, 'destination', dst)
      : [
          matcher(
            'destination_pod',
            targets.filter((e) => e.kind === 'pod').map((e) => e.name),
          ),
        ];
  const services = [...new Set(targets.map((e) => e.service).filter(Boolean))];
  const tcpDst =
    dst.kind === 'name' && services.includes(dst.name) ? [matcher('destination_service', [dst.name])] : d;
  const pods = sources.filter((e) => e.kind === 'pod');
  return {
    policy_drops: `sum(rate(${selector('networkobservability_drop_count', [...s, ...d, 'reason="policy_drop"'])}[${range}])) by (direction)`,
    dns: selector('networkobservability_dns_response_count', [
      matcher(
        'namespace',
        pods.map((e) => e.namespace),
      ) ?? (src.kind === 'name' || src.kind === 'namespace' ? matcher('namespace', [src.namespace]) : null),
      matcher(
        'pod',
        pods.map((e) => e.name),
      ),
      'response_code!="NOERROR"',
    ]),
    tcp: selector('networkobservability_tcp_connection_total', [...s, ...tcpDst]),
    latency: `histogram_quantile(0.99, sum(rate(${selector('networkobservability_tcp_connection_latency_bucket', [...s, ...d])}[${range}])) by (le, source_pod, destination_pod)) > 0.1`,
  };
}

const LEVELS: Level[] = ['pod', 'workload', 'namespace'];

/** The finest map node every endpoint of a side rolls up to (a workload's pods: the workload). */
function sharedNode(eps: Endpoint[]): string | null {
  if (eps.length === 0) return null;
  for (const level of LEVELS) {
    const ids = new Set(eps.map((e) => levelNode(e, level).id));
    if (ids.size === 1) return [...ids][0]!;
  }
  const nodes = new Set(eps.map((e) => (e.node ? kubeNodeId(e.node) : '')));
  return nodes.size === 1 && !nodes.has('') ? [...nodes][0]! : null;
}

function placeOf(
  src: Subject,
  dst: Subject,
  p: PairSum,
  time: Pick<FilterState, 'from' | 'to' | 'at'>,
): PairPlace {
  const sources = [...p.sources.values()];
  const pods = sources.filter((e) => e.kind === 'pod');
  const wl = new Set(pods.map((e) => `${e.namespace}/${e.workload}`));
  const dnsClient: Partial<FilterState> =
    pods.length === 1
      ? { pod: `${pods[0]!.namespace}/${pods[0]!.name}` }
      : wl.size === 1 && pods[0]?.workload
        ? { workload: [...wl][0]! }
        : { namespace: [...new Set(pods.map((e) => e.namespace))] };
  return {
    srcId: sharedNode(sources),
    dstId: sharedNode([...p.targets.values()]),
    dnsClient,
    port: dst.kind === 'ip' ? dst.port : null,
    q: dst.kind === 'ip' ? dst.ip : src.kind === 'ip' ? src.ip : '',
    time,
  };
}

/** Why a DNS name outside the cluster has no TCP step to show. */
const NO_ANSWERS =
  'the store keeps no DNS answers, so the addresses this name resolved to are not known: diagnose the address (ip or ip:port) for the connection';

/**
 * The seed's "Pod cannot connect to a service" runbook, run against the store: policy and kernel drops
 * between the two, the source's DNS, TCP attempts and their outcome, then latency and retransmits. Each
 * step applies its rule (rules.ts); the verdict is the worst problem found, every problem listed worst
 * first, each with where to look next. For namespaces and nodes, the pod pairs between them that fail.
 */
export function diagnose(
  store: Store,
  src: Subject,
  dst: Subject,
  time: ResolvedTime,
  rules: RuleSettings,
  selected: Pick<FilterState, 'from' | 'to' | 'at'> = { from: '', to: '', at: '' },
  now = store.now(),
): DiagnoseResponse {
  const win = time.window;
  const matched = matchPair(store, src, dst);
  const aggregated = [src, dst].some((s) => s.kind === 'namespace' || s.kind === 'node');
  const { total, pairs } = gather(store, matched, win, now, aggregated);
  const seconds = observedSeconds(store, win);
  const j = judge(factsOf(total, dst, seconds), rules);
  const sources = [...total.sources.values()];
  const targets = [...total.targets.values()];
  const q = queries(src, dst, sources, targets, win);
  const steps: DiagnoseStep[] = j.steps.map((s) => ({ ...s, query: q[s.id] }));
  const external = dst.kind === 'dns_name' && dst.service === null;
  if (external && steps[2]!.status === 'no_data') steps[2]!.summary = NO_ANSWERS;
  const place = placeOf(src, dst, total, selected);
  const problems = j.problems.map((p) => ({ ...p, next: nextSteps(p.kind, place) }));
  const verdict = j.verdict;
  const summary =
    verdict === 'no_traffic'
      ? external
        ? `no failed lookups of ${dst.text} from ${src.text}${total.dns.queries > 0 ? ` among ${total.dns.queries}` : ''}; ${NO_ANSWERS}`
        : `no traffic from ${src.text} to ${dst.text}`
      : j.summary;

  const failingPairs: DiagnosePair[] = [];
  if (aggregated)
    for (const [key, p] of pairs) {
      const pj = judge(factsOf(p, dst, seconds), rules);
      if (pj.problems.length === 0) continue;
      const [a, b] = key.split('\u001f') as [string, string];
      failingPairs.push({ src: a, dst: b, verdict: pj.verdict, summary: pj.summary });
    }
  const rank = (v: DiagnoseVerdict) =>
    DIAGNOSE_PROBLEM_ORDER.indexOf(v as (typeof DIAGNOSE_PROBLEM_ORDER)[number]);
  failingPairs.sort(
    (a, b) => rank(a.verdict) - rank(b.verdict) || a.src.localeCompare(b.src) || a.dst.localeCompare(b.dst),
  );

  const leadsThere = namesOf(dst, targets);
  const history = pairHistory(
    store,
    matched,
    (b) => failingLookups(b, leadsThere).mine.reduce((a, l) => a + l.count, 0),
    time.range,
    now,
  );
  const pairsNote =
    aggregated && failingPairs.length > 0
      ? ` (${failingPairs.length} failing pod pair${failingPairs.length === 1 ? '' : 's'}, worst ${failingPairs[0]!.src} -> ${failingPairs[0]!.dst})`
      : '';
  return {
    src: src.text,
    dst: dst.text,
    srcKind: subjectKind(src),
    dstKind: subjectKind(dst),
    mode: time.mode,
    start: win.start,
    end: win.end,
    history,
    verdict,
    summary: `${failingLead(time.mode, verdict, history, time.range, now)}${summary}${pairsNote}, ${windowInWords(time.mode, win, now)}`,
    problems,
    next: problems[0]?.next ?? nextSteps(verdict === 'healthy' ? 'healthy' : 'no_traffic', place),
    pairs: failingPairs.slice(0, DIAGNOSE_MAX_PAIRS),
    steps,
  };
}
