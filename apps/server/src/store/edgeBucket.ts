import { boundedName, OTHER_NAME } from './boundedName.js';
import { Histogram } from './histogram.js';

/** Bound on distinct (reason, direction) cells per slot: the kernel has a few dozen reasons. */
export const MAX_DROP_CELLS = 32;

export interface DropCell {
  reason: string;
  dir: string;
  packets: number;
  bytes: number;
}

/**
 * What one edge (client -> server, protocol, service port) did during one time slot, or over a window:
 * the shape queries sum into. The store keeps slots in EdgeTier columns and uses this class only for
 * the detail a few slots have (drops by reason, connect latencies, failure causes).
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
  constructor(public t: number) {}

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
    let name = boundedName(reason);
    let key = `${name}\u001f${dir}`;
    let cell = this.drops.get(key);
    if (!cell && this.drops.size >= MAX_DROP_CELLS) {
      name = OTHER_NAME;
      key = `${name}\u001f${dir}`;
      cell = this.drops.get(key);
    }
    if (cell) {
      cell.packets += packets;
      cell.bytes += bytes;
    } else this.drops.set(key, { reason: name, dir, packets, bytes });
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

  /**
   * merge of what a tier keeps beside its running totals (a side record: drops by reason, failure
   * causes, connect latencies), for a window whose scalars came from the totals.
   */
  mergeDetail(o: EdgeBucket): void {
    if (o.drops) for (const c of o.drops.values()) this.addDrop(c.reason, c.dir, c.packets, c.bytes);
    this.refused += o.refused;
    this.timeouts += o.timeouts;
    this.resets += o.resets;
    if (o.connectLatency) {
      if (!this.connectLatency) this.connectLatency = new Histogram();
      this.connectLatency.merge(o.connectLatency);
    }
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
