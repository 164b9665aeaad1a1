import {
  BATCH_FUTURE_SLACK_MS,
  COUNTER_SLACK_MS,
  LINK_BYTES_PER_SECOND,
  LINK_PACKETS_PER_SECOND,
  MAX_BATCH_SPAN_MS,
  RECORD_TS_SLACK_MS,
} from './ingestLimits.js';
import type { PackedBatch } from './packedBatch.js';

// Typebox-free (types only), so that '@weft/protocol/core' offers it to the collector.

/** The times a batch must fall in, from the receiver's clock. */
export interface BatchWindow {
  /** The receiver's clock, ms since the epoch. */
  now: number;
  /** Oldest start kept: what ends before the store's retention would only be thrown away. */
  oldest: number;
}

/**
 * What the PackedBatch schema's ranges can't say: the batch's interval near the receiver's clock and
 * no longer than a collector makes one, every record's `ts` inside that interval (give or take the
 * probe's lateness), and every count no more than a 400 Gbit/s link moves in it. Returns the first
 * problem, or null. Run after the schema check: one made-up record (1e15 bytes in a second) would
 * otherwise outweigh a cluster's real traffic in every total it joins.
 */
export function batchPlausibilityProblem(p: PackedBatch, w: BatchWindow): string | null {
  if (!(p.end >= p.start)) return 'end is before start';
  if (p.end - p.start > MAX_BATCH_SPAN_MS)
    return `the interval spans ${p.end - p.start} ms, more than ${MAX_BATCH_SPAN_MS}`;
  if (p.end > w.now + BATCH_FUTURE_SLACK_MS)
    return `end ${p.end} is more than ${BATCH_FUTURE_SLACK_MS} ms ahead of the server's clock (${w.now})`;
  if (p.start < w.oldest) return `start ${p.start} is older than the store keeps (${w.oldest})`;
  const lo = p.start - RECORD_TS_SLACK_MS;
  const hi = p.end + RECORD_TS_SLACK_MS;
  const seconds = (p.end - p.start + COUNTER_SLACK_MS) / 1000;
  const maxBytes = LINK_BYTES_PER_SECOND * seconds;
  const maxPackets = LINK_PACKETS_PER_SECOND * seconds;
  const tsProblem = (where: string, ts: number): string | null =>
    ts >= lo && ts <= hi ? null : `${where}/ts ${ts} is outside the batch's interval [${p.start}, ${p.end}]`;
  const countProblem = (where: string, bytes: number, packets: number, unit = 'packets'): string | null =>
    bytes > maxBytes
      ? `${where}/bytes ${bytes} is more than a 400 Gbit/s link moves in the interval (${maxBytes})`
      : packets > maxPackets
        ? `${where}/${unit} ${packets} is more than a 400 Gbit/s link moves in the interval (${maxPackets})`
        : null;

  const f = p.flows;
  for (let i = 0; i < f.ts.length; i++) {
    const bad = tsProblem(`/flows/${i}`, f.ts[i]!) ?? countProblem(`/flows/${i}`, f.bytes[i]!, f.packets[i]!);
    if (bad) return bad;
  }
  for (let i = 0; i < p.drops.length; i++) {
    const d = p.drops[i]!;
    const bad = tsProblem(`/drops/${i}`, d.ts) ?? countProblem(`/drops/${i}`, d.bytes, d.packets);
    if (bad) return bad;
  }
  for (let i = 0; i < p.tcp.length; i++) {
    const bad = tsProblem(`/tcp/${i}`, p.tcp[i]!.ts);
    if (bad) return bad;
  }
  for (let i = 0; i < p.tcpStats.length; i++) {
    const t = p.tcpStats[i]!;
    // A retransmission is a packet sent again.
    const bad =
      tsProblem(`/tcpStats/${i}`, t.ts) ?? countProblem(`/tcpStats/${i}`, 0, t.retransmits, 'retransmits');
    if (bad) return bad;
  }
  for (let i = 0; i < p.dns.length; i++) {
    const bad = tsProblem(`/dns/${i}`, p.dns[i]!.ts);
    if (bad) return bad;
  }
  return null;
}
