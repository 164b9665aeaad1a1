import type { Level, TimeWindow } from '@weft/protocol';
import { DnsBucket } from './dnsBucket.js';
import { levelNode } from './levelNode.js';
import type { Store } from './store.js';
import { StoreRead } from './storeRead.js';

export interface DnsFailure {
  qname: string;
  rcode: string;
  count: number;
}

/** How a graph node's DNS lookups went over a window, from its clients' DNS series. */
export interface DnsHealth {
  /** The failing answer its clients got most often (qname and response code, ties by name), or null. */
  failure: DnsFailure | null;
  /** The 95th percentile of its answers' times (ms; timeouts have none), or null without answers. */
  p95Ms: number | null;
}

/**
 * Per graph node among `sources` (ids at `level`): its DNS health over `win` (DnsHealth), from the
 * store's per-client DNS series. Only the clients that roll up to one of `sources` are summed, so a graph
 * with a few DNS edges reads a few series.
 */
export function dnsHealthBySource(
  store: Store,
  level: Level,
  sources: ReadonlySet<string>,
  win: TimeWindow,
): Map<string, DnsHealth> {
  const out = new Map<string, DnsHealth>();
  if (sources.size === 0) return out;
  const read = new StoreRead(store);
  const bySource = new Map<string, DnsBucket>();
  for (const s of store.dns.values()) {
    if (s.lastSeen < win.start - 120_000) continue;
    const id = levelNode(s.client, level).id;
    if (!sources.has(id)) continue;
    let sum = bySource.get(id);
    if (!sum) {
      sum = new DnsBucket(0);
      bySource.set(id, sum);
    }
    read.dnsSum(s, win, sum);
  }
  for (const [id, sum] of bySource) {
    let failure: DnsFailure | null = null;
    for (const [key, count] of sum.failing ?? []) {
      const i = key.lastIndexOf('\u001f');
      const qname = key.slice(0, i);
      if (!failure || count > failure.count || (count === failure.count && qname < failure.qname))
        failure = { qname, rcode: key.slice(i + 1), count };
    }
    const p95Us = sum.latency.quantile(0.95);
    out.set(id, { failure, p95Ms: p95Us === null ? null : p95Us / 1000 });
  }
  return out;
}
