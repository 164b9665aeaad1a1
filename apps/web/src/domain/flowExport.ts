import { endpointLabel, type FlowRow } from '@weft/protocol';

/** Export of the flows on screen: JSON keeps the full records; CSV flattens them for spreadsheets. */
export const CSV_HEADER = [
  'time',
  'node',
  'source',
  'source_ip',
  'source_port',
  'destination',
  'destination_ip',
  'destination_port',
  'protocol',
  'direction',
  'verdict',
  'reason',
  'bytes',
  'packets',
] as const;

/**
 * RFC 4180 quoting, and cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a
 * leading apostrophe: pod and DNS names are untrusted.
 */
export function csvCell(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  if (/[",\r\n]/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

export function flowsToCsv(rows: readonly FlowRow[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of rows) {
    lines.push(
      [
        new Date(r.ts).toISOString(),
        r.node,
        endpointLabel(r.src),
        r.src.ip,
        r.sport,
        endpointLabel(r.dst),
        r.dst.ip,
        r.dport,
        r.proto,
        r.dir,
        r.verdict,
        r.reason,
        r.bytes,
        r.packets,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function flowsToJson(rows: readonly FlowRow[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}

export function exportFileName(kind: 'csv' | 'json', now: Date): string {
  return `weft-flows-${now.toISOString().replace(/[:.]/g, '-')}.${kind}`;
}
