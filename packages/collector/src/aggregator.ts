import {
  type DnsRecord,
  type DropDirection,
  type DropRecord,
  dropReasonLabel,
  type Endpoint,
  type FlowRecord,
  isRoutineFree,
  MAX_BATCH_RECORDS,
  type ProbeRecord,
  type ProbeRecordType,
  type TcpConnectRecord,
  type TcpStatsRecord,
} from '@weft/protocol/core';
import { answerAddrs } from './answerAddrs.js';
import { flowHash } from './flowHash.js';
import { isLinkScoped } from './identity/isLinkScoped.js';

type ProbeFlow = Extract<ProbeRecord, { type: 'flow' }>;

const flowKey = (r: ProbeFlow) => `${r.src}|${r.dst}|${r.sport}|${r.dport}|${r.proto}|${r.dir}`;

/** The flow record `f` folds probe records like `r` (its ends were resolved from r's addresses). */
function sameFlow(f: FlowRecord, r: ProbeFlow): boolean {
  return (
    f.src.ip === r.src &&
    f.dst.ip === r.dst &&
    f.sport === r.sport &&
    f.dport === r.dport &&
    f.proto === r.proto &&
    f.dir === r.dir
  );
}

/** What the aggregator needs from identity: names at a time, and which pods are this node's. */
export interface Resolver {
  resolve(ip: string, ts: number): Endpoint;
  isLocal(e: Endpoint): boolean;
  isRemotePod(e: Endpoint): boolean;
}

/** One interval folded: the batch's records (both ends named) plus what the collector learnt. */
export interface IntervalResult {
  start: number;
  end: number;
  flows: FlowRecord[];
  drops: DropRecord[];
  tcp: TcpConnectRecord[];
  tcpStats: TcpStatsRecord[];
  dns: DnsRecord[];
  /** Lost this interval, by cause (probe ring buffer, flow map full, batch limit). */
  lost: Record<string, number>;
  /** Records read this interval by type. */
  records: Partial<Record<ProbeRecordType, number>>;
  /** Records not reported: another node's collector owns them, or they are link-level control traffic. */
  skipped: number;
  /** DNS responses the probe did not take as their query's answer: another server or question (spoofed, stray). */
  dnsMismatch: number;
}

/**
 * Where the kernel's drops happened, by network namespace inode, when several nodes share one kernel
 * (the lab: every node's probe sees every drop). `shared` false: the kernel is this node's alone.
 */
export interface DropPlaces {
  readonly shared: boolean;
  /** The namespace the probe runs in (the host side: bridges, host veths). */
  readonly root: number;
  /** The pod (`namespace/name`) of this node whose namespace this is, if any. */
  podAt(inode: number): string | undefined;
}

export interface AggregatorOptions {
  resolver: Resolver;
  /** Absent: the kernel is this node's alone (a real cluster, the simulated lab). */
  dropPlaces?: DropPlaces;
  /** Cap per record kind per interval; beyond it records are counted as lost (memory stays bounded). */
  maxRecords?: number;
}

/**
 * Folds one interval of probe records into named records. Pure apart from the clock the caller passes.
 * Counting rules (DESIGN.md): flows are reported per observation point with their direction. TCP events
 * and DNS pairs come from host-wide hooks on the client's and server's kernels, so a record is this
 * node's only when one end is a local pod and the other is not a pod another node's collector reports
 * (no double counting). A drop happened in this kernel: it is this node's when it names a local pod,
 * whichever end (the sender's node never sees a drop on the receiver's); where nodes share a kernel
 * (DropPlaces), it is the node's whose pod's namespace it happened in.
 */
export class IntervalAggregator {
  private readonly resolver: Resolver;
  private readonly places: DropPlaces | undefined;
  private readonly max: number;
  private start: number;
  /** Flows by flowHash; the rare flow whose hash another flow holds goes to `flowsCollided`. */
  private flows = new Map<number, FlowRecord>();
  private flowsCollided = new Map<string, FlowRecord>();
  private drops = new Map<string, DropRecord>();
  private tcpStats = new Map<string, TcpStatsRecord>();
  private tcp: TcpConnectRecord[] = [];
  private dns: DnsRecord[] = [];
  private lost: Record<string, number> = {};
  private records: Partial<Record<ProbeRecordType, number>> = {};
  private skipped = 0;
  private lastOverflow = 0;
  private lastRingLost = 0;
  private lastDnsMismatch = 0;
  private dnsMismatch = 0;
  /** Hooks the probe reported in its hello (for the ingest hello). */
  hooks: string[] = [];
  kernel = '';
  links = 0;

  constructor(opts: AggregatorOptions, start = Date.now()) {
    this.resolver = opts.resolver;
    this.places = opts.dropPlaces;
    this.max = Math.min(opts.maxRecords ?? MAX_BATCH_RECORDS, MAX_BATCH_RECORDS);
    this.start = start;
  }

