import type { Endpoint, L4Proto } from '@weft/protocol/core';
import type { Counter, Histogram } from 'prom-client';
import type { IntervalResult } from '../aggregator.js';
import type { CollectorMetrics } from './collectorMetrics.js';
import type { CompatFamilies } from './compatFamilies.js';
import {
  hubbleEndpoint,
  hubbleRcode,
  hubbleTcpFlags,
  retinaEndpoint,
  retinaRcode,
  retinaTcpFlags,
} from './compatLabels.js';
import {
  cleanQuery,
  cleanToken,
  type LabelPolicy,
  namespaceLabel,
  podLabel,
  seriesAllowed,
} from './labelPolicy.js';

/** Is the pod (or workload, at workload level) behind a label still running? */
export interface Liveness {
  isLivePod(namespace: string, name: string): boolean;
  isLiveWorkload(namespace: string, workload: string): boolean;
  isLiveNamespace(namespace: string): boolean;
  /** Local pods decide which flow observations count once for hubble_flows_processed_total. */
  isLocal(e: Endpoint): boolean;
  isRemotePod(e: Endpoint): boolean;
}

export interface MetricsRecorderOptions {
  metrics: CollectorMetrics;
  policy: LabelPolicy;
  liveness: Liveness;
  /** Series of pods that are gone are removed once idle this long. */
  ttlMs: number;
  /** Hard cap on exported traffic series (memory stays bounded under churn). */
  maxSeries?: number;
}

type Labels = Record<string, string>;
type Metric = Counter<string> | Histogram<string>;

interface Series {
  metric: Metric;
  labels: Labels;
  last: number;
  /** [namespace, pod label] of each named end, for expiry. */
  refs: [string, string][];
  /** Counter increments summed this interval, applied once in flushPending. */
  pending: number;
  /** In `touched`, waiting for flushPending. */
  queued: boolean;
  /** Set by sweep, so a cached reference to it is looked up again instead of counting into nothing. */
  removed: boolean;
  /** The counter's own entry for these labels once made (see flushPending), and its key there. */
  entry: CounterEntry | null;
  hash: string;
}

/** prom-client 15 keeps a counter's value per label set in `hashMap[hash]`, the hash `inc` returns. */
interface CounterEntry {
  value: number;
}
type CounterInternals = { hashMap: Record<string, CounterEntry | undefined> };

interface Pair {
  labels: Labels;
  refs: [string, string][];
  allowed: boolean;
  /** The series a flow of this pair updates, per direction and protocol: found once, not per record. */
  forward: Map<string, [Series | null, Series | null]>;
  processed: Map<string, Series | null>;
  /** The ends the pair was first seen with: what the pair's other label values are made from. */
  src: Endpoint;
  dst: Endpoint;
  /** Hubble's source / destination names of the pair. */
  hubbleSrc: string;
  hubbleDst: string;
  /** Series of the compatible families, by family and label values beyond the pair's. */
  extra: Map<string, Series | null>;
  /** The TCP flag series a flow of this pair updates, by its flags (and SYN-ACK, IPv6 bits above them). */
  flagSeries: Map<number, (Series | null)[]>;
  /** The advanced forward series of the pair and the addresses it was made for. */
  adv: { srcIp: string; dstIp: string; s: Series | null } | null;
}

/** A cached series still exported (not refused by the cap, not removed by sweep). */
const current = (s: Series | null | undefined): s is Series => s?.removed === false;

function inner<K, V>(m: Map<K, Map<string, V>>, k: K): Map<string, V> {
  let v = m.get(k);
  if (!v) {
    v = new Map();
    m.set(k, v);
  }
  return v;
}

/** Flow pairs remembered at most; beyond it the cache starts again (it only saves allocation). */
const MAX_CACHED_PAIRS = 50_000;

function seriesKey(metric: Metric, labels: Labels): string {
  return `${(metric as unknown as { name: string }).name}\u0000${Object.values(labels).join('\u0000')}`;
}

const HUBBLE_PROTO: Record<L4Proto, string> = {
  tcp: 'TCP',
  udp: 'UDP',
  icmp: 'ICMPv4',
  icmpv6: 'ICMPv6',
  other: 'other',
};

