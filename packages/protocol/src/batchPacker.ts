import type { Endpoint } from './endpoint.js';
import type { IngestBatch } from './ingest.js';
import { MAX_CONNECTION_ENDPOINTS } from './ingestLimits.js';
import type { FlowColumns, PackedBatch } from './packedBatch.js';
import { L4_PROTOS } from './wireCodes.js';

// Typebox-free (types only), so that '@weft/protocol/core' offers it to the collector.

/** Every field of an endpoint: two records name the same endpoint only when all of them agree. */
function endpointKey(e: Endpoint): string {
  return `${e.ip}\u001f${e.kind}\u001f${e.namespace}\u001f${e.name}\u001f${e.workloadKind}\u001f${e.workload}\u001f${e.service}\u001f${e.node}`;
}

/**
 * The sending side of a connection's endpoint table: packs batches in the order they are sent, each
 * carrying only the endpoints the table doesn't have yet. One packer per connection; `reset` when the
 * receiver may not hold what was sent (a new connection, a refused batch, a `resync`), and the next
 * batch starts a new table. The table starts over by itself once it holds `maxSize` endpoints (pods
 * come and go; the receiver's memory stays bounded).
 */
export class BatchPacker {
  private byKey = new Map<string, number>();
  private size = 0;

  constructor(private readonly maxSize = 50_000) {}

  /** Endpoints in the table (what the receiver holds once it has taken every batch packed so far). */
  get tableSize(): number {
    return this.size;
  }

  reset(): void {
    this.byKey = new Map();
    this.size = 0;
  }

  pack(b: IngestBatch): PackedBatch {
    if (this.size >= this.maxSize) this.reset();
    const p = this.packOnto(b);
    if (this.size <= MAX_CONNECTION_ENDPOINTS) return p;
    // Only a batch of extreme size gets here: alone, it always fits.
    this.reset();
    return this.packOnto(b);
  }

  private packOnto(b: IngestBatch): PackedBatch {
    const endpointBase = this.size;
    const endpoints: Endpoint[] = [];
    // The collector hands the same object for the same pod, so most lookups end here. Per batch: world
    // and host endpoints are new objects each time, which a map kept for the connection would hoard.
    const byObject = new Map<Endpoint, number>();
    const index = (e: Endpoint): number => {
      let i = byObject.get(e);
      if (i !== undefined) return i;
      const key = endpointKey(e);
      i = this.byKey.get(key);
      if (i === undefined) {
        i = this.size++;
        endpoints.push(e);
        this.byKey.set(key, i);
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
      endpointBase,
      endpoints,
      flows,
      drops: b.drops.map((d) => ({ ...d, src: index(d.src), dst: index(d.dst) })),
      tcp: b.tcp.map((c) => ({ ...c, src: index(c.src), dst: index(c.dst) })),
      tcpStats: b.tcpStats.map((t) => ({ ...t, src: index(t.src), dst: index(t.dst) })),
      dns: b.dns.map((q) => ({ ...q, client: index(q.client), server: index(q.server) })),
      lost: b.lost,
    };
  }
}

/** The batch packed on its own: a new endpoint table holding each endpoint it names once (base 0). */
export function packBatch(b: IngestBatch): PackedBatch {
  return new BatchPacker().pack(b);
}
