import { boundedName } from '../boundedName.js';
import { bucketAt, COARSE_MS, FINE_MS } from '../buckets.js';
import { DNS_ERRORS, DNS_QUERIES } from '../edgeTier.js';
import { count } from '../saturate.js';
import { makeDnsBucket, protoNumber } from '../series.js';
import { type BatchContext, inWindow } from './batchContext.js';

const UDP = protoNumber('udp');

/**
 * The batch's DNS query records: each a query (failed or not) on the client -> resolver series (port
 * 53, which it teaches) and, by name, rcode and latency, on the client's DNS series (a query seen
 * twice, by two nodes' collectors or on two veths of one node, counted once). Returns the records
 * stored.
 */
export function ingestDnsQueries(ctx: BatchContext): number {
  const { batch, node, now, fineFrom, endpoints, interned, dedupe, ports, counters, series } = ctx;
  let stored = 0;
  for (const q of batch.dns) {
    if (!inWindow(ctx, q.ts)) continue;
    const client = endpoints[q.client]!;
    const qname = boundedName(q.qname);
    const rcode = boundedName(q.rcode);
    // The client port and type too: two lookups of one name whose random ids collide, or the A and
    // AAAA of one lookup that drew the same id, are two queries (a record without a port, from an
    // older collector, keys without one).
    const key = `q${client.ip}|${q.cport ?? ''}|${endpoints[q.server]!.ip}|${q.id}|${qname}|${q.qtype}|${rcode}`;
    if (dedupe.isDuplicate(key, node, now, true)) {
      counters.duplicates++;
      continue;
    }
    stored++;
    const server = interned[q.server]!;
    ports.learn(server.id, 53);
    const failed = rcode !== 'NOERROR';
    const s = series.edge(interned[q.client]!, server, 'udp', UDP, 53, now);
    series.edgeBuckets(
      s,
      q.ts,
      (tier, t) => tier.addAt(t, DNS_QUERIES, 1) + (failed ? tier.addAt(t, DNS_ERRORS, 1) : 0),
    );
    const ds = series.dnsClient(client, now);
    const ft = Math.floor(q.ts / FINE_MS) * FINE_MS;
    const ct = Math.floor(q.ts / COARSE_MS) * COARSE_MS;
    const latency = count(q.latencyUs);
    let fineMade = 0;
    if (ft >= fineFrom) {
      const [fb, fnew] = bucketAt(ds.fine.items, ft, makeDnsBucket);
      if (fnew) fineMade = 1;
      fb.add(qname, rcode, latency);
    }
    const [cb, cnew] = bucketAt(ds.coarse.items, ct, makeDnsBucket);
    cb.add(qname, rcode, latency);
    if (fineMade + (cnew ? 1 : 0) > 0) series.dnsBucketsMade(fineMade, cnew ? 1 : 0);
  }
  return stored;
}
