import type { GraphEdge, PortProto } from '@weft/protocol';
import { formatByteRate, formatCount, formatLatency, formatRate, truncateMiddle } from './format.js';

/** A failing DNS name in an edge label is shortened to this many characters (a name may have 253). */
export const DNS_NAME_MAX = 40;

/**
 * DNS answers whose p95 is at least this (ms) are slow on the map: the server's own threshold for
 * "DNS is slow" in diagnose (WEFT_DIAGNOSE_DNS_SLOW_MS) by default.
 */
export const DNS_SLOW_MS = 200;

/** The port's DNS answers are slow (PortProto.dnsP95Ms at least DNS_SLOW_MS). */
export function slowDns(p: Pick<PortProto, 'dnsP95Ms'>): boolean {
  return (p.dnsP95Ms ?? 0) >= DNS_SLOW_MS;
}

type LabelledEdge = Pick<GraphEdge, 'ports' | 'bytesPerSec'> &
  Partial<
    Pick<GraphEdge, 'dropsPerSec' | 'dropReasons' | 'tcpFailures' | 'dnsErrors' | 'dnsQueries' | 'portsMore'>
  >;

/** "9121/TCP", or the protocol alone for a portless one ("ICMP"). */
export function portName(p: Pick<PortProto, 'port' | 'proto'>): string {
  return p.port > 0 ? `${p.port}/${p.proto.toUpperCase()}` : p.proto.toUpperCase();
}

/**
 * What is wrong on one port, in a word or three: drops with their reason ("policy drop 3/s"), failed
 * connects by their main cause ("refused", "timeout", "reset"; "2 connects failed" when the causes are
 * not known), failed DNS answers by the one most often failing ("DNS NXDOMAIN payments.prod…", its name
 * shortened in the middle), else their count ("DNS 3/40 failed"), slow DNS answers by their p95 ("DNS
 * p95 1.2 s"); null when nothing is.
 */
export function portProblem(p: PortProto): string | null {
  const parts: string[] = [];
  if ((p.dropsPerSec ?? 0) > 0)
    parts.push(`${p.dropReason ? p.dropReason.replaceAll('_', ' ') : 'drops'} ${formatRate(p.dropsPerSec!)}`);
  const failed = p.tcpFailures ?? 0;
  if (failed > 0) {
    const causes: [string, number][] = [
      ['refused', p.refused ?? 0],
      ['timeout', p.timeouts ?? 0],
      ['reset', p.resets ?? 0],
    ];
    let cause = '';
    let most = 0;
    for (const [word, n] of causes) if (n > most) [cause, most] = [word, n];
    parts.push(cause || `${formatCount(failed)} ${failed === 1 ? 'connect' : 'connects'} failed`);
  }
  if ((p.dnsErrors ?? 0) > 0)
    parts.push(
      p.dnsFailure
        ? `DNS ${p.dnsFailure.rcode} ${truncateMiddle(p.dnsFailure.qname, DNS_NAME_MAX)}`
        : `DNS ${formatCount(p.dnsErrors!)}/${formatCount(p.dnsQueries ?? 0)} failed`,
    );
  if (slowDns(p)) parts.push(`DNS p95 ${formatLatency(p.dnsP95Ms!)}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

/**
 * How bad a port's problem is, to pick the one an edge's label names: drops, then failures, then DNS
 * errors, then slow DNS answers.
 */
function portSeverity(p: PortProto): number {
  if ((p.dropsPerSec ?? 0) > 0) return 3e12 + p.dropsPerSec!;
  if ((p.tcpFailures ?? 0) > 0) return 2e12 + p.tcpFailures!;
  if ((p.dnsErrors ?? 0) > 0) return 1e12 + p.dnsErrors!;
  if (slowDns(p)) return 1e9 + p.dnsP95Ms!;
  return 0;
}

/** The listed port whose problem is worst (the first of equals), or null when no port has one. */
export function problemPort(ports: readonly PortProto[]): PortProto | null {
  let worst: PortProto | null = null;
  let most = 0;
  for (const p of ports) {
    const s = portSeverity(p);
    if (s > most) [worst, most] = [p, s];
  }
  return worst;
}

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
 * problem names the port that has it and what it is ("9121/TCP refused (+1)", "80/TCP policy drop
 * 3/s"), where the server said per port (PortProto's health); else the edge's problem after its main
 * port ("9090/TCP +1 4 connects failed").
 */
export function edgeLabel(edge: LabelledEdge): string {
  const count = edge.ports.length + (edge.portsMore ?? 0);
  const bad = problemPort(edge.ports);
  if (bad) return `${portName(bad)} ${portProblem(bad)}${count > 1 ? ` (+${count - 1})` : ''}`;
  const top = edge.ports[0];
  const what = edgeProblem(edge) ?? formatByteRate(edge.bytesPerSec);
  if (!top) return what;
  const more = count > 1 ? ` +${count - 1}` : '';
  return `${portName(top)}${more} ${what}`;
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
