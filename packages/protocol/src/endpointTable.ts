import type { Endpoint } from './endpoint.js';
import { MAX_CONNECTION_ENDPOINTS } from './ingestLimits.js';
import type { PackedBatch } from './packedBatch.js';

// Typebox-free (types only), so that '@weft/protocol/core' offers it too.

/**
 * The receiving side of a connection's endpoint table (protocol 3): takes each batch's added endpoints
 * in order and turns the batch into a resolved one, whose `endpoints` is the whole table, as a
 * self-contained batch's is. A table only grows until a batch with base 0 starts a new array, so a
 * resolved batch kept for later (the server's flow ring) still finds every endpoint it names.
 */
export class EndpointTable {
  private table: Endpoint[] = [];

  get size(): number {
    return this.table.length;
  }

  /** Why `b` can't be applied to this table (it was packed against another one), or null. */
  stepProblem(b: PackedBatch): string | null {
    if (b.endpointBase !== 0 && b.endpointBase !== this.table.length)
      return `endpoint table out of step: the batch adds at ${b.endpointBase}, this connection holds ${this.table.length}`;
    if (b.endpointBase + b.endpoints.length > MAX_CONNECTION_ENDPOINTS)
      return `the endpoint table would pass ${MAX_CONNECTION_ENDPOINTS} entries: start a new one`;
    return null;
  }

  /** Applies `b` (in step: `stepProblem` said null) and returns it resolved. */
  resolve(b: PackedBatch): PackedBatch {
    if (b.endpointBase === 0) this.table = b.endpoints;
    else for (const e of b.endpoints) this.table.push(e);
    // Field by field: what is kept for later is only what the protocol describes.
    return {
      type: 'batch',
      seq: b.seq,
      start: b.start,
      end: b.end,
      endpointBase: 0,
      endpoints: this.table,
      flows: b.flows,
      drops: b.drops,
      tcp: b.tcp,
      tcpStats: b.tcpStats,
      dns: b.dns,
      lost: b.lost,
    };
  }
}
