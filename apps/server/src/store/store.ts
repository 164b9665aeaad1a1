import type { Endpoint, FlowRow, IngestBatch } from '@weft/protocol';
import { bucketAt, COARSE_MS, FINE_MS, pruneBefore } from './buckets.js';
import { CrossNodeDedupe } from './crossNodeDedupe.js';
import type { EdgeBucket } from './edgeBucket.js';
import { endpointKey } from './endpointKey.js';
import { FlowRing } from './flowRing.js';
import { DnsSeries, EdgeSeries, makeDnsBucket, makeEdgeBucket } from './series.js';
import { LearnedPorts, srcIsClient } from './serverSide.js';

export interface StoreOptions {
  fineRetentionS: number;
  coarseRetentionS: number;
  maxSeries: number;
  maxFineBuckets: number;
  maxFlowRows: number;
  now?: () => number;
}

export interface StoreStats {
  edgeSeries: number;
  dnsSeries: number;
  fineBuckets: number;
  coarseBuckets: number;
  evictions: number;
  flowRows: number;
  records: number;
  duplicates: number;
  outOfWindow: number;
  skippedIngress: number;
}

/** Future skew tolerated on record timestamps (clocks of nodes differ a little). */
const MAX_FUTURE_MS = 60_000;

/**
 * The server's memory of the cluster: per-edge and per-DNS-client time buckets (1 s and 1 min tiers),
 * cluster totals, and a ring of recent flow rows. Bounded by series count and fine-bucket count; when
 * over, the series idle the longest go first and are counted as evictions.
 */
export class Store {
  readonly edges = new Map<string, EdgeSeries>();
  readonly dns = new Map<string, DnsSeries>();
  /** Everything, for alerts and the live summary without a scan. */
  readonly totals = new EdgeSeries('total', null as unknown as Endpoint, null as unknown as Endpoint, '', 0);
  readonly flows: FlowRing;
  readonly ports = new LearnedPorts();
  private readonly dedupe = new CrossNodeDedupe();
  readonly now: () => number;
  /** Nodes with a connected collector: ingress seen there is counted at the sender's egress instead. */
  observedNodes: ReadonlySet<string> = new Set();
  /** Span of data held: rates divide by the time actually observed, not the whole window. */
  dataStart = Number.POSITIVE_INFINITY;
  dataEnd = 0;
  private fineCount = 0;
  private coarseCount = 0;
  private readonly counters = {
    evictions: 0,
    records: 0,
    duplicates: 0,
    outOfWindow: 0,
    skippedIngress: 0,
  };

  constructor(readonly opts: StoreOptions) {
    this.now = opts.now ?? Date.now;
    this.flows = new FlowRing(opts.maxFlowRows);
  }

  /** Oldest time the fine tier still covers. */
  fineFrom(now = this.now()): number {
    return Math.floor((now - this.opts.fineRetentionS * 1000) / FINE_MS) * FINE_MS + FINE_MS;
  }

  stats(): StoreStats {
    return {
      edgeSeries: this.edges.size,
      dnsSeries: this.dns.size,
      fineBuckets: this.fineCount,
      coarseBuckets: this.coarseCount,
      flowRows: this.flows.size,
      ...this.counters,
    };
  }

