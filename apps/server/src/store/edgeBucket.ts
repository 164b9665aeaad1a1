import { Histogram } from './histogram.js';

export interface ScalarDelta {
  bytes: number;
  packets: number;
  dropPackets: number;
  connects: number;
  failures: number;
  retransmits: number;
  rttSumUs: number;
  rttCount: number;
  dnsQueries: number;
  dnsErrors: number;
}

export function scalarDelta(before: ScalarDelta, after: ScalarDelta): ScalarDelta {
  return {
    bytes: after.bytes - before.bytes,
    packets: after.packets - before.packets,
    dropPackets: after.dropPackets - before.dropPackets,
    connects: after.connects - before.connects,
    failures: after.failures - before.failures,
    retransmits: after.retransmits - before.retransmits,
    rttSumUs: after.rttSumUs - before.rttSumUs,
    rttCount: after.rttCount - before.rttCount,
    dnsQueries: after.dnsQueries - before.dnsQueries,
    dnsErrors: after.dnsErrors - before.dnsErrors,
  };
}

export interface DropCell {
  reason: string;
  dir: string;
  packets: number;
  bytes: number;
}

/**
 * What one edge (client -> server, protocol, service port) did during one time slot. Detail that most
 * slots lack (drops, connect latencies) is allocated only when it appears, to keep idle slots small.
 */
export class EdgeBucket {
  bytes = 0;
  packets = 0;
  dropPackets = 0;
  dropBytes = 0;
  drops: Map<string, DropCell> | null = null;
  connects = 0;
  failures = 0;
  refused = 0;
  timeouts = 0;
  resets = 0;
  connectLatency: Histogram | null = null;
  rttSumUs = 0;
  rttCount = 0;
  retransmits = 0;
  dnsQueries = 0;
  dnsErrors = 0;
  /**
   * Running totals of the scalar fields through this bucket since the series began: the sum over any
   * run of buckets is two subtractions, which keeps a 15-minute graph over 50,000 series fast.
   */
  cBytes = 0;
  cPackets = 0;
  cDropPackets = 0;
  cConnects = 0;
  cFailures = 0;
  cRetransmits = 0;
  cRttSumUs = 0;
  cRttCount = 0;
  cDnsQueries = 0;
  cDnsErrors = 0;

  constructor(public t: number) {}

  /** Adds the scalar fields of `to - from` (two snapshots of a bucket) to this bucket's running totals. */
  addCum(d: ScalarDelta): void {
    this.cBytes += d.bytes;
    this.cPackets += d.packets;
    this.cDropPackets += d.dropPackets;
    this.cConnects += d.connects;
    this.cFailures += d.failures;
    this.cRetransmits += d.retransmits;
    this.cRttSumUs += d.rttSumUs;
    this.cRttCount += d.rttCount;
    this.cDnsQueries += d.dnsQueries;
    this.cDnsErrors += d.dnsErrors;
  }

  scalars(): ScalarDelta {
    return {
      bytes: this.bytes,
      packets: this.packets,
      dropPackets: this.dropPackets,
      connects: this.connects,
      failures: this.failures,
      retransmits: this.retransmits,
      rttSumUs: this.rttSumUs,
      rttCount: this.rttCount,
      dnsQueries: this.dnsQueries,
      dnsErrors: this.dnsErrors,
    };
  }

  /** Sets the scalars to the sum of buckets first..last of one list (running totals, same series). */
  setFromRun(first: EdgeBucket, last: EdgeBucket): void {
    this.bytes += last.cBytes - first.cBytes + first.bytes;
    this.packets += last.cPackets - first.cPackets + first.packets;
    this.dropPackets += last.cDropPackets - first.cDropPackets + first.dropPackets;
    this.connects += last.cConnects - first.cConnects + first.connects;
    this.failures += last.cFailures - first.cFailures + first.failures;
    this.retransmits += last.cRetransmits - first.cRetransmits + first.retransmits;
    this.rttSumUs += last.cRttSumUs - first.cRttSumUs + first.rttSumUs;
    this.rttCount += last.cRttCount - first.cRttCount + first.rttCount;
    this.dnsQueries += last.cDnsQueries - first.cDnsQueries + first.dnsQueries;
    this.dnsErrors += last.cDnsErrors - first.cDnsErrors + first.dnsErrors;
  }

  reset(): void {
    this.bytes = 0;
    this.packets = 0;
    this.dropPackets = 0;
    this.dropBytes = 0;
    this.drops = null;
    this.connects = 0;
    this.failures = 0;
    this.refused = 0;
    this.timeouts = 0;
    this.resets = 0;
    this.connectLatency = null;
    this.rttSumUs = 0;
    this.rttCount = 0;
    this.retransmits = 0;
    this.dnsQueries = 0;
    this.dnsErrors = 0;
  }

  addDrop(reason: string, dir: string, packets: number, bytes: number): void {
    this.dropPackets += packets;
    this.dropBytes += bytes;
    if (!this.drops) this.drops = new Map();
    const key = `${reason}\u001f${dir}`;
    const cell = this.drops.get(key);
    if (cell) {
      cell.packets += packets;
      cell.bytes += bytes;
    } else this.drops.set(key, { reason, dir, packets, bytes });
  }

  addConnect(ok: boolean, latencyUs: number | undefined, cause: string | undefined): void {
    this.connects++;
    if (ok) {
      if (latencyUs !== undefined) {
        if (!this.connectLatency) this.connectLatency = new Histogram();
        this.connectLatency.add(latencyUs);
      }
      return;
    }
    this.failures++;
    if (cause === 'refused') this.refused++;
    else if (cause === 'reset') this.resets++;
    else this.timeouts++;
  }

  merge(o: EdgeBucket): void {
    this.bytes += o.bytes;
    this.packets += o.packets;
    if (o.drops) for (const c of o.drops.values()) this.addDrop(c.reason, c.dir, c.packets, c.bytes);
    this.connects += o.connects;
    this.failures += o.failures;
    this.refused += o.refused;
    this.timeouts += o.timeouts;
    this.resets += o.resets;
    if (o.connectLatency) {
      if (!this.connectLatency) this.connectLatency = new Histogram();
      this.connectLatency.merge(o.connectLatency);
    }
    this.rttSumUs += o.rttSumUs;
    this.rttCount += o.rttCount;
    this.retransmits += o.retransmits;
    this.dnsQueries += o.dnsQueries;
    this.dnsErrors += o.dnsErrors;
  }

  isEmpty(): boolean {
    return (
      this.packets === 0 &&
      this.bytes === 0 &&
      this.dropPackets === 0 &&
      this.connects === 0 &&
      this.rttCount === 0 &&
      this.retransmits === 0 &&
      this.dnsQueries === 0
    );
  }

  /** Drop packets with a reason (all reasons when empty). */
  dropsFor(reason: string): number {
    if (!reason) return this.dropPackets;
    let n = 0;
    if (this.drops) for (const c of this.drops.values()) if (c.reason === reason) n += c.packets;
    return n;
  }
}