/**
 * Turns each interval's named records into Prometheus updates. Counters are summed per series first
 * (one `inc` per series per interval, not per record); every touched series is remembered so the ones
 * of deleted pods can be removed after the TTL, and the series count stays under a cap.
 */
export class MetricsRecorder {
  private readonly m: CollectorMetrics;
  private readonly policy: LabelPolicy;
  private readonly live: Liveness;
  private readonly ttlMs: number;
  private readonly maxSeries: number;
  /** The Hubble and Retina families the AKS add-on's dashboards read, when the metrics have them. */
  private readonly compat: CompatFamilies | null;
  private readonly series = new Map<string, Series>();
  /** Series with a pending increment this interval. */
  private readonly touched: Series[] = [];
  /**
   * Flow pairs by the label values of their ends (source namespace, pod, destination namespace, pod).
   * Every flow of every interval goes through here, so the hot path looks its series up without building
   * label objects or key strings: those allocations were most of the collector's young-generation churn.
   */
  private pairs = new Map<string, Map<string, Map<string, Map<string, Pair>>>>();
  private pairCount = 0;

  constructor(opts: MetricsRecorderOptions) {
    this.m = opts.metrics;
    this.policy = opts.policy;
    this.live = opts.liveness;
    this.ttlMs = opts.ttlMs;
    this.maxSeries = opts.maxSeries ?? 200_000;
    this.compat = opts.metrics.compat;
  }

  get seriesCount(): number {
    return this.series.size;
  }

  record(r: IntervalResult, now = r.end): void {
    const f = this.m.flow;
    if (this.pairCount >= MAX_CACHED_PAIRS) this.clearPairs();
    const level = this.policy.level;
    for (const x of r.flows) {
      const pair = this.cachedPair(x.src, x.dst);
      if (!pair.allowed) continue;
      let fwd = pair.forward.get(x.dir);
      if (!fwd || !current(fwd[0]) || !current(fwd[1])) {
        const l = { direction: x.dir, ...pair.labels };
        fwd = [this.track(f.forwardBytes, l, pair.refs, now), this.track(f.forwardCount, l, pair.refs, now)];
        pair.forward.set(x.dir, fwd);
      }
      this.add(fwd[0], x.bytes, now);
      this.add(fwd[1], x.packets, now);
      // Hubble counts a packet once: at the egress of a pod, or at ingress when the sender is not observed.
      const once = x.dir === 'egress' || (!this.live.isLocal(x.src) && !this.live.isRemotePod(x.src));
      if (!once) continue;
      const pkey = x.dir === 'egress' ? x.proto : `${x.proto}<`;
      let p = pair.processed.get(pkey);
      if (!current(p)) {
        p = this.processedSeries(
          pair,
          x.proto,
          'FORWARDED',
          x.dir === 'egress' ? 'to-stack' : 'to-endpoint',
          now,
        );
        pair.processed.set(pkey, p);
      }
      this.add(p, x.packets, now);
      if (this.compat) this.recordCompatFlow(this.compat, pair, x, now);
    }
    for (const x of r.drops) {
      const pair = this.cachedPair(x.src, x.dst);
      if (!pair.allowed) continue;
      const l = { reason: x.reason, direction: x.dir, ...pair.labels };
      this.inc(f.dropCount, l, pair.refs, x.packets, now);
      this.inc(f.dropBytes, l, pair.refs, x.bytes, now);
      this.add(this.processedSeries(pair, x.proto, 'DROPPED', '', now), x.packets, now);
      if (this.compat && level !== 'namespace') {
        const ips = this.ips(x.src, x.dst);
        const s = this.cached(
          pair,
          `d\u0000${x.reason}\u0000${x.dir}\u0000${ips}`,
          this.compat.advDrop,
          now,
          () => ({
            reason: x.reason,
            direction: x.dir,
            ...this.advLabels(pair, x.src.ip, x.dst.ip),
          }),
        );
        this.add(s, x.packets, now);
      }
    }
    for (const x of r.tcp) {
      const pair = this.pair(x.src, x.dst);
      if (!pair) continue;
      const service = x.dst.service;
      const l = { ...pair.labels, destination_service: service };
      this.inc(f.tcpConnections, l, pair.refs, 1, now);
      if (x.outcome === 'fail') this.inc(f.tcpFailed, l, pair.refs, 1, now);
      else if (x.latencyUs !== undefined)
        this.observe(f.tcpLatency, pair.labels, pair.refs, x.latencyUs / 1e6, now);
    }
    for (const x of r.tcpStats) {
      const pair = this.pair(x.src, x.dst);
      if (!pair) continue;
      if (x.srttUs > 0) this.observe(f.tcpRtt, pair.labels, pair.refs, x.srttUs / 1e6, now);
      if (x.retransmits > 0) this.inc(f.tcpRetransmits, pair.labels, pair.refs, x.retransmits, now);
    }
    for (const x of r.dns) {
      const ns = namespaceLabel(x.client);
      if (!seriesAllowed(this.policy, ns)) continue;
      const pod = podLabel(x.client, level);
      const refs: [string, string][] = [[ns, pod]];
      const qtype = cleanToken(x.qtype);
      const query = cleanQuery(x.qname);
      this.inc(f.dnsRequests, { namespace: ns, pod, query_type: qtype }, refs, 1, now);
      const client = this.compat ? hubbleEndpoint(x.client, level) : '';
      const server = this.compat ? hubbleEndpoint(x.server, level) : '';
      if (this.compat)
        this.inc(
          this.compat.hubbleDnsQueries,
          { source: client, destination: server, query, qtypes: qtype },
          refs,
          1,
          now,
        );
      if (x.rcode === 'TIMEOUT') continue;
      const rcode = cleanToken(x.rcode);
      this.inc(
        f.dnsResponses,
        this.compat
          ? { namespace: ns, pod, query_type: qtype, response_code: rcode, return_code: retinaRcode(rcode) }
          : { namespace: ns, pod, query_type: qtype, response_code: rcode },
        refs,
        1,
        now,
      );
      if (this.compat)
        this.inc(
          this.compat.hubbleDnsResponses,
          {
            source: server,
            destination: client,
            query,
            qtypes: qtype,
            rcode: hubbleRcode(rcode),
            ips_returned: String(x.answers),
          },
          refs,
          1,
          now,
        );
      this.observe(f.dnsLatency, { namespace: ns, pod }, refs, x.latencyUs / 1e6, now);
    }
    this.flushPending();

