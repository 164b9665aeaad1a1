import { BatchPacker, L4_PROTOS } from './batchPacker.js';
import type { IngestBatch } from './ingest.js';
import type { PackedBatch } from './packedBatch.js';
import type { Direction } from './probeRecord.js';
import type { FlowRecord } from './records.js';

// Typebox-free (types only), so that '@weft/protocol/core' offers it to the collector.

export { L4_PROTOS };
export const FLOW_DIRECTIONS = ['egress', 'ingress'] as const satisfies readonly Direction[];

/** The batch packed on its own: a new endpoint table holding each endpoint it names once (base 0). */
export function packBatch(b: IngestBatch): PackedBatch {
  return new BatchPacker().pack(b);
}

/** Flow record `i` of a self-contained or resolved batch (see EndpointTable), its ends as endpoint objects. */
export function packedFlow(p: PackedBatch, i: number): FlowRecord {
  const f = p.flows;
  return {
    ts: f.ts[i]!,
    src: p.endpoints[f.src[i]!]!,
    dst: p.endpoints[f.dst[i]!]!,
    sport: f.sport[i]!,
    dport: f.dport[i]!,
    proto: L4_PROTOS[f.proto[i]!]!,
    dir: FLOW_DIRECTIONS[f.dir[i]!]!,
    bytes: f.bytes[i]!,
    packets: f.packets[i]!,
    tcpFlags: f.tcpFlags[i]!,
  };
}

/**
 * A self-contained or resolved batch with both ends of every record named in full again (tests and
 * tools; the server reads it packed).
 */
export function unpackBatch(p: PackedBatch): IngestBatch {
  if (p.endpointBase !== 0) throw new Error('unpackBatch: the batch extends a table; resolve it first');
  const ep = p.endpoints;
  return {
    type: 'batch',
    seq: p.seq,
    start: p.start,
    end: p.end,
    flows: Array.from({ length: p.flows.ts.length }, (_, i) => packedFlow(p, i)),
    drops: p.drops.map((d) => ({ ...d, src: ep[d.src]!, dst: ep[d.dst]! })),
    tcp: p.tcp.map((c) => ({ ...c, src: ep[c.src]!, dst: ep[c.dst]! })),
    tcpStats: p.tcpStats.map((t) => ({ ...t, src: ep[t.src]!, dst: ep[t.dst]! })),
    dns: p.dns.map((q) => ({ ...q, client: ep[q.client]!, server: ep[q.server]! })),
    lost: p.lost,
  };
}

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
