import { type IngestBatch, packBatch } from '@weft/protocol/core';

export type BatchContent = Omit<IngestBatch, 'type' | 'seq'>;

export interface BatchPart {
  seq: number;
  content: BatchContent;
  records: number;
  /** Its size packed on its own (a new endpoint table): the most it can take on the wire. */
  bytes: number;
}

export function recordCount(c: BatchContent): number {
  return c.flows.length + c.drops.length + c.tcp.length + c.tcpStats.length + c.dns.length;
}

function half<T>(a: T[], first: boolean): T[] {
  const mid = Math.ceil(a.length / 2);
  return first ? a.slice(0, mid) : a.slice(mid);
}

/**
 * An interval as one or more batches, each under the server's frame limit however it is packed: a
 * busy node's interval is split in halves (same interval, consecutive sequence numbers) rather than
 * refused. The parts are fixed here, once: a batch resent after a reconnect is packed afresh against
 * the new connection's endpoint table, but its sequence number still stands for the same records.
 * Measured packed on its own, the largest it can be: against a table that already holds some of its
 * endpoints it only gets smaller.
 */
export function batchParts(c: BatchContent, nextSeq: () => number, maxBytes: number): BatchPart[] {
  const out: BatchPart[] = [];
  const visit = (part: BatchContent) => {
    const records = recordCount(part);
    const bytes = Buffer.byteLength(JSON.stringify(packBatch({ type: 'batch', seq: 0, ...part })));
    if (bytes > maxBytes && records > 1) {
      const pick = (first: boolean): BatchContent => ({
        start: part.start,
        end: part.end,
        flows: half(part.flows, first),
        drops: half(part.drops, first),
        tcp: half(part.tcp, first),
        tcpStats: half(part.tcpStats, first),
        dns: half(part.dns, first),
        lost: first ? part.lost : 0,
      });
      visit(pick(true));
      visit(pick(false));
      return;
    }
    // A sequence number is taken only for a part that is sent, so they stay contiguous.
    out.push({ seq: nextSeq(), content: part, records, bytes });
  };
  visit(c);
  return out;
}
