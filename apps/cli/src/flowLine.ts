import { type Endpoint, type FlowRow, formatBytes, TCP_FLAG_NAMES, tcpState } from '@weft/protocol';

/** An end as a reader names it: a pod or service by namespace/name, a node's own address by node, else the address. */
function endName(e: Endpoint, port: number): string {
  const name =
    e.kind === 'pod' || e.kind === 'service'
      ? `${e.namespace}/${e.name}`
      : e.kind === 'host' && e.name
        ? `node/${e.name}`
        : e.ip;
  return port > 0 ? `${name}:${port}` : name;
}

/**
 * A name a collector sent, made safe for a terminal: control characters (which could move the cursor,
 * recolour or retitle it) are shown as \xNN (the probe writes none: it escapes a name's odd bytes).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is escaped
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function inert(s: string): string {
  return s.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The row's DNS name: beside the receiver it was resolved as, or a DNS flow's query. */
function dnsText(r: FlowRow): string {
  if (!r.dns) return '';
  if (r.dns.qtype !== undefined)
    return `  dns ${inert(r.dns.qtype)} ${inert(r.dns.name)} ${inert(r.dns.rcode ?? '')}`;
  return ` (${inert(r.dns.name)})`;
}

/** `SYN,ACK` from a row's ORed flags. */
function flagText(bits: number): string {
  return TCP_FLAG_NAMES.filter((_n, i) => (bits & (1 << i)) !== 0)
    .map((n) => n.toUpperCase())
    .join(',');
}

/**
 * One flow row as a line of `weft observe`: time, sender -> receiver (with the DNS name the sender
 * resolved it by; a DNS flow: its query's type, name and answer), protocol/port (TCP: flags and the
 * connection's state), verdict (and the reason and policy of a drop, whole), bytes and packets, and
 * where it was observed.
 */
export function flowLine(r: FlowRow): string {
  const verdict = r.verdict === 'dropped' ? `DROPPED ${r.reason || 'unknown'}` : 'forwarded';
  const policy = r.policy ? ` (${r.policy.explanation})` : '';
  const flags = r.proto === 'tcp' && r.tcpFlags ? ` [${flagText(r.tcpFlags)} ${tcpState(r.tcpFlags)}]` : '';
  return [
    new Date(r.ts).toISOString(),
    `${endName(r.src, r.sport)} -> ${endName(r.dst, r.dport)}${dnsText(r)}`,
    `${r.proto}/${r.dport}${flags}`,
    `${verdict}${policy}`,
    `${formatBytes(r.bytes)} ${r.packets} pkt`,
    r.seen
      ? `seen ${r.seen.map((o) => `${o.dir} at ${o.node}${o.verdict === 'dropped' ? ` (dropped: ${o.reason})` : ''}`).join(', ')}`
      : `at ${r.node} ${r.dir}`,
  ].join('  ');
}
