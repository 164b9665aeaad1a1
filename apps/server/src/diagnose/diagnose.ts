import {
  clockInWords,
  type DiagnosePeriod,
  type DiagnoseResponse,
  type DiagnoseStep,
  type DiagnoseVerdict,
  durationInWords,
  type Endpoint,
  type ResolvedTime,
  type TimeMode,
  type TimeWindow,
  windowInWords,
} from '@weft/protocol';
import { promDuration } from '../alerts/seedRules.js';
import { visitWindow } from '../store/buckets.js';
import { DnsBucket } from '../store/dnsBucket.js';
import { EdgeBucket } from '../store/edgeBucket.js';
import type { Store } from '../store/store.js';
import { observedSeconds, round, usToMs } from '../store/window.js';
import { type PairSeries, pairHistory } from './pairHistory.js';
import { matcher, selector } from './promql.js';
import { endpointIs, type Subject } from './subject.js';

/** The seed's latency alarm: p99 connect latency over 0.1 s. */
const SLOW_MS = 100;
/** The shortest range the step queries give Prometheus (a few scrapes at the usual 15-30 s interval). */
const PROM_MIN_RANGE_S = 60;
const FAILING: ReadonlySet<DiagnoseVerdict> = new Set([
  'blocked',
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

interface Gathered {
  forward: EdgeBucket;
  reverse: EdgeBucket;
  dns: DnsBucket;
  sources: Endpoint[];
  targets: Endpoint[];
  fromSeen: boolean;
  toSeen: boolean;
}

/** The store's series between the two subjects (either direction) and the source's DNS series. */
function matchPair(
  store: Store,
  from: Subject,
  to: Subject,
): PairSeries & Omit<Gathered, 'forward' | 'reverse' | 'dns'> {
  const m: PairSeries & Omit<Gathered, 'forward' | 'reverse' | 'dns'> = {
    forward: [],
    reverse: [],
    dns: [],
    sources: [],
    targets: [],
    fromSeen: false,
    toSeen: false,
  };
  const portOk = (port: number) => to.kind !== 'ip' || to.port === null || to.port === port;
  const sources = new Map<string, Endpoint>();
  const targets = new Map<string, Endpoint>();
  for (const s of store.edges.values()) {
    const cf = endpointIs(s.client, from);
    const st = endpointIs(s.server, to);
    const ct = endpointIs(s.client, to);
    const sf = endpointIs(s.server, from);
    if (cf || sf) m.fromSeen = true;
    if (st || ct) m.toSeen = true;
    const fwd = cf && st && portOk(s.port);
    const rev = ct && sf;
    if (!fwd && !rev) continue;
    (fwd ? m.forward : m.reverse).push(s);
    const c = fwd ? s.client : s.server;
    const t = fwd ? s.server : s.client;
    sources.set(`${c.namespace}/${c.name}/${c.ip}`, c);
    targets.set(`${t.namespace}/${t.name}/${t.ip}`, t);
  }
  for (const s of store.dns.values()) {
    if (!endpointIs(s.client, from)) continue;
    m.fromSeen = true;
    sources.set(`${s.client.namespace}/${s.client.name}/${s.client.ip}`, s.client);
    m.dns.push(s);
  }
  m.sources = [...sources.values()];
  m.targets = [...targets.values()];
  return m;
}

function gather(store: Store, from: Subject, to: Subject, win: TimeWindow, now: number) {
  const pair = matchPair(store, from, to);
  const fineFrom = store.fineFrom(now);
  const liveEdge = Math.min(now, store.dataEnd || now);
  const g: Gathered = {
    ...pair,
    forward: new EdgeBucket(0),
    reverse: new EdgeBucket(0),
    dns: new DnsBucket(0),
  };
  for (const [list, into] of [
    [pair.forward, g.forward],
    [pair.reverse, g.reverse],
  ] as const)
    for (const s of list)
      visitWindow(s.fine, s.coarse, win.start, win.end, fineFrom, liveEdge, (b) => into.merge(b));
  for (const s of pair.dns)
    visitWindow(s.fine, s.coarse, win.start, win.end, fineFrom, liveEdge, (b) => g.dns.merge(b));
  return { g, pair };
}

/** `api-service.production.svc.cluster.local.` -> `api-service.production` */
export function shortName(qname: string): string {
  return qname.replace(/\.$/, '').replace(/\.svc(\.cluster\.local)?$/, '');
}

/** DNS failures of the source for names that point at the destination. */
function failingLookupsFor(dns: DnsBucket, to: Subject): { qname: string; rcode: string; count: number }[] {
  if (!dns.failing) return [];
  const out: { qname: string; rcode: string; count: number }[] = [];
  for (const [k, count] of dns.failing) {
    const i = k.lastIndexOf('\u001f');
    const qname = k.slice(0, i).toLowerCase().replace(/\.$/, '');
    const rcode = k.slice(i + 1);
    const hit =
      to.kind === 'name'
        ? qname === to.name ||
          qname.startsWith(`${to.name}.${to.namespace}`) ||
          qname.startsWith(`${to.name}.`)
        : false;
    if (hit) out.push({ qname, rcode, count });
  }
  return out.sort((a, b) => b.count - a.count);
}

function labelsFor(eps: Endpoint[], side: 'source' | 'destination', subject: Subject): (string | null)[] {
  const pods = eps.filter((e) => e.kind === 'pod');
  const ns =
    pods.length > 0 ? pods.map((e) => e.namespace) : subject.kind === 'name' ? [subject.namespace] : [];
  return [
    matcher(`${side}_namespace`, ns),
    matcher(
      `${side}_pod`,
      pods.map((e) => e.name),
    ),
  ];
}

const fmtMs = (ms: number | null) =>
  ms === null ? 'n/a' : ms < 10 ? `${round(ms, 1)} ms` : `${Math.round(ms)} ms`;

/**
 * The seed's "Pod cannot connect to a service" runbook, run against the store: policy drops between the
 * two, the source's DNS failures, TCP attempts and their outcome, then latency and retransmits; the first
 * step that explains a failure gives the verdict.
 */
export function diagnose(
  store: Store,
  from: Subject,
  to: Subject,
  time: ResolvedTime,
  now = store.now(),
): DiagnoseResponse {
  const win = time.window;
  const { g, pair } = gather(store, from, to, win, now);
  // Prometheus needs two scrapes inside a rate() range: the live window's 10 s would return nothing.
  const range = promDuration(Math.max(PROM_MIN_RANGE_S, Math.round((win.end - win.start) / 1000)));
  const src = labelsFor(g.sources, 'source', from);
  const dstPods = g.targets.filter((e) => e.kind === 'pod');
  const dst =
    to.kind === 'name'
      ? labelsFor(g.targets, 'destination', to)
      : [
          matcher(
            'destination_pod',
            dstPods.map((e) => e.name),
          ),
        ];
  const seconds = observedSeconds(store, win);
  const steps: DiagnoseStep[] = [];

  // 1. Network policy drops between them (either direction: replies can be dropped too).
  const policy = g.forward.dropsFor('policy_drop') + g.reverse.dropsFor('policy_drop');
  const otherDrops = g.forward.dropPackets + g.reverse.dropPackets - policy;
  const dropEvidence: { label: string; value: string }[] = [];
  for (const b of [g.forward, g.reverse])
    if (b.drops)
      for (const c of b.drops.values())
        dropEvidence.push({
          label: `${b === g.forward ? 'request' : 'reply'} drops, ${c.reason} (${c.dir})`,
          value: `${c.packets} packets`,
        });
  steps.push({
    id: 'policy_drops',
    title: 'Check for network policy drops',
    status: policy > 0 ? 'problem' : g.forward.isEmpty() && g.reverse.isEmpty() ? 'no_data' : 'ok',
    summary:
      policy > 0
        ? `${policy} packets dropped by network policy (${round(policy / seconds, 2)}/s)`
        : otherDrops > 0
          ? `no policy drops; ${otherDrops} packets dropped for other reasons`
          : 'no packets dropped between them',
    query: `sum(rate(${selector('networkobservability_drop_count', [...src, ...dst, 'reason="policy_drop"'])}[${range}])) by (direction)`,
    evidence: dropEvidence,
  });

  // 2. The source's DNS resolution.
  const lookups = failingLookupsFor(g.dns, to);
  const dnsFailures = g.dns.errors;
  const failingTop = g.dns.failing
    ? [...g.dns.failing.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5)
    : [];
  steps.push({
    id: 'dns',
    title: 'Check DNS resolution',
    status: g.dns.queries === 0 ? 'no_data' : lookups.length > 0 || dnsFailures > 0 ? 'problem' : 'ok',
    summary:
      g.dns.queries === 0
        ? 'no DNS queries from the source in the window'
        : lookups.length > 0
          ? `${lookups[0]!.rcode} for ${shortName(lookups[0]!.qname)} (${lookups.reduce((a, l) => a + l.count, 0)} failed lookups)`
          : dnsFailures > 0
            ? `${dnsFailures} of ${g.dns.queries} lookups failed, none for the destination`
            : `${g.dns.queries} lookups, all answered (p95 ${fmtMs(usToMs(g.dns.latency.quantile(0.95)))})`,
    query: selector('networkobservability_dns_response_count', [
      matcher(
        'namespace',
        g.sources.map((e) => e.namespace),
      ) ?? (from.kind === 'name' ? matcher('namespace', [from.namespace]) : null),
      matcher(
        'pod',
        g.sources.filter((e) => e.kind === 'pod').map((e) => e.name),
      ),
      'response_code!="NOERROR"',
    ]),
    evidence: [
      { label: 'queries', value: String(g.dns.queries) },
      { label: 'failed', value: String(dnsFailures) },
      ...failingTop.map(([k, n]) => {
        const i = k.lastIndexOf('\u001f');
        return { label: `${k.slice(i + 1)} ${k.slice(0, i)}`, value: `${n}` };
      }),
    ],
  });

  // 3. TCP connection attempts to the destination.
  const f = g.forward;
  const ok = f.connects - f.failures;
  const services = [...new Set(g.targets.map((e) => e.service).filter(Boolean))];
  const tcpDst =
    to.kind === 'name' && services.includes(to.name) ? [matcher('destination_service', [to.name])] : dst;
  steps.push({
    id: 'tcp',
    title: 'Check TCP connection attempts',
    status: f.connects === 0 ? 'no_data' : f.failures > 0 ? 'problem' : 'ok',
    summary:
      f.connects === 0
        ? 'no TCP connection attempts seen'
        : f.failures === 0
          ? `${f.connects} connections, all established`
          : `${f.failures} of ${f.connects} connections failed (${[
              f.refused ? `${f.refused} refused` : '',
              f.timeouts ? `${f.timeouts} timed out` : '',
              f.resets ? `${f.resets} reset` : '',
            ]
              .filter(Boolean)
              .join(', ')})`,
    query: selector('networkobservability_tcp_connection_total', [...src, ...tcpDst]),
    evidence: [
      { label: 'attempts', value: String(f.connects) },
      { label: 'established', value: String(ok) },
      { label: 'refused', value: String(f.refused) },
      { label: 'timed out', value: String(f.timeouts) },
      { label: 'reset', value: String(f.resets) },
    ],
  });

  // 4. Latency and retransmits.
  const p50 = usToMs(f.connectLatency?.quantile(0.5) ?? null);
  const p95 = usToMs(f.connectLatency?.quantile(0.95) ?? null);
  const p99 = usToMs(f.connectLatency?.quantile(0.99) ?? null);
  const rtt = f.rttCount > 0 ? round(f.rttSumUs / f.rttCount / 1000) : null;
  const slow = (p99 ?? 0) > SLOW_MS;
  steps.push({
    id: 'latency',
    title: 'Check latency and retransmits',
    status: p95 === null && rtt === null ? 'no_data' : slow || f.retransmits > 0 ? 'problem' : 'ok',
    summary:
      p95 === null && rtt === null
        ? 'no latency samples'
        : `p95 connect latency ${fmtMs(p95)}, p99 ${fmtMs(p99)}, RTT ${fmtMs(rtt)}, ${f.retransmits} retransmits`,
    query: `histogram_quantile(0.99, sum(rate(${selector('networkobservability_tcp_connection_latency_bucket', [...src, ...dst])}[${range}])) by (le, source_pod, destination_pod)) > 0.1`,
    evidence: [
      { label: 'connect p50', value: fmtMs(p50) },
      { label: 'connect p95', value: fmtMs(p95) },
      { label: 'connect p99', value: fmtMs(p99) },
      { label: 'smoothed RTT', value: fmtMs(rtt) },
      { label: 'retransmits', value: String(f.retransmits) },
    ],
  });

  let verdict: DiagnoseVerdict;
  let summary: string;
  if (policy > 0) {
    verdict = 'blocked';
    summary = `blocked by network policy (${policy} packets dropped)`;
  } else if (lookups.length > 0 && ok === 0) {
    verdict = 'dns_failure';
    summary = `DNS ${lookups[0]!.rcode} for ${shortName(lookups[0]!.qname)}`;
  } else if (f.failures > 0 && ok === 0) {
    const worst = Math.max(f.refused, f.timeouts, f.resets);
    if (worst === f.refused) {
      verdict = 'refused';
      summary = 'connection refused by destination';
    } else if (worst === f.timeouts) {
      verdict = 'timeout';
      summary = 'connection timed out: the destination never answered';
    } else {
      verdict = 'reset';
      summary = 'connection reset by destination';
    }
  } else if (f.failures > 0) {
    verdict = 'degraded';
    summary = `${f.failures} of ${f.connects} connections failed; p95 connect latency ${fmtMs(p95)}`;
  } else if (slow) {
    verdict = 'degraded';
    summary = `reachable but slow: p99 connect latency ${fmtMs(p99)}`;
  } else if (ok > 0) {
    verdict = 'healthy';
    summary = `reachable, p95 connect latency ${fmtMs(p95)}`;
  } else if (f.bytes > 0 || g.reverse.bytes > 0) {
    verdict = 'healthy';
    summary = `reachable, traffic flowing (${round((f.bytes + g.reverse.bytes) / seconds)} B/s), no new connections in the window`;
  } else if (otherDrops > 0) {
    verdict = 'degraded';
    summary = `packets dropped (${[...new Set(dropEvidence.map((e) => e.label.split(', ')[1]))].join(', ')})`;
  } else if (!g.fromSeen || !g.toSeen) {
    verdict = 'unknown_endpoint';
    summary = !g.fromSeen ? `no traffic seen from ${from.text}` : `nothing seen for ${to.text}`;
  } else {
    verdict = 'no_traffic';
    summary = `no traffic from ${from.text} to ${to.text}`;
  }
  const history = pairHistory(store, pair, (b) => failingLookupsFor(b, to).length, time.range, now);
  return {
    from: from.text,
    to: to.text,
    mode: time.mode,
    start: win.start,
    end: win.end,
    history,
    verdict,
    summary: `${failingLead(time.mode, verdict, history, time.range, now)}${summary}, ${windowInWords(time.mode, win, now)}`,
    steps,
  };
}
