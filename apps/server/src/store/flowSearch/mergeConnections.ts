import type { FlowObservation, FlowRow } from '@weft/protocol';
import type { FlowRing } from '../flowRing.js';

/** One connection (its addresses, ports and protocol); its intervals are told apart by time (INTERVAL_SKEW_MS). */
function connectionKey(r: FlowRow): string {
  return `${r.proto}|${r.src.ip}|${r.sport}|${r.dst.ip}|${r.dport}`;
}

/**
 * How far apart two points' records of one interval may be stamped. A record's time is the end of its
 * collector's interval as that collector's clock read it when closing it, so two nodes' records of the
 * same second differ by some milliseconds (13 ms on the lab: the timers fire a little apart), while one
 * point's consecutive intervals are a whole interval apart. A group takes one record per point, so with
 * intervals shorter than this (100 ms at least) consecutive records still pair up as they arrive.
 */
export const INTERVAL_SKEW_MS = 400;

/** The groups of one connection a record may join: its newest few (records arrive about in time order). */
const RECENT_GROUPS = 4;

interface Group {
  ts: number;
  rows: FlowRow[];
  seqs: number[];
  /** The points (node, direction, verdict) already in it: one point sends one record per interval. */
  points: Set<string>;
}

function pointOf(r: FlowRow): string {
  return `${r.node}|${r.dir}|${r.verdict}`;
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
  const byKey = new Map<string, Group[]>();
  const groups: Group[] = [];
  // Oldest first, so each group's first entry is its first arrival.
  for (let k = seqs.length - 1; k >= 0; k--) {
    const seq = seqs[k]!;
    const r = ring.rowAt(seq)!;
    const key = connectionKey(r);
    const point = pointOf(r);
    let recent = byKey.get(key);
    if (!recent) {
      recent = [];
      byKey.set(key, recent);
    }
    let g: Group | undefined;
    for (let i = recent.length - 1; i >= 0 && i >= recent.length - RECENT_GROUPS; i--) {
      const c = recent[i]!;
      if (Math.abs(c.ts - r.ts) <= INTERVAL_SKEW_MS && !c.points.has(point)) {
        g = c;
        break;
      }
    }
    if (g) {
      g.rows.push(r);
      g.seqs.push(seq);
      g.points.add(point);
    } else {
      const n = { ts: r.ts, rows: [r], seqs: [seq], points: new Set([point]) };
      recent.push(n);
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
