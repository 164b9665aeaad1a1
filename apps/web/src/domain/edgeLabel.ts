import type { GraphEdge } from '@weft/protocol';
import { formatByteRate } from './format.js';

/**
 * Edge text like the seed's Mermaid map: "5432/TCP 2 MB/s". The main service port names the edge;
 * a second port adds "+1"; no ports (ICMP, or only drops) leaves just the rate.
 */
export function edgeLabel(edge: Pick<GraphEdge, 'ports' | 'bytesPerSec'>): string {
  const top = edge.ports[0];
  const rate = formatByteRate(edge.bytesPerSec);
  if (!top) return rate;
  const port = top.port > 0 ? `${top.port}/${top.proto.toUpperCase()}` : top.proto.toUpperCase();
  const more = edge.ports.length > 1 ? ` +${edge.ports.length - 1}` : '';
  return `${port}${more} ${rate}`;
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
