import type { Endpoint, FlowRecord, IngestBatch } from '../../packages/protocol/src/index.js';

/**
 * A denser ingest batch, measured here before it becomes protocol: each endpoint is written once per
 * batch in `endpoints`, and flow records name their ends by index into it. Only for the benchmark's
 * "compact wire" stages (the protocol still carries full endpoints in every record).
 */
export type CompactFlow = Omit<FlowRecord, 'src' | 'dst'> & { src: number; dst: number };
export interface CompactBatch extends Omit<IngestBatch, 'flows'> {
  endpoints: Endpoint[];
  flows: CompactFlow[];
}

export function packBatch(b: IngestBatch): CompactBatch {
  const endpoints: Endpoint[] = [];
  const index = new Map<Endpoint, number>();
  const ref = (e: Endpoint) => {
    let i = index.get(e);
    if (i === undefined) {
      i = endpoints.length;
      endpoints.push(e);
      index.set(e, i);
    }
    return i;
  };
  return { ...b, endpoints, flows: b.flows.map((f) => ({ ...f, src: ref(f.src), dst: ref(f.dst) })) };
}

/** Back to the record shape the store takes; a bad index is an error, like a schema failure. */
export function expandBatch(c: CompactBatch): IngestBatch {
  const eps = c.endpoints;
  const flows: FlowRecord[] = new Array(c.flows.length);
  for (let i = 0; i < c.flows.length; i++) {
    const f = c.flows[i]!;
    const src = eps[f.src];
    const dst = eps[f.dst];
    if (!src || !dst) throw new Error(`flows/${i}: endpoint index out of range`);
    flows[i] = {
      ts: f.ts,
      src,
      dst,
      sport: f.sport,
      dport: f.dport,
      proto: f.proto,
      dir: f.dir,
      bytes: f.bytes,
      packets: f.packets,
      tcpFlags: f.tcpFlags,
    };
  }
  return {
    type: 'batch',
    seq: c.seq,
    start: c.start,
    end: c.end,
    flows,
    drops: c.drops,
    tcp: c.tcp,
    tcpStats: c.tcpStats,
    dns: c.dns,
    lost: c.lost,
  };
}
