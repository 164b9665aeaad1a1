import {
  FLOW_DIRECTIONS,
  type FlowObservation,
  type FlowRow,
  L4_PROTOS,
  type PackedBatch,
} from '@weft/protocol';
import type { FlowRing } from '../flowRing.js';
import { count } from '../saturate.js';

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

/**
 * One connection's observations of one interval, as seqs and the figures a search orders by; its row is
 * made only if it lands on the page (mergedRow).
 */
export interface ConnectionGroup {
  /** The first arrival's: later observations never change it, so a cursor over groups stays good. */
  seq: number;
  /** The first arrival's time: a record joins a group within INTERVAL_SKEW_MS of it. */
  firstTs: number;
  /** The row's time: the dropping observation's if one dropped it (what happened), else the first's. */
  ts: number;
  /** The observation the row is made of (the first dropping one, else the first). */
  baseSeq: number;
  baseDropped: boolean;
  /** The largest any point counted (the same packets seen twice are not more traffic). */
  bytes: number;
  packets: number;
  /**
   * The points (node, direction, verdict) in it, one bit each while they are few (one point sends one
   * record per interval); `morePoints` past bit 30.
   */
  pointBits: number;
  morePoints: number[] | null;
  /** The observations after the first, oldest first (most groups have one or two). */
  later: number[] | null;
  /** The connection's group before this one (its newer groups are tried first). */
  older: ConnectionGroup | null;
}

/** Every observation of a group, oldest first. */
export function groupSeqs(g: ConnectionGroup): number[] {
  return g.later ? [g.seq, ...g.later] : [g.seq];
}

function hasPoint(g: ConnectionGroup, point: number): boolean {
  return point < 31 ? (g.pointBits & (1 << point)) !== 0 : (g.morePoints?.includes(point) ?? false);
}

function addPoint(g: ConnectionGroup, point: number): void {
  if (point < 31) g.pointBits |= 1 << point;
  else if (g.morePoints) g.morePoints.push(point);
  else g.morePoints = [point];
}

/**
 * The matches `seqs` (newest first, as the search walks the ring), one group per connection and
 * interval: the sender's egress, the receiver's ingress and a drop of the same packets (same addresses,
 * ports, protocol and interval, on one node or two) are one group. Read from the ring's slots in place:
 * no row object per match, since a search may match hundreds of thousands and show a page of them.
 */
export function connectionGroups(ring: FlowRing, seqs: readonly number[]): ConnectionGroup[] {
  const { source, index, entries, nodes } = ring.slots();
  const cap = ring.capacity;
  // Per connection its newest group; older ones hang off it.
  const byKey = new Map<string, ConnectionGroup>();
  const nodeIds = new Map<string, number>();
  const groups: ConnectionGroup[] = [];
  // Oldest first, so each group's first entry is its first arrival.
  for (let k = seqs.length - 1; k >= 0; k--) {
    const seq = seqs[k]!;
    const at = seq % cap;
    const src = source[at]!;
    const entry = entries[src]!;
    const node = nodes[src];
    let key: string;
    let ts: number;
    let dir: number;
    let dropped: boolean;
    let bytes: number;
    let packets: number;
    let seenAt: string;
    if (node !== undefined) {
      const b = entry as PackedBatch;
      const c = b.flows;
      const i = index[at]!;
      ts = c.ts[i]!;
      key = `${L4_PROTOS[c.proto[i]!]}|${b.endpoints[c.src[i]!]!.ip}|${c.sport[i]}|${b.endpoints[c.dst[i]!]!.ip}|${c.dport[i]}`;
      dir = c.dir[i]!;
      // A packed row is a forwarded one.
      dropped = false;
      bytes = count(c.bytes[i]!);
      packets = count(c.packets[i]!);
      seenAt = node;
    } else {
      const r = Array.isArray(entry) ? entry[index[at]!]! : (entry as FlowRow);
      ts = r.ts;
      key = `${r.proto}|${r.src.ip}|${r.sport}|${r.dst.ip}|${r.dport}`;
      dir = (FLOW_DIRECTIONS as readonly string[]).indexOf(r.dir);
      dropped = r.verdict === 'dropped';
      bytes = r.bytes;
      packets = r.packets;
      seenAt = r.node;
    }
    let n = nodeIds.get(seenAt);
    if (n === undefined) {
      n = nodeIds.size;
      nodeIds.set(seenAt, n);
    }
    // One point sends one record per interval.
    const point = (n * FLOW_DIRECTIONS.length + dir) * 2 + (dropped ? 1 : 0);
    const newest = byKey.get(key);
    let g: ConnectionGroup | null = null;
    let c = newest ?? null;
    for (let j = 0; c !== null && j < RECENT_GROUPS; j++, c = c.older) {
      if (Math.abs(c.firstTs - ts) <= INTERVAL_SKEW_MS && !hasPoint(c, point)) {
        g = c;
        break;
      }
    }
    if (g !== null) {
      if (g.later) g.later.push(seq);
      else g.later = [seq];
      addPoint(g, point);
      if (bytes > g.bytes) g.bytes = bytes;
      if (packets > g.packets) g.packets = packets;
      if (dropped && !g.baseDropped) {
        g.baseSeq = seq;
        g.baseDropped = true;
        g.ts = ts;
      }
    } else {
      const made: ConnectionGroup = {
        seq,
        firstTs: ts,
        ts,
        baseSeq: seq,
        baseDropped: dropped,
        bytes,
        packets,
        pointBits: 0,
        morePoints: null,
        later: null,
        older: newest ?? null,
      };
      addPoint(made, point);
      byKey.set(key, made);
      groups.push(made);
    }
  }
  return groups;
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
 * A group's row: its base observation with the group's seq, bytes and packets, the TCP flags any point
 * saw, and `seen` listing every observation, oldest first (a group of one is that row as it is).
 */
export function mergedRow(ring: FlowRing, g: ConnectionGroup): FlowRow {
  const base = ring.rowAt(g.baseSeq)!;
  if (g.later === null) return { ...base, seq: g.seq };
  const seqs = groupSeqs(g);
  const rows = seqs.map((s) => ring.rowAt(s)!);
  let tcpFlags = 0;
  for (const r of rows) tcpFlags |= r.tcpFlags;
  return {
    ...base,
    seq: g.seq,
    bytes: g.bytes,
    packets: g.packets,
    tcpFlags,
    seen: rows.map((r, i) => observation(r, seqs[i]!)),
  };
}

/** The rows of every group of `seqs` (tests and small sets; a search makes only its page's). */
export function mergeConnections(ring: FlowRing, seqs: readonly number[]): FlowRow[] {
  return connectionGroups(ring, seqs).map((g) => mergedRow(ring, g));
}
