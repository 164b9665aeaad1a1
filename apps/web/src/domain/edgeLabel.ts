import type { GraphEdge } from '@weft/protocol';
import { formatByteRate, formatCount, formatRate } from './format.js';

type LabelledEdge = Pick<GraphEdge, 'ports' | 'bytesPerSec'> &
  Partial<Pick<GraphEdge, 'dropsPerSec' | 'dropReasons' | 'tcpFailures' | 'dnsErrors' | 'dnsQueries'>>;

/**
 * What is wrong on an edge, in a few words: its main drop reason and rate ("policy drop 3/s"), failed
 * connects ("2 connects failed"), failed DNS answers ("DNS 3/40 failed"); null when nothing is.
 */
export function edgeProblem(edge: LabelledEdge): string | null {
  const parts: string[] = [];
  if ((edge.dropsPerSec ?? 0) > 0) {
    let top = '';
    let most = -1;
    for (const [reason, rate] of Object.entries(edge.dropReasons ?? {}))
      if (rate > most) [top, most] = [reason, rate];
    parts.push(`${top ? top.replaceAll('_', ' ') : 'drops'} ${formatRate(edge.dropsPerSec!)}`);
  }
  const failed = edge.tcpFailures ?? 0;
  if (failed > 0) parts.push(`${formatCount(failed)} ${failed === 1 ? 'connect' : 'connects'} failed`);
  if ((edge.dnsErrors ?? 0) > 0)
    parts.push(`DNS ${formatCount(edge.dnsErrors!)}/${formatCount(edge.dnsQueries ?? 0)} failed`);
  return parts.length > 0 ? parts.join(', ') : null;
}

/**
 * Edge text like the seed's Mermaid map: "5432/TCP 2 MB/s". The main service port names the edge;
 * a second port adds "+1"; no ports (ICMP, or only drops) leaves just the rate. An edge with a
 * problem says the problem instead of its rate ("80/TCP policy drop 3/s").
 */
export function edgeLabel(edge: LabelledEdge): string {
  const top = edge.ports[0];
  const what = edgeProblem(edge) ?? formatByteRate(edge.bytesPerSec);
  if (!top) return what;
  const port = top.port > 0 ? `${top.port}/${top.proto.toUpperCase()}` : top.proto.toUpperCase();
  const more = edge.ports.length > 1 ? ` +${edge.ports.length - 1}` : '';
  return `${port}${more} ${what}`;
}

/** Edge state for styling: dropped packets outrank failed connects. */
export type EdgeHealth = 'ok' | 'drops' | 'failing';

export function edgeHealth(edge: Pick<GraphEdge, 'dropsPerSec' | 'tcpFailures'>): EdgeHealth {
  if (edge.dropsPerSec > 0) return 'drops';
  if (edge.tcpFailures > 0) return 'failing';
  return 'ok';
}

/** Width in px from the byte rate: logarithmic so one elephant flow does not hide the rest. */
export function edgeWidth(bytesPerSec: number): number {
  if (!(bytesPerSec > 0)) return 1;
  return Math.min(10, 1 + Math.log10(1 + bytesPerSec / 1000) * 1.6);
}
