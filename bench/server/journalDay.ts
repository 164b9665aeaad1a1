import { BatchPacker, type Endpoint, type IngestBatch } from '@weft/protocol';
import { BatchJournal } from '@weft/server/internal/history/batchJournal';
import { flowBatch, type SyntheticCluster } from './syntheticCluster.js';

/**
 * A day of history at 5,000 pods / 50,000 edges written into a data directory through the server's own
 * journal (BatchJournal.batch, as the ingest session calls it): every node's collector sends a batch a
 * second, empty ones included (as collectors do), each packed on its connection's endpoint table
 * (BatchPacker) and handed over as the JSON frame the WebSocket delivers. The traffic is the one the
 * diagnose and timeline benches hold for 24 h: every edge reports once every `sparseEvery` s, and every
 * `recentEvery` s over the last `recentS`; each record is sent by the node of its source pod.
 */
export interface DayOptions {
  dir: string;
  cluster: SyntheticCluster;
  /** The data's last second (the server's clock at the end). */
  end: number;
  seconds: number;
  sparseEvery: number;
  recentEvery: number;
  recentS: number;
  retentionMs: number;
}

export interface DayWritten {
  batches: number;
  records: number;
  nodes: number;
  bytes: number;
  segments: number;
}

export async function writeDay(o: DayOptions): Promise<DayWritten> {
  const edges = o.cluster.edges.length;
  const nodes = [...new Set(o.cluster.pods.map((p) => p.node))].sort();
  const start = o.end - o.seconds * 1000;
  const clock = { now: start };
  const journal = new BatchJournal({
    dir: o.dir,
    retentionMs: o.retentionMs,
    now: () => clock.now,
    log: { info() {}, error: (obj, msg) => console.error(msg, obj) },
  });
  // One connection per node: its packer (the collector's side) and the table the session resolves against.
  const conns = new Map(
    nodes.map((n) => [n, { stream: {}, packer: new BatchPacker(), table: [] as Endpoint[], seq: 0 }]),
  );
  journal.observed(nodes, start);
  let batches = 0;
  let records = 0;
  for (let s = 0; s < o.seconds; s++) {
    const t = start + s * 1000;
    const recent = s >= o.seconds - o.recentS;
    const every = recent ? o.recentEvery : o.sparseEvery;
    const perSecond = Math.ceil(edges / every);
    const all = flowBatch(o.cluster, (s % every) * perSecond, perSecond, 0, t);
    const byNode = new Map<string, IngestBatch['flows']>(nodes.map((n) => [n, []]));
    for (const f of all.flows) byNode.get(f.src.node)!.push(f);
    // Stored a little after the batch's end, one node after another, as they arrive.
    clock.now = t + 1000;
    for (const node of nodes) {
      const c = conns.get(node)!;
      const flows = byNode.get(node)!;
      const packed = c.packer.pack({ ...all, seq: c.seq++, flows });
      if (packed.endpointBase === 0) c.table = [];
      for (const e of packed.endpoints) c.table.push(e);
      clock.now += 2;
      journal.batch(
        c.stream,
        Buffer.from(JSON.stringify(packed)),
        packed.endpointBase,
        c.table,
        node,
        clock.now,
      );
      batches++;
      records += flows.length;
    }
    // The journal's own cadence, in the data's time.
    if (s % 60 === 59) await journal.flush();
  }
  await journal.close();
  return {
    batches,
    records,
    nodes: nodes.length,
    bytes: journal.bytesOnDisk,
    segments: journal.segmentFiles().length,
  };
}
