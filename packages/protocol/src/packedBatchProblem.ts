import type { PackedBatch } from './packedBatch.js';

// Typebox-free (types only), so that '@weft/protocol/core' offers it to the collector.

const FLOW_COLUMNS = [
  'src',
  'dst',
  'sport',
  'dport',
  'proto',
  'dir',
  'bytes',
  'packets',
  'tcpFlags',
] as const;

/**
 * What the PackedBatch schema can't say: flow columns of unequal length, or an endpoint index past the
 * table as it is once the batch is applied. Returns the first problem, or null. Run after the schema
 * check.
 */
export function packedBatchProblem(p: PackedBatch): string | null {
  const n = p.flows.ts.length;
  for (const c of FLOW_COLUMNS)
    if (p.flows[c].length !== n) return `/flows/${c} has ${p.flows[c].length} entries, /flows/ts ${n}`;
  const size = p.endpointBase + p.endpoints.length;
  const past = (column: number[]): number => {
    for (let i = 0; i < column.length; i++) if (column[i]! >= size) return i;
    return -1;
  };
  for (const c of ['src', 'dst'] as const) {
    const i = past(p.flows[c]);
    if (i >= 0) return `/flows/${c}/${i} is past the endpoint table (${size} entries)`;
  }
  for (const kind of ['drops', 'tcp', 'tcpStats'] as const) {
    const rows = p[kind];
    for (let i = 0; i < rows.length; i++)
      if (rows[i]!.src >= size || rows[i]!.dst >= size)
        return `/${kind}/${i} names an endpoint past the table (${size} entries)`;
  }
  for (let i = 0; i < p.dns.length; i++)
    if (p.dns[i]!.client >= size || p.dns[i]!.server >= size)
      return `/dns/${i} names an endpoint past the table (${size} entries)`;
  return null;
}
