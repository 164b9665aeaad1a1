import { FLOW_DIRECTIONS, L4_PROTOS, TCP_ACK, TCP_SYN } from '@weft/protocol';
import { COARSE_MS, FINE_MS } from '../buckets.js';
import { count } from '../saturate.js';
import { srcIsClient } from '../serverSide.js';
import type { BatchContext } from './batchContext.js';

const INGRESS = FLOW_DIRECTIONS.indexOf('ingress');

/**
 * The batch's flow records (its columns): each a row of the flow ring (with its DNS name when one is
 * learned) and, unless it is ingress seen at the sender's egress too, traffic on its client -> server
 * series, the series' namespace rollup and the cluster totals. Returns the records stored.
 */
export function ingestFlows(ctx: BatchContext): number {
  const {
    batch,
    node,
    now,
    oldest,
    newest,
    fineFrom,
    endpoints,
    interned,
    names,
    flows,
    ports,
    counters,
    series,
  } = ctx;
  const f = batch.flows;
  if (f.ts.length === 0) return 0;
  const named = names.size > 0;
  let stored = 0;
  // Whether an ingress record's source is watched elsewhere: per endpoint, asked once a batch.
  const watched = new Int8Array(endpoints.length).fill(-1);
  // A batch's records mostly share one timestamp: the window check and the bucket starts are worked
  // out once per run of equal timestamps, not per record (a double modulo is a call into C).
  let lastTs = Number.NaN;
  let inWindow = false;
  let fineT = 0;
  let coarseT = 0;
  // The cluster totals and the namespace rollups take each run of stored records with one
  // timestamp once (rollups are few and shared by many records: their sums wait in the rollup run).
  let runTs = -1;
  let runBytes = 0;
  let runPackets = 0;
  for (let i = 0; i < f.ts.length; i++) {
    const ts = f.ts[i]!;
    if (ts !== lastTs) {
      lastTs = ts;
      inWindow = ts >= oldest && ts <= newest;
      fineT = ts - (ts % FINE_MS);
      if (fineT < fineFrom) fineT = -1;
      coarseT = ts - (ts % COARSE_MS);
    }
    if (!inWindow) {
      counters.outOfWindow++;
      continue;
    }
    flows.pushFlow(
      batch,
      i,
      node,
      named
        ? names.forFlow(endpoints[f.src[i]!]!.ip, f.sport[i]!, endpoints[f.dst[i]!]!.ip, f.dport[i]!, ts)
        : 0,
    );
    stored++;
    const si = f.src[i]!;
    if (f.dir[i] === INGRESS) {
      if (watched[si] === -1) watched[si] = series.observable(endpoints[si]!) ? 1 : 0;
      if (watched[si] === 1) {
        counters.skippedIngress++;
        continue;
      }
    }
    const src = interned[si]!;
    const dst = interned[f.dst[i]!]!;
    const protoNum = f.proto[i]!;
    const proto = L4_PROTOS[protoNum]!;
    const sport = f.sport[i]!;
    const dport = f.dport[i]!;
    const flags = f.tcpFlags[i]!;
    const fwd = srcIsClient(ports, src.id, sport, dst.id, dport, proto, flags);
    if (fwd && proto === 'tcp' && (flags & (TCP_SYN | TCP_ACK)) === TCP_SYN) ports.learn(dst.id, dport);
    const s = fwd
      ? series.edge(src, dst, proto, protoNum, dport, now)
      : series.edge(dst, src, proto, protoNum, sport, now);
    const bytes = count(f.bytes[i]!);
    const packets = count(f.packets[i]!);
    series.addTraffic(s, fineT, coarseT, bytes, packets);
    if (ts !== runTs) {
      if (runTs >= 0) series.endRun(runTs, runBytes, runPackets);
      runTs = ts;
      runBytes = 0;
      runPackets = 0;
    }
    runBytes += bytes;
    runPackets += packets;
    series.addToRollupRun(s, bytes, packets);
  }
  if (runTs >= 0) series.endRun(runTs, runBytes, runPackets);
  return stored;
}