  /** Stores one validated batch from the collector on `node`; returns the records it stored. */
  ingest(batch: IngestBatch, node: string): number {
    const now = this.now();
    const oldest = now - this.opts.coarseRetentionS * 1000;
    const newest = now + MAX_FUTURE_MS;
    const ok = (ts: number) => {
      if (ts >= oldest && ts <= newest) return true;
      this.counters.outOfWindow++;
      return false;
    };
    let stored = 0;
    if (batch.start < this.dataStart && batch.start >= oldest) this.dataStart = batch.start;
    if (batch.end > this.dataEnd && batch.end <= newest) this.dataEnd = batch.end;

    for (const f of batch.flows) {
      if (!ok(f.ts)) continue;
      this.flows.push({
        ts: f.ts,
        node,
        src: f.src,
        dst: f.dst,
        sport: f.sport,
        dport: f.dport,
        proto: f.proto,
        dir: f.dir,
        verdict: 'forwarded',
        reason: '',
        bytes: f.bytes,
        packets: f.packets,
        tcpFlags: f.tcpFlags,
      });
      stored++;
      if (f.dir === 'ingress' && this.observable(f.src)) {
        this.counters.skippedIngress++;
        continue;
      }
      const fwd = srcIsClient(this.ports, f.src.ip, f.sport, f.dst.ip, f.dport, f.proto, f.tcpFlags);
      if (fwd && f.proto === 'tcp' && (f.tcpFlags & 0x12) === 0x02) this.ports.learn(f.dst.ip, f.dport);
      const s = fwd
        ? this.edge(f.src, f.dst, f.proto, f.dport, now)
        : this.edge(f.dst, f.src, f.proto, f.sport, now);
      this.edgeBuckets(s, f.ts, (b) => {
        b.bytes += f.bytes;
        b.packets += f.packets;
      });
    }

    for (const d of batch.drops) {
      if (!ok(d.ts)) continue;
      const key = `d${d.src.ip}|${d.sport}|${d.dst.ip}|${d.dport}|${d.proto}|${d.reason}|${d.packets}|${d.bytes}`;
      if (this.dedupe.isDuplicate(key, node, now)) {
        this.counters.duplicates++;
        continue;
      }
      stored++;
      this.flows.push({
        ts: d.ts,
        node,
        src: d.src,
        dst: d.dst,
        sport: d.sport,
        dport: d.dport,
        proto: d.proto,
        dir: d.dir,
        verdict: 'dropped',
        reason: d.reason,
        bytes: d.bytes,
        packets: d.packets,
        tcpFlags: 0,
      });
      const fwd = srcIsClient(this.ports, d.src.ip, d.sport, d.dst.ip, d.dport, d.proto, 0);
      const s = fwd
        ? this.edge(d.src, d.dst, d.proto, d.dport, now)
        : this.edge(d.dst, d.src, d.proto, d.sport, now);
      this.edgeBuckets(s, d.ts, (b) => b.addDrop(d.reason, d.dir, d.packets, d.bytes));
    }

    for (const c of batch.tcp) {
      if (!ok(c.ts)) continue;
      const key = `c${c.src.ip}|${c.sport}|${c.dst.ip}|${c.dport}|${c.outcome}`;
      if (this.dedupe.isDuplicate(key, node, now)) {
        this.counters.duplicates++;
        continue;
      }
      stored++;
      this.ports.learn(c.dst.ip, c.dport);
      const s = this.edge(c.src, c.dst, 'tcp', c.dport, now);
      this.edgeBuckets(s, c.ts, (b) => b.addConnect(c.outcome === 'ok', c.latencyUs, c.cause));
    }

    for (const t of batch.tcpStats) {
      if (!ok(t.ts)) continue;
      const key = `s${t.src.ip}|${t.sport}|${t.dst.ip}|${t.dport}|${t.srttUs}|${t.retransmits}`;
      if (this.dedupe.isDuplicate(key, node, now)) {
        this.counters.duplicates++;
        continue;
      }
      stored++;
      const fwd = srcIsClient(this.ports, t.src.ip, t.sport, t.dst.ip, t.dport, 'tcp', 0);
      const s = fwd
        ? this.edge(t.src, t.dst, 'tcp', t.dport, now)
        : this.edge(t.dst, t.src, 'tcp', t.sport, now);
      this.edgeBuckets(s, t.ts, (b) => {
        if (t.srttUs > 0) {
          b.rttSumUs += t.srttUs;
          b.rttCount++;
        }
        b.retransmits += t.retransmits;
      });
    }

    for (const q of batch.dns) {
      if (!ok(q.ts)) continue;
      const key = `q${q.client.ip}|${q.server.ip}|${q.id}|${q.qname}|${q.rcode}`;
      if (this.dedupe.isDuplicate(key, node, now, true)) {
        this.counters.duplicates++;
        continue;
      }
      stored++;
      this.ports.learn(q.server.ip, 53);
      const failed = q.rcode !== 'NOERROR';
      const s = this.edge(q.client, q.server, 'udp', 53, now);
      this.edgeBuckets(s, q.ts, (b) => {
        b.dnsQueries++;
        if (failed) b.dnsErrors++;
      });
      const ds = this.dnsClient(q.client, now);
      const ft = Math.floor(q.ts / FINE_MS) * FINE_MS;
      const ct = Math.floor(q.ts / COARSE_MS) * COARSE_MS;
      const [fb, fnew] = bucketAt(ds.fine, ft, makeDnsBucket);
      const [cb, cnew] = bucketAt(ds.coarse, ct, makeDnsBucket);
      if (fnew) this.fineCount++;
      if (cnew) this.coarseCount++;
      fb.add(q.qname, q.rcode, q.latencyUs);
      cb.add(q.qname, q.rcode, q.latencyUs);
    }

    this.counters.records += stored;
    this.enforceBounds();
    return stored;
  }

