import { type IngestBatch, packBatch } from '@weft/protocol/core';

const HEAD = '{"type":"batch","seq":';
const STAND_IN = `${HEAD}0`;

export type BatchContent = Omit<IngestBatch, 'type' | 'seq'>;

export function recordCount(c: BatchContent): number {
  return c.flows.length + c.drops.length + c.tcp.length + c.tcpStats.length + c.dns.length;
}

function half<T>(a: T[], first: boolean): T[] {
  const mid = Math.ceil(a.length / 2);
  return first ? a.slice(0, mid) : a.slice(mid);
}

/**
 * Serialize an interval as one or more batches, packed as protocol 2 sends them (an endpoint table,
 * flow records as columns), each under the server's frame limit: a busy node's interval is split in
 * halves (same interval, consecutive sequence numbers) rather than refused; each half packs its own
 * endpoint table.
 */
export function batchPayloads(
  c: BatchContent,
  nextSeq: () => number,
  maxBytes: number,
): { seq: number; payload: string; records: number }[] {
  const out: { seq: number; payload: string; records: number }[] = [];
  const visit = (part: BatchContent) => {
    const records = recordCount(part);
    // Serialized once with a stand-in seq: a sequence number is taken only for a part that is sent,
    // so they stay contiguous, and the stand-in is swapped for it without serializing again.
    const body = JSON.stringify(packBatch({ type: 'batch', seq: 0, ...part }));
    if (body.length > maxBytes && records > 1) {
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
    const seq = nextSeq();
    out.push({ seq, payload: `${HEAD}${seq}${body.slice(STAND_IN.length)}`, records });
  };
  visit(c);
  return out;
}