    const h = this.m.health;
    let total = 0;
    for (const [type, n] of Object.entries(r.records)) {
      h.records.inc({ type }, n);
      total += n;
    }
    const secs = (r.end - r.start) / 1000;
    h.recordsPerSecond.set(secs > 0 ? total / secs : 0);
    for (const [cause, n] of Object.entries(r.lost)) {
      h.lost.inc({ cause }, n);
      if (cause === 'probe_map_overflow') h.mapOverflows.inc(n);
    }
    if (r.dnsMismatch > 0) h.dnsMismatched.inc(r.dnsMismatch);
    h.series.set(this.series.size);
  }

  /** Remove series idle for the TTL whose pods no longer exist; returns how many went. */
  sweep(now = Date.now()): number {
    let removed = 0;
    for (const [key, s] of this.series) {
      if (now - s.last < this.ttlMs) continue;
      if (s.refs.every(([ns, pod]) => this.isLive(ns, pod))) continue;
      s.metric.remove(s.labels);
      s.removed = true;
      this.series.delete(key);
      removed++;
    }
    if (removed > 0) {
      this.m.health.seriesExpired.inc(removed);
      // Pairs of gone pods would otherwise stay cached.
      this.clearPairs();
    }
    this.m.health.series.set(this.series.size);
    return removed;
  }

  private isLive(ns: string, pod: string): boolean {
    if (ns === '') return true;
    if (pod === '') return this.live.isLiveNamespace(ns);
    return this.policy.level === 'workload'
      ? this.live.isLiveWorkload(ns, pod)
      : this.live.isLivePod(ns, pod);
  }

