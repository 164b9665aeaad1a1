import type { BatchPart } from './batchParts.js';

/** A batch waiting for the server's acknowledgement; packed each time it is sent (the table may differ). */
export interface SpoolEntry extends BatchPart {
  createdAt: number;
}

export interface SpoolOptions {
  /** Batches older than this are given up (the server was away too long). */
  maxAgeMs: number;
  /** And never more than this many bytes in total, oldest given up first. */
  maxBytes: number;
}

/**
 * Batches not yet acknowledged by the server, in sequence order, bounded by age and size. What falls
 * out is counted so the next batch can tell the server how much was lost.
 */
export class Spool {
  private readonly opts: SpoolOptions;
  private list: SpoolEntry[] = [];
  private totalBytes = 0;

  constructor(opts: SpoolOptions) {
    this.opts = opts;
  }

  get size(): number {
    return this.list.length;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Adds a batch; returns the records given up to make room (and to respect the age bound). */
  push(e: SpoolEntry, now = e.createdAt): number {
    this.list.push(e);
    this.totalBytes += e.bytes;
    return this.expire(now);
  }

  /** Drops batches past the age bound or beyond the byte bound; returns the records given up. */
  expire(now: number): number {
    let lost = 0;
    while (this.list.length > 0) {
      const first = this.list[0]!;
      const tooOld = now - first.createdAt > this.opts.maxAgeMs;
      const tooBig = this.totalBytes > this.opts.maxBytes && this.list.length > 1;
      if (!tooOld && !tooBig) break;
      this.list.shift();
      this.totalBytes -= first.bytes;
      lost += first.records;
    }
    return lost;
  }

  /** The server stored `seq`: forget it. */
  ack(seq: number): boolean {
    const i = this.indexOf(seq);
    if (i < 0) return false;
    this.totalBytes -= this.list[i]!.bytes;
    this.list.splice(i, 1);
    return true;
  }

  /** The server already holds everything up to `seq` (its welcome says so). */
  ackThrough(seq: number): number {
    let n = 0;
    while (this.list.length > 0 && this.list[0]!.seq <= seq) {
      this.totalBytes -= this.list.shift()!.bytes;
      n++;
    }
    return n;
  }

  /** Remove a batch the server refused for good; returns its record count. */
  remove(seq: number): number {
    const i = this.indexOf(seq);
    if (i < 0) return 0;
    const [e] = this.list.splice(i, 1);
    this.totalBytes -= e!.bytes;
    return e!.records;
  }

  /** The first batch after `seq`, in order (what to send next). */
  after(seq: number): SpoolEntry | undefined {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.list[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return this.list[lo];
  }

  private indexOf(seq: number): number {
    let lo = 0;
    let hi = this.list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.list[mid]!.seq;
      if (s === seq) return mid;
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
