import type { Endpoint } from './endpoint.js';
import type { IngestBatch } from './ingest.js';
import type { FlowColumns, PackedBatch } from './packedBatch.js';
import type { Direction, L4Proto } from './probeRecord.js';
import type { FlowRecord } from './records.js';

// Typebox-free (types only), so that '@weft/protocol/core' offers it to the collector.

/** The flow columns `proto` and `dir` carry these by their index (a number parses faster than a string). */
export const L4_PROTOS = ['tcp', 'udp', 'icmp', 'icmpv6', 'other'] as const satisfies readonly L4Proto[];
export const FLOW_DIRECTIONS = ['egress', 'ingress'] as const satisfies readonly Direction[];

/** Every field of an endpoint: two records name the same endpoint only when all of them agree. */
function endpointKey(e: Endpoint): string {
  return `${e.ip}\u001f${e.kind}\u001f${e.namespace}\u001f${e.name}\u001f${e.workloadKind}\u001f${e.workload}\u001f${e.service}\u001f${e.node}`;
}

/** The batch as protocol 2 sends it: each endpoint once, records naming theirs by index. */
export function packBatch(b: IngestBatch): PackedBatch {
  const endpoints: Endpoint[] = [];
  // The collector hands the same object for the same pod, so most lookups end at the first map.
  const byObject = new Map<Endpoint, number>();
  const byKey = new Map<string, number>();
  const index = (e: Endpoint): number => {
    let i = byObject.get(e);
    if (i !== undefined) return i;
    const key = endpointKey(e);
    i = byKey.get(key);
    if (i === undefined) {
      i = endpoints.length;
      endpoints.push(e);
      byKey.set(key, i);
    }
    byObject.set(e, i);
    return i;
  };
  const n = b.flows.length;
  const flows: FlowColumns = {
    ts: new Array(n),
    src: new Array(n),
    dst: new Array(n),
    sport: new Array(n),
    dport: new Array(n),
    proto: new Array(n),
    dir: new Array(n),
    bytes: new Array(n),
    packets: new Array(n),
    tcpFlags: new Array(n),
  };
  for (let i = 0; i < n; i++) {
    const f = b.flows[i]!;
    flows.ts[i] = f.ts;
    flows.src[i] = index(f.src);
    flows.dst[i] = index(f.dst);
    flows.sport[i] = f.sport;
    flows.dport[i] = f.dport;
    flows.proto[i] = L4_PROTOS.indexOf(f.proto);
    flows.dir[i] = f.dir === 'egress' ? 0 : 1;
    flows.bytes[i] = f.bytes;
    flows.packets[i] = f.packets;
    flows.tcpFlags[i] = f.tcpFlags;
  }
  return {
    type: 'batch',
    seq: b.seq,
    start: b.start,
    end: b.end,
    endpoints,
    flows,
    drops: b.drops.map((d) => ({ ...d, src: index(d.src), dst: index(d.dst) })),
    tcp: b.tcp.map((c) => ({ ...c, src: index(c.src), dst: index(c.dst) })),
    tcpStats: b.tcpStats.map((t) => ({ ...t, src: index(t.src), dst: index(t.dst) })),
    dns: b.dns.map((q) => ({ ...q, client: index(q.client), server: index(q.server) })),
    lost: b.lost,
  };
}

/** Flow record `i` of a packed batch, its ends as the batch's endpoint objects. */
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

/** The batch with both ends of every record named in full again (tests and tools; the server reads it packed). */
export function unpackBatch(p: PackedBatch): IngestBatch {
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
 * table. Returns the first problem, or null. Run after the schema check.
 */
export function packedBatchProblem(p: PackedBatch): string | null {
  const n = p.flows.ts.length;
  for (const c of FLOW_COLUMNS)
    if (p.flows[c].length !== n) return `/flows/${c} has ${p.flows[c].length} entries, /flows/ts ${n}`;
  const size = p.endpoints.length;
  const past = (column: number[]): number => {
    for (let i = 0; i < column.length; i++) if (column[i]! >= size) return i;
    return -1;
  };
  for (const c of ['src', 'dst'] as const) {
    const i = past(p.flows[c]);
    if (i >= 0) return `/flows/${c}/${i} is not an index into /endpoints`;
  }
  for (const kind of ['drops', 'tcp', 'tcpStats'] as const) {
    const rows = p[kind];
    for (let i = 0; i < rows.length; i++)
      if (rows[i]!.src >= size || rows[i]!.dst >= size)
        return `/${kind}/${i} names an endpoint past /endpoints`;
  }
  for (let i = 0; i < p.dns.length; i++)
    if (p.dns[i]!.client >= size || p.dns[i]!.server >= size)
      return `/dns/${i} names an endpoint past /endpoints`;
  return null;
}