  add(r: ProbeRecord): void {
    this.records[r.type] = (this.records[r.type] ?? 0) + 1;
    switch (r.type) {
      case 'flow':
        this.addFlow(r);
        return;
      case 'drop':
        this.addDrop(r);
        return;
      case 'tcp':
        this.addTcp(r);
        return;
      case 'tcp_stats':
        this.addTcpStats(r);
        return;
      case 'dns':
        this.addDns(r);
        return;
      case 'stats':
        this.addStats(r);
        return;
      case 'link':
        if (r.event === 'attach') this.links++;
        else if (r.event === 'detach') this.links = Math.max(0, this.links - 1);
        return;
      case 'hello':
        this.hooks = r.hooks.slice(0, 4096);
        this.kernel = r.kernel;
        // A new probe process: its cumulative counters start again from zero.
        this.lastOverflow = 0;
        this.lastRingLost = 0;
        this.lastDnsMismatch = 0;
        this.links = 0;
        return;
    }
  }

  /** Close the interval at `end` and start the next one. */
  flush(end = Date.now()): IntervalResult {
    const out: IntervalResult = {
      start: this.start,
      end,
      flows: [...this.flows.values(), ...this.flowsCollided.values()],
      drops: [...this.drops.values()],
      tcp: this.tcp,
      tcpStats: [...this.tcpStats.values()],
      dns: this.dns,
      lost: this.lost,
      records: this.records,
      skipped: this.skipped,
      dnsMismatch: this.dnsMismatch,
    };
    for (const f of out.flows) f.ts = end;
    for (const d of out.drops) d.ts = end;
    for (const s of out.tcpStats) s.ts = end;
    this.start = end;
    this.flows = new Map();
    this.flowsCollided = new Map();
    this.drops = new Map();
    this.tcpStats = new Map();
    this.tcp = [];
    this.dns = [];
    this.lost = {};
    this.records = {};
    this.skipped = 0;
    this.dnsMismatch = 0;
    return out;
  }

  private loss(cause: string, n: number): void {
    if (n > 0) this.lost[cause] = (this.lost[cause] ?? 0) + n;
  }

  /** A pair of pods on two nodes is the source node's; traffic naming no local pod is not ours. */
  private oursFromSource(src: Endpoint, dst: Endpoint): boolean {
    const r = this.resolver;
    return r.isLocal(src) || (r.isLocal(dst) && !r.isRemotePod(src));
  }

  /**
   * Both ends named, or null (counted as skipped) when the record is another node's to report or
   * link-level control traffic.
   */
  private ours(srcIp: string, dstIp: string, ts: number): [Endpoint, Endpoint] | null {
    if (isLinkScoped(srcIp) || isLinkScoped(dstIp)) {
      this.skipped++;
      return null;
    }
    const src = this.resolver.resolve(srcIp, ts);
    const dst = this.resolver.resolve(dstIp, ts);
    if (this.oursFromSource(src, dst)) return [src, dst];
    this.skipped++;
    return null;
  }

  /** A kind holding `size` records is full: one more is counted lost, not kept. */
  private full(size: number): boolean {
    if (size < this.max) return false;
    this.loss('batch_limit', 1);
    return true;
  }

  private addFlow(r: ProbeFlow): void {
    if (isLinkScoped(r.src) || isLinkScoped(r.dst)) {
      this.skipped++;
      return;
    }
    const hash = flowHash(r);
    const held = this.flows.get(hash);
    // The key string is built only when another flow already holds the hash (rare).
    const key = held && !sameFlow(held, r) ? flowKey(r) : undefined;
    const f = key === undefined ? held : this.flowsCollided.get(key);
    if (f) {
      f.bytes += r.bytes;
      f.packets += r.packets;
      f.tcpFlags |= r.tcp_flags;
      return;
    }
    if (this.full(this.flows.size + this.flowsCollided.size)) return;
    const rec: FlowRecord = {
      ts: r.ts,
      src: this.resolver.resolve(r.src, r.ts),
      dst: this.resolver.resolve(r.dst, r.ts),
      sport: r.sport,
      dport: r.dport,
      proto: r.proto,
      dir: r.dir,
      bytes: r.bytes,
      packets: r.packets,
      tcpFlags: r.tcp_flags,
    };
    if (key === undefined) this.flows.set(hash, rec);
    else this.flowsCollided.set(key, rec);
  }

