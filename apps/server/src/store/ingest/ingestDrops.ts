import { boundedName } from '../boundedName.js';
import { DROP_PACKETS } from '../edgeTier.js';
import { count } from '../saturate.js';
import { protoNumber } from '../series.js';
import { srcIsClient } from '../serverSide.js';
import { type BatchContext, inWindow } from './batchContext.js';

/**
 * The batch's drop records: each a dropped row of the flow ring and drops by reason on its client ->
 * server series (a drop seen by two nodes' collectors on one kernel counted once). Returns the records
 * stored.
 */
export function ingestDrops(ctx: BatchContext): number {
  const { batch, node, now, endpoints, interned, names, flows, dedupe, ports, counters, series } = ctx;
  const named = names.size > 0;
  let stored = 0;
  for (const d of batch.drops) {
    if (!inWindow(ctx, d.ts)) continue;
    const se = endpoints[d.src]!;
    const de = endpoints[d.dst]!;
    const reason = boundedName(d.reason);
    const dropPackets = count(d.packets);
    const dropBytes = count(d.bytes);
    const key = `d${se.ip}|${d.sport}|${de.ip}|${d.dport}|${d.proto}|${reason}|${dropPackets}|${dropBytes}`;
    if (dedupe.isDuplicate(key, node, now)) {
      counters.duplicates++;
      continue;
    }
    stored++;
    flows.push(
      {
        ts: d.ts,
        node,
        src: se,
        dst: de,
        sport: d.sport,
        dport: d.dport,
        proto: d.proto,
        dir: d.dir,
        verdict: 'dropped',
        reason,
        bytes: dropBytes,
        packets: dropPackets,
        tcpFlags: 0,
      },
      named ? names.forFlow(se.ip, d.sport, de.ip, d.dport, d.ts) : 0,
    );
    const src = interned[d.src]!;
    const dst = interned[d.dst]!;
    const fwd = srcIsClient(ports, src.id, d.sport, dst.id, d.dport, d.proto, 0);
    const pn = protoNumber(d.proto);
    const s = fwd
      ? series.edge(src, dst, d.proto, pn, d.dport, now)
      : series.edge(dst, src, d.proto, pn, d.sport, now);
    s.detail = true;
    series.edgeBuckets(s, d.ts, (tier, t) => {
      tier.detailFor(t).addDrop(reason, d.dir, dropPackets, dropBytes);
      return tier.addAt(t, DROP_PACKETS, dropPackets);
    });
  }
  return stored;
}
