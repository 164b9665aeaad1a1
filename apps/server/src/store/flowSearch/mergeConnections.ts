import type { FlowObservation, FlowRow } from '@weft/protocol';
import type { FlowRing } from '../flowRing.js';

/**
 * One connection, as every point that observed it sent it (within one interval: the groups are per
 * record time). The time stays a number: turning a millisecond timestamp into text was most of a merge.
 */
function connectionKey(r: FlowRow): string {
  return `${r.proto}|${r.src.ip}|${r.sport}|${r.dst.ip}|${r.dport}`;
}

interface Group {
  rows: FlowRow[];
  seqs: number[];
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
  const byTime = new Map<number, Map<string, Group>>();
  const groups: Group[] = [];
  // Oldest first, so each group's first entry is its first arrival.
  for (let k = seqs.length - 1; k >= 0; k--) {
    const seq = seqs[k]!;
    const r = ring.rowAt(seq)!;
    let at = byTime.get(r.ts);
    if (!at) {
      at = new Map();
      byTime.set(r.ts, at);
    }
    const key = connectionKey(r);
    const g = at.get(key);
    if (g) {
      g.rows.push(r);
      g.seqs.push(seq);
    } else {
      const n = { rows: [r], seqs: [seq] };
      at.set(key, n);
      groups.push(n);
    }
  }
  const out: FlowRow[] = [];
  for (const g of groups) {
    const base = g.rows.find((r) => r.verdict === 'dropped') ?? g.rows[0]!;
    if (g.rows.length === 1) {
      out.push({ ...base, seq: g.seqs[0]! });
      continue;
    }
    let bytes = 0;
    let packets = 0;
    let tcpFlags = 0;
    for (const r of g.rows) {
      bytes = Math.max(bytes, r.bytes);
      packets = Math.max(packets, r.packets);
      tcpFlags |= r.tcpFlags;
    }
    const row: FlowRow = { ...base, seq: g.seqs[0]!, bytes, packets, tcpFlags };
    row.seen = g.rows.map((r, i) => observation(r, g.seqs[i]!));
    out.push(row);
  }
  return out;
}
