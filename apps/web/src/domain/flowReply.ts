import type { FlowRow } from '@weft/protocol';

/**
 * Which flow rows are replies (server to client) rather than requests. The probe records each
 * direction of a connection as its own flow; the table marks the answer so one conversation does
 * not read as two. A row is a reply when its reverse (same endpoints and ports, swapped) is in the
 * list and its source port is the lower of the two (clients talk from high ephemeral ports), or,
 * with no reverse in sight, when it leaves a service port for an ephemeral one.
 */
const EPHEMERAL_FROM = 32768;
const PRIVILEGED_BELOW = 1024;

const tuple = (ip1: string, p1: number, ip2: string, p2: number, proto: string) =>
  `${proto}|${ip1}|${p1}|${ip2}|${p2}`;

export function replyRows(rows: readonly FlowRow[]): Set<FlowRow> {
  const seen = new Set<string>();
  for (const r of rows) seen.add(tuple(r.src.ip, r.sport, r.dst.ip, r.dport, r.proto));
  const replies = new Set<FlowRow>();
  for (const r of rows) {
    if (r.sport <= 0 || r.dport <= 0) continue;
    const reverse = seen.has(tuple(r.dst.ip, r.dport, r.src.ip, r.sport, r.proto));
    if (reverse ? r.sport < r.dport : fromServicePort(r.sport, r.dport)) replies.add(r);
  }
  return replies;
}

function fromServicePort(sport: number, dport: number): boolean {
  if (sport < PRIVILEGED_BELOW && dport >= PRIVILEGED_BELOW) return true;
  return sport < EPHEMERAL_FROM && dport >= EPHEMERAL_FROM;
}
