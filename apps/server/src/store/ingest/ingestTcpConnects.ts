import { CONNECTS, FAILURES } from '../edgeTier.js';
import { count } from '../saturate.js';
import { protoNumber } from '../series.js';
import { type BatchContext, inWindow } from './batchContext.js';

const TCP = protoNumber('tcp');

/**
 * The batch's TCP connect records: each a connect (failed or not, with its latency and cause) on its
 * client -> server series, whose server port it teaches (a connect seen by two nodes' collectors on
 * one kernel counted once). Returns the records stored.
 */
export function ingestTcpConnects(ctx: BatchContext): number {
  const { batch, node, now, endpoints, interned, dedupe, ports, counters, series } = ctx;
  let stored = 0;
  for (const c of batch.tcp) {
    if (!inWindow(ctx, c.ts)) continue;
    const key = `c${endpoints[c.src]!.ip}|${c.sport}|${endpoints[c.dst]!.ip}|${c.dport}|${c.outcome}`;
    if (dedupe.isDuplicate(key, node, now)) {
      counters.duplicates++;
      continue;
    }
    stored++;
    const dst = interned[c.dst]!;
    ports.learn(dst.id, c.dport);
    const s = series.edge(interned[c.src]!, dst, 'tcp', TCP, c.dport, now);
    s.detail = true;
    const connected = c.outcome === 'ok';
    const latencyUs = c.latencyUs === undefined ? undefined : count(c.latencyUs);
    series.edgeBuckets(s, c.ts, (tier, t) => {
      if (!connected || latencyUs !== undefined) tier.detailFor(t).addConnect(connected, latencyUs, c.cause);
      return tier.addAt(t, CONNECTS, 1) + (connected ? 0 : tier.addAt(t, FAILURES, 1));
    });
  }
  return stored;
}