  private clearPairs(): void {
    this.pairs = new Map();
    this.pairCount = 0;
  }

  /** The pair of a flow's ends, from the cache (the label values are read, not built). */
  private cachedPair(src: Endpoint, dst: Endpoint): Pair {
    const level = this.policy.level;
    const sns = namespaceLabel(src);
    const spod = podLabel(src, level);
    const dns = namespaceLabel(dst);
    const dpod = podLabel(dst, level);
    const byDpod = inner(inner(inner(this.pairs, sns), spod), dns);
    let pair = byDpod.get(dpod);
    if (!pair) {
      const p = this.pair(src, dst);
      pair = {
        labels: p?.labels ?? {},
        refs: p?.refs ?? [],
        allowed: p !== null,
        forward: new Map(),
        processed: new Map(),
        src,
        dst,
        hubbleSrc: hubbleEndpoint(src, level),
        hubbleDst: hubbleEndpoint(dst, level),
        extra: new Map(),
        flagSeries: new Map(),
        adv: null,
      };
      byDpod.set(dpod, pair);
      this.pairCount++;
    }
    return pair;
  }

  private pair(src: Endpoint, dst: Endpoint): { labels: Labels; refs: [string, string][] } | null {
    const sns = namespaceLabel(src);
    const dns = namespaceLabel(dst);
    if (!seriesAllowed(this.policy, sns, dns)) return null;
    const spod = podLabel(src, this.policy.level);
    const dpod = podLabel(dst, this.policy.level);
    return {
      labels: { source_namespace: sns, source_pod: spod, destination_namespace: dns, destination_pod: dpod },
      refs: [
        [sns, spod],
        [dns, dpod],
      ],
    };
  }

  private processedSeries(
    pair: Pair,
    proto: L4Proto,
    verdict: string,
    subtype: string,
    now: number,
  ): Series | null {
    const l: Labels = {
      source_namespace: pair.labels.source_namespace!,
      destination_namespace: pair.labels.destination_namespace!,
      protocol: HUBBLE_PROTO[proto] ?? 'other',
      verdict,
    };
    if (this.compat) {
      l.source = pair.hubbleSrc;
      l.destination = pair.hubbleDst;
      l.type = verdict === 'DROPPED' ? 'Drop' : 'Trace';
      l.subtype = subtype;
    }
    const refs: [string, string][] = [
      [l.source_namespace!, ''],
      [l.destination_namespace!, ''],
    ];
    return this.track(this.m.flow.flowsProcessed, l, refs, now);
  }

  /** A flow counted once (Hubble's rule) into the TCP flag and advanced pod-level families. */
  private recordCompatFlow(
    c: CompatFamilies,
    pair: Pair,
    x: IntervalResult['flows'][number],
    now: number,
  ): void {
    const flags = x.tcpFlags;
    if (x.proto === 'tcp' && flags !== 0) {
      // Every flow goes through here: the series are found by a number, not by building names and keys.
      const v6 = x.src.ip.includes(':');
      const key = flags | (x.sport < x.dport ? 0x100 : 0) | (v6 ? 0x200 : 0);
      let series = pair.flagSeries.get(key);
      if (!series?.every(current)) {
        const family = v6 ? 'IPv6' : 'IPv4';
        series = [
          ...hubbleTcpFlags(flags, x.sport, x.dport).map((flag) =>
            this.track(
              c.hubbleTcpFlags,
              { source: pair.hubbleSrc, destination: pair.hubbleDst, flag, family },
              pair.refs,
              now,
            ),
          ),
          ...retinaTcpFlags(flags, x.sport, x.dport).map((flag) =>
            this.track(c.tcpFlagCounters, { flag }, [], now),
          ),
        ];
        pair.flagSeries.set(key, series);
      }
      for (const s of series) this.add(s, 1, now);
    }
    if (this.policy.level === 'namespace') return;
    // The addresses the series names: a pod's at pod level, none for the world or at workload level.
    const pod = this.policy.level === 'pod';
    const srcIp = pod && pair.src.kind !== 'world' ? x.src.ip : '';
    const dstIp = pod && pair.dst.kind !== 'world' ? x.dst.ip : '';
    const adv = pair.adv;
    if (adv && adv.srcIp === srcIp && adv.dstIp === dstIp && current(adv.s)) {
      this.add(adv.s, x.packets, now);
      return;
    }
    const s = this.track(c.advForward, this.advLabels(pair, srcIp, dstIp), pair.refs, now);
    pair.adv = { srcIp, dstIp, s };
    this.add(s, x.packets, now);
  }

