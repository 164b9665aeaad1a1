import type { FlowObservation, FlowRow } from '@weft/protocol';
import type { FlowRing } from '../flowRing.js';

/** One connection in one interval, as every point that observed it sent it. */
function connectionKey(r: FlowRow): string {
  return `${r.proto}|${r.src.ip}|${r.sport}|${r.dst.ip}|${r.dport}|${r.ts}`;
}

function observation(r: FlowRow, seq: number): FlowObservation {
  return {
    seq,
    node: r.node,
    dir: r.dir,
    verdict: r.verdict,
    reason: r.reason,
    bytes: r.bytes,
    packets: r.packets,
    tcpFlags: r.tcpFlags,
  };
}

/**
 * The rows `seqs` name, one per connection and interval: the sender's egress, the receiver's ingress and
 * a drop of the same packets (same addresses, ports, protocol and interval, on one node or two) become
 * one row. It is the dropping observation if one dropped it (what happened to the connection), else the
 * first to arrive; its `seq` is the first arrival's, which later observations never change, so a cursor
 * over merged rows stays good while they arrive; bytes and packets are the largest any point counted (the
 * same packets seen twice are not more traffic); `seen` lists every observation, oldest first.
 */
export function mergeConnections(ring: FlowRing, seqs: readonly number[]): FlowRow[] {
  const groups = new Map<string, { rows: FlowRow[]; seqs: number[] }>();
  // Oldest first, so each group's first entry is its first arrival.
  for (let k = seqs.length - 1; k >= 0; k--) {
    const seq = seqs[k]!;
    const r = ring.rowAt(seq)!;
    const key = connectionKey(r);
    const g = groups.get(key);
    if (g) {
      g.rows.push(r);
      g.seqs.push(seq);
    } else groups.set(key, { rows: [r], seqs: [seq] });
  }
  const out: FlowRow[] = [];
  for (const g of groups.values()) {
    const base = g.rows.find((r) => r.verdict === 'dropped') ?? g.rows[0]!;
    const row: FlowRow = {
      ...base,
      seq: g.seqs[0]!,
      bytes: Math.max(...g.rows.map((r) => r.bytes)),
      packets: Math.max(...g.rows.map((r) => r.packets)),
      tcpFlags: g.rows.reduce((f, r) => f | r.tcpFlags, 0),
    };
    if (g.rows.length > 1) row.seen = g.rows.map((r, i) => observation(r, g.seqs[i]!));
    out.push(row);
  }
  return out;
}
