import type { IngestBatch } from './ingest.js';
import type { PackedBatch } from './packedBatch.js';
import type { FlowRecord } from './records.js';
import { FLOW_DIRECTIONS, L4_PROTOS } from './wireCodes.js';

// Typebox-free (types only), so that '@weft/protocol/core' offers it to the collector.

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
