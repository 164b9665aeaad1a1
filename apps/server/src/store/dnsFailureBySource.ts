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

/**
 * Per graph node among `sources` (ids at `level`): the failing DNS answer its clients got most often
 * over `win` (qname and response code, ties by name), from the store's per-client DNS series. Only the
 * clients that roll up to one of `sources` are summed, so a graph with one DNS-failing edge reads one
 * or a few series.
 */
export function dnsFailureBySource(
  store: Store,
  level: Level,
  sources: ReadonlySet<string>,
  win: TimeWindow,
): Map<string, DnsFailure> {
  const out = new Map<string, DnsFailure>();
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
    if (!sum.failing) continue;
    let best: DnsFailure | null = null;
    for (const [key, count] of sum.failing) {
      const i = key.lastIndexOf('\u001f');
      const qname = key.slice(0, i);
      if (!best || count > best.count || (count === best.count && qname < best.qname))
        best = { qname, rcode: key.slice(i + 1), count };
    }
    if (best) out.set(id, best);
  }
  return out;
}
