import type { Endpoint, L4Proto } from '@weft/protocol/core';
import type { Counter, Histogram } from 'prom-client';
import type { IntervalResult } from '../aggregator.js';
import type { CollectorMetrics } from './collectorMetrics.js';
import { cleanToken, type LabelPolicy, namespaceLabel, podLabel, seriesAllowed } from './labelPolicy.js';

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
}

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
  private readonly series = new Map<string, Series>();
  private readonly pending = new Map<string, { series: Series; value: number }>();

  constructor(opts: MetricsRecorderOptions) {
    this.m = opts.metrics;
    this.policy = opts.policy;
    this.live = opts.liveness;
    this.ttlMs = opts.ttlMs;
    this.maxSeries = opts.maxSeries ?? 200_000;
  }

  get seriesCount(): number {
    return this.series.size;
  }

  record(r: IntervalResult, now = r.end): void {
    const f = this.m.flow;
    const level = this.policy.level;
    for (const x of r.flows) {
      const pair = this.pair(x.src, x.dst);
      if (!pair) continue;
      const l = { direction: x.dir, ...pair.labels };
      this.inc(f.forwardBytes, l, pair.refs, x.bytes, now);
      this.inc(f.forwardCount, l, pair.refs, x.packets, now);
      // Hubble counts a packet once: at the egress of a pod, or at ingress when the sender is not observed.
      const once = x.dir === 'egress' || (!this.live.isLocal(x.src) && !this.live.isRemotePod(x.src));
      if (once) this.processed(pair, x.proto, 'FORWARDED', x.packets, now);
    }
    for (const x of r.drops) {
      const pair = this.pair(x.src, x.dst);
      if (!pair) continue;
      const l = { reason: x.reason, direction: x.dir, ...pair.labels };
      this.inc(f.dropCount, l, pair.refs, x.packets, now);
      this.inc(f.dropBytes, l, pair.refs, x.bytes, now);
      this.processed(pair, x.proto, 'DROPPED', x.packets, now);
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
      this.inc(f.dnsRequests, { namespace: ns, pod, query_type: qtype }, refs, 1, now);
      if (x.rcode === 'TIMEOUT') continue;
      const rcode = cleanToken(x.rcode);
      this.inc(f.dnsResponses, { namespace: ns, pod, query_type: qtype, response_code: rcode }, refs, 1, now);
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
    h.series.set(this.series.size);
  }

  /** Remove series idle for the TTL whose pods no longer exist; returns how many went. */
  sweep(now = Date.now()): number {
    let removed = 0;
    for (const [key, s] of this.series) {
      if (now - s.last < this.ttlMs) continue;
      if (s.refs.every(([ns, pod]) => this.isLive(ns, pod))) continue;
      s.metric.remove(s.labels);
      this.series.delete(key);
      removed++;
    }
    if (removed > 0) this.m.health.seriesExpired.inc(removed);
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

  private processed(
    pair: { labels: Labels; refs: [string, string][] },
    proto: L4Proto,
    verdict: string,
    packets: number,
    now: number,
  ): void {
    const l = {
      source_namespace: pair.labels.source_namespace!,
      destination_namespace: pair.labels.destination_namespace!,
      protocol: HUBBLE_PROTO[proto] ?? 'other',
      verdict,
    };
    const refs: [string, string][] = [
      [l.source_namespace, ''],
      [l.destination_namespace, ''],
    ];
    this.inc(this.m.flow.flowsProcessed, l, refs, packets, now);
  }

  private track(
    metric: Metric,
    labels: Labels,
    refs: [string, string][],
    now: number,
  ): [string, Series] | null {
    const key = seriesKey(metric, labels);
    let s = this.series.get(key);
    if (!s) {
      if (this.series.size >= this.maxSeries) {
        this.m.health.seriesDropped.inc();
        return null;
      }
      s = { metric, labels, last: now, refs };
      this.series.set(key, s);
    }
    s.last = now;
    return [key, s];
  }

  private inc(
    metric: Counter<string>,
    labels: Labels,
    refs: [string, string][],
    value: number,
    now: number,
  ): void {
    // A zero still creates the series: a query for it then answers 0 rather than nothing.
    if (value < 0) return;
    const t = this.track(metric, labels, refs, now);
    if (!t) return;
    const p = this.pending.get(t[0]);
    if (p) p.value += value;
    else this.pending.set(t[0], { series: t[1], value });
  }

  private observe(
    metric: Histogram<string>,
    labels: Labels,
    refs: [string, string][],
    v: number,
    now: number,
  ): void {
    const t = this.track(metric, labels, refs, now);
    if (t) metric.observe(t[1].labels, v);
  }

  private flushPending(): void {
    for (const { series, value } of this.pending.values())
      (series.metric as Counter<string>).inc(series.labels, value);
    this.pending.clear();
  }
}
