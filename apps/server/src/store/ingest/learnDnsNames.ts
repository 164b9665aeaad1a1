import { boundedName } from '../boundedName.js';
import type { BatchContext } from './batchContext.js';

/**
 * What the batch's DNS records teach the name index: it comes before the batch's flows, which are of
 * the same interval (a query's own, and the connections its answer leads to). Names learned longest
 * ago that have expired by the batch's start go first.
 */
export function learnDnsNames(ctx: BatchContext): void {
  const { batch, endpoints, names, oldest, newest } = ctx;
  // (a collector's clock ahead of the server's forgets nothing early)
  names.expire(Math.min(batch.start, ctx.now));
  for (const q of batch.dns) {
    if (q.ts < oldest || q.ts > newest) continue;
    names.learn({
      ts: q.ts,
      client: endpoints[q.client]!.ip,
      cport: q.cport,
      server: endpoints[q.server]!.ip,
      qname: boundedName(q.qname),
      qtype: q.qtype,
      rcode: q.rcode,
      addrs: q.addrs,
    });
  }
}