  /**
   * Whether this kernel's drop is this node's to count (see the class comment), and its direction:
   * relative to the pod whose namespace it happened in when known (an ingress policy on the
   * destination drops on the way in), else to the local end.
   */
  private dropSide(netns: number | undefined, src: Endpoint, dst: Endpoint): DropDirection | null {
    const r = this.resolver;
    const byLocalEnd = (): DropDirection =>
      r.isLocal(src) ? 'egress' : r.isLocal(dst) ? 'ingress' : 'unknown';
    const places = this.places;
    if (!places?.shared) return r.isLocal(src) || r.isLocal(dst) ? byLocalEnd() : null;
    if (netns !== undefined && netns !== places.root) {
      const pod = places.podAt(netns);
      if (pod === undefined) return null;
      if (pod === `${dst.namespace}/${dst.name}` && dst.kind === 'pod') return 'ingress';
      if (pod === `${src.namespace}/${src.name}` && src.kind === 'pod') return 'egress';
      return byLocalEnd();
    }
    // On the host side, or where the kernel did not say: the ownership rule every node applies alike.
    return this.oursFromSource(src, dst) ? byLocalEnd() : null;
  }

  private addDrop(r: Extract<ProbeRecord, { type: 'drop' }>): void {
    if (isRoutineFree(r.reason)) return;
    if (isLinkScoped(r.src) || isLinkScoped(r.dst)) {
      this.skipped++;
      return;
    }
    const src = this.resolver.resolve(r.src, r.ts);
    const dst = this.resolver.resolve(r.dst, r.ts);
    const dir = this.dropSide(r.netns, src, dst);
    if (dir === null) {
      this.skipped++;
      return;
    }
    const key = `${r.src}|${r.dst}|${r.sport}|${r.dport}|${r.proto}|${r.reason}|${dir}`;
    const d = this.drops.get(key);
    if (d) {
      d.packets += r.packets;
      d.bytes += r.bytes;
      return;
    }
    if (this.full(this.drops.size)) return;
    const kernelReason = r.reason.slice(0, 64);
    this.drops.set(key, {
      ts: r.ts,
      src,
      dst,
      sport: r.sport,
      dport: r.dport,
      proto: r.proto,
      dir,
      reason: dropReasonLabel(kernelReason),
      kernelReason,
      packets: r.packets,
      bytes: r.bytes,
    });
  }

  private addTcp(r: Extract<ProbeRecord, { type: 'tcp' }>): void {
    const ends = this.ours(r.src, r.dst, r.ts);
    if (!ends) return;
    const [src, dst] = ends;
    if (this.full(this.tcp.length)) return;
    const rec: TcpConnectRecord = {
      ts: r.ts,
      src,
      dst,
      sport: r.sport,
      dport: r.dport,
      proto: 'tcp',
      outcome: r.event === 'connect_ok' ? 'ok' : 'fail',
    };
    if (r.latency_us !== undefined) rec.latencyUs = r.latency_us;
    if (r.cause !== undefined) rec.cause = r.cause;
    this.tcp.push(rec);
  }

  private addTcpStats(r: Extract<ProbeRecord, { type: 'tcp_stats' }>): void {
    const key = `${r.src}|${r.dst}|${r.sport}|${r.dport}`;
    const s = this.tcpStats.get(key);
    if (s) {
      s.srttUs = r.srtt_us;
      s.retransmits += r.retransmits;
      return;
    }
    const ends = this.ours(r.src, r.dst, r.ts);
    if (!ends) return;
    const [src, dst] = ends;
    if (this.full(this.tcpStats.size)) return;
    this.tcpStats.set(key, {
      ts: r.ts,
      src,
      dst,
      sport: r.sport,
      dport: r.dport,
      proto: 'tcp',
      srttUs: r.srtt_us,
      retransmits: r.retransmits,
    });
  }

  private addDns(r: Extract<ProbeRecord, { type: 'dns' }>): void {
    const ends = this.ours(r.client, r.server, r.ts);
    if (!ends) return;
    const [client, server] = ends;
    if (this.full(this.dns.length)) return;
    this.dns.push({
      ts: r.ts,
      client,
      server,
      cport: r.cport,
      id: r.id,
      qname: r.qname.slice(0, 255),
      qtype: r.qtype.slice(0, 16),
      rcode: r.rcode.slice(0, 16),
      answers: r.answers,
      latencyUs: r.latency_us,
      ...(r.addrs && r.addrs.length > 0 ? { addrs: answerAddrs(r.addrs) } : {}),
    });
  }

  private addStats(r: Extract<ProbeRecord, { type: 'stats' }>): void {
    // Counters are cumulative per probe process; a smaller value means the probe restarted.
    const overflow =
      r.flow_overflow >= this.lastOverflow ? r.flow_overflow - this.lastOverflow : r.flow_overflow;
    const ring = r.ring_lost >= this.lastRingLost ? r.ring_lost - this.lastRingLost : r.ring_lost;
    this.lastOverflow = r.flow_overflow;
    this.lastRingLost = r.ring_lost;
    // a probe from before the counter sends none: nothing to add
    if (r.dns_mismatch !== undefined) {
      const m = r.dns_mismatch;
      this.dnsMismatch += m >= this.lastDnsMismatch ? m - this.lastDnsMismatch : m;
      this.lastDnsMismatch = m;
    }
    this.loss('probe_map_overflow', overflow);
    this.loss('probe_ring', ring);
    this.links = r.links;
  }
}
