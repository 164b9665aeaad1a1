import { RETRANSMITS, RTT_COUNT, RTT_SUM_US } from '../edgeTier.js';
import { count } from '../saturate.js';
import { protoNumber } from '../series.js';
import { srcIsClient } from '../serverSide.js';
import { type BatchContext, inWindow } from './batchContext.js';

const TCP = protoNumber('tcp');

/**
 * The batch's TCP stats records (smoothed RTT, retransmits): each on its client -> server series (a
 * record seen by two nodes' collectors on one kernel counted once). Returns the records stored.
 */
export function ingestTcpStats(ctx: BatchContext): number {
  const { batch, node, now, endpoints, interned, dedupe, ports, counters, series } = ctx;
  let stored = 0;
  for (const t of batch.tcpStats) {
    if (!inWindow(ctx, t.ts)) continue;
    const key = `s${endpoints[t.src]!.ip}|${t.sport}|${endpoints[t.dst]!.ip}|${t.dport}|${t.srttUs}|${t.retransmits}`;
    if (dedupe.isDuplicate(key, node, now)) {
      counters.duplicates++;
      continue;
    }
    stored++;
    const src = interned[t.src]!;
    const dst = interned[t.dst]!;
    const srtt = count(t.srttUs);
    const retransmits = count(t.retransmits);
    const fwd = srcIsClient(ports, src.id, t.sport, dst.id, t.dport, 'tcp', 0);
    const s = fwd
      ? series.edge(src, dst, 'tcp', TCP, t.dport, now)
      : series.edge(dst, src, 'tcp', TCP, t.sport, now);
    series.edgeBuckets(s, t.ts, (tier, at) => {
      // The first addition makes the bucket (even a zero: a stats record is data at that time).
      let made = tier.addAt(at, RETRANSMITS, retransmits);
      if (srtt > 0) made += tier.addAt(at, RTT_SUM_US, srtt) + tier.addAt(at, RTT_COUNT, 1);
      return made;
    });
  }
  return stored;
}