  /** The IPs an advanced series names (pod level only), as a cache key. */
  private ips(src: Endpoint, dst: Endpoint): string {
    return this.ipsOf(src.kind, src.ip, dst.kind, dst.ip);
  }

  private ipsOf(sk: string, sip: string, dk: string, dip: string): string {
    if (this.policy.level !== 'pod') return '';
    return `${sk === 'world' ? '' : sip}\u0000${dk === 'world' ? '' : dip}`;
  }

  private advLabels(pair: Pair, srcIp: string, dstIp: string): Labels {
    const level = this.policy.level;
    const src = retinaEndpoint({ ...pair.src, ip: srcIp }, level);
    const dst = retinaEndpoint({ ...pair.dst, ip: dstIp }, level);
    const l: Labels = {};
    for (const [k, v] of Object.entries(src)) l[`source_${k}`] = v;
    for (const [k, v] of Object.entries(dst)) l[`destination_${k}`] = v;
    return l;
  }

  /** A series of a compatible family for this pair, looked up once and then taken from the pair. */
  private cached(pair: Pair, key: string, metric: Metric, now: number, labels: () => Labels): Series | null {
    let s = pair.extra.get(key);
    if (current(s)) {
      s.last = now;
      return s;
    }
    s = this.track(metric, labels(), pair.refs, now);
    pair.extra.set(key, s);
    return s;
  }

  private track(metric: Metric, labels: Labels, refs: [string, string][], now: number): Series | null {
    const key = seriesKey(metric, labels);
    let s = this.series.get(key);
    if (!s) {
      if (this.series.size >= this.maxSeries) {
        this.m.health.seriesDropped.inc();
        return null;
      }
      s = {
        metric,
        labels,
        last: now,
        refs,
        pending: 0,
        queued: false,
        removed: false,
        entry: null,
        hash: '',
      };
      this.series.set(key, s);
    }
    s.last = now;
    return s;
  }

  /** Adds to a counter series this interval; null is a series refused by the cap. */
  private add(s: Series | null, value: number, now: number): void {
    // A zero still creates the series: a query for it then answers 0 rather than nothing.
    if (!s || value < 0) return;
    s.last = now;
    if (!s.queued) {
      s.queued = true;
      this.touched.push(s);
    }
    s.pending += value;
  }

  private inc(
    metric: Counter<string>,
    labels: Labels,
    refs: [string, string][],
    value: number,
    now: number,
  ): void {
    if (value < 0) return;
    this.add(this.track(metric, labels, refs, now), value, now);
  }

  private observe(
    metric: Histogram<string>,
    labels: Labels,
    refs: [string, string][],
    v: number,
    now: number,
  ): void {
    const s = this.track(metric, labels, refs, now);
    if (s) metric.observe(s.labels, v);
  }

  private flushPending(): void {
    for (const s of this.touched) {
      // `inc` hashes and checks every label on every call: most of the recorder's time at 1,000 flows.
      // A series' entry is made once through it, then added to where it is, as long as the counter
      // still holds that very entry (remove and reset replace it).
      const map = (s.metric as unknown as CounterInternals).hashMap;
      if (s.entry !== null && map[s.hash] === s.entry) s.entry.value += s.pending;
      else {
        const r = (s.metric as Counter<string>).inc(s.labels, s.pending) as unknown as
          | { labelHash?: string }
          | undefined;
        s.hash = r?.labelHash ?? '';
        s.entry = r?.labelHash !== undefined ? (map[s.hash] ?? null) : null;
      }
      s.pending = 0;
      s.queued = false;
    }
    this.touched.length = 0;
  }
}
