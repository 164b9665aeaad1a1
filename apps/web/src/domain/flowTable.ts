import { endpointLabel, type FlowRow } from '@weft/protocol';

/** Sorting and client-side text filtering of flow rows (the server already applied the URL filter). */
export const FLOW_COLUMNS = [
  'ts',
  'src',
  'dst',
  'dport',
  'proto',
  'dir',
  'verdict',
  'reason',
  'bytes',
  'packets',
  'node',
] as const;
export type FlowColumn = (typeof FLOW_COLUMNS)[number];

export interface FlowSort {
  column: FlowColumn;
  desc: boolean;
}

function key(row: FlowRow, column: FlowColumn): string | number {
  switch (column) {
    case 'src':
      return endpointLabel(row.src);
    case 'dst':
      return endpointLabel(row.dst);
    default:
      return row[column];
  }
}

export function sortFlows(rows: readonly FlowRow[], sort: FlowSort): FlowRow[] {
  const dir = sort.desc ? -1 : 1;
  // Stable: ties keep the server's newest-first order.
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      const x = key(a.row, sort.column);
      const y = key(b.row, sort.column);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return c !== 0 ? c * dir : a.i - b.i;
    })
    .map((e) => e.row);
}

/**
 * Every whitespace-separated term must appear in the row's text (endpoints, IPs, ports, reason,
 * node, and "reply" for the rows in `replies`).
 */
export function filterFlows(
  rows: readonly FlowRow[],
  text: string,
  replies?: ReadonlySet<FlowRow>,
): FlowRow[] {
  const terms = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...rows];
  return rows.filter((r) => {
    const hay = flowSearchText(r, replies?.has(r) ?? false);
    return terms.every((t) => hay.includes(t));
  });
}

export function flowSearchText(r: FlowRow, reply = false): string {
  return [
    reply ? 'reply' : '',
    endpointLabel(r.src),
    endpointLabel(r.dst),
    r.src.ip,
    r.dst.ip,
    r.src.workload,
    r.dst.workload,
    r.src.service,
    r.dst.service,
    `${r.sport}`,
    `${r.dport}`,
    `:${r.dport}`,
    r.proto,
    r.dir,
    r.verdict,
    r.reason,
    r.node,
  ]
    .join(' ')
    .toLowerCase();
}