  private observable(e: Endpoint): boolean {
    if (e.kind === 'pod') return this.observedNodes.has(e.node);
    // A ClusterIP answers through its backends, whose egress is seen.
    return e.kind === 'service';
  }

  private edge(client: Endpoint, server: Endpoint, proto: string, port: number, now: number): EdgeSeries {
    const key = `${endpointKey(client)}\u001e${endpointKey(server)}\u001e${proto}\u001e${port}`;
    let s = this.edges.get(key);
    if (!s) {
      s = new EdgeSeries(key, client, server, proto, port);
      this.edges.set(key, s);
    }
    s.lastSeen = now;
    return s;
  }

  private dnsClient(client: Endpoint, now: number): DnsSeries {
    const key = endpointKey(client);
    let s = this.dns.get(key);
    if (!s) {
      s = new DnsSeries(key, client);
      this.dns.set(key, s);
    }
    s.lastSeen = now;
    return s;
  }

  private edgeBuckets(s: EdgeSeries, ts: number, apply: (b: EdgeBucket) => void): void {
    const ft = Math.floor(ts / FINE_MS) * FINE_MS;
    const ct = Math.floor(ts / COARSE_MS) * COARSE_MS;
    for (const series of [s, this.totals]) {
      const [fb, fnew] = bucketAt(series.fine, ft, makeEdgeBucket);
      const [cb, cnew] = bucketAt(series.coarse, ct, makeEdgeBucket);
      if (fnew) this.fineCount++;
      if (cnew) this.coarseCount++;
      apply(fb);
      apply(cb);
    }
  }

  /** Drops buckets past retention and series left empty; run about once a second. */
  prune(now = this.now()): void {
    const fineBefore = now - this.opts.fineRetentionS * 1000;
    const coarseBefore = now - this.opts.coarseRetentionS * 1000;
    for (const map of [this.edges, this.dns] as Map<string, EdgeSeries | DnsSeries>[]) {
      for (const [key, s] of map) {
        this.fineCount -= pruneBefore(s.fine, fineBefore);
        this.coarseCount -= pruneBefore(s.coarse, coarseBefore);
        if (s.fine.length === 0 && s.coarse.length === 0) map.delete(key);
      }
    }
    this.fineCount -= pruneBefore(this.totals.fine, fineBefore);
    this.coarseCount -= pruneBefore(this.totals.coarse, coarseBefore);
    if (this.dataStart < coarseBefore) this.dataStart = this.totals.coarse[0]?.t ?? Number.POSITIVE_INFINITY;
  }

  private enforceBounds(): void {
    const { maxSeries, maxFineBuckets } = this.opts;
    if (this.edges.size + this.dns.size <= maxSeries && this.fineCount <= maxFineBuckets) return;
    // Evict a few percent below the bound at once so the sort is paid rarely.
    const all: (EdgeSeries | DnsSeries)[] = [...this.edges.values(), ...this.dns.values()];
    all.sort((a, b) => a.lastSeen - b.lastSeen);
    const seriesTarget = Math.floor(maxSeries * 0.95);
    const fineTarget = Math.floor(maxFineBuckets * 0.95);
    let count = all.length;
    for (const s of all) {
      if (count <= seriesTarget && this.fineCount <= fineTarget) break;
      if (s instanceof EdgeSeries) this.edges.delete(s.key);
      else this.dns.delete(s.key);
      this.fineCount -= s.fine.length;
      this.coarseCount -= s.coarse.length;
      this.counters.evictions++;
      count--;
    }
  }

  /** Recent rows for /flows (newest first). */
  recentFlows(visit: (row: FlowRow) => boolean): void {
    this.flows.forEachNewest(visit);
  }
}
