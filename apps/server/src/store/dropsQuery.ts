import {
  type DropPair,
  type DropsResponse,
  endpointLabel,
  type FilterState,
  type TimeWindow,
} from '@weft/protocol';
import { EdgeBucket } from './edgeBucket.js';
import { pairMatcher } from './match.js';
import type { Store } from './store.js';
import { StoreRead } from './storeRead.js';

const TOP_PAIRS = 20;

/** Drops over the window: by reason, by direction, and the pod pairs dropping most. */
export function queryDrops(store: Store, f: FilterState, asked: TimeWindow): DropsResponse {
  const match = pairMatcher(f);
  const read = new StoreRead(store);
  const win = read.window(asked);
  const byReason = new Map<string, { packets: number; bytes: number }>();
  const byDirection = new Map<string, number>();
  const pairs = new Map<string, DropPair>();
  let packets = 0;
  let bytes = 0;
  for (const s of store.edges.values()) {
    if (s.lastSeen < win.start - 120_000) continue;
    if (!match(s.client, s.server, s.proto, s.port)) continue;
    const sum = new EdgeBucket(0);
    read.visit(s, win, (b) => {
      if (b.drops) sum.merge(b);
    });
    if (!sum.drops) continue;
    for (const c of sum.drops.values()) {
      if (f.reason && c.reason !== f.reason) continue;
      packets += c.packets;
      bytes += c.bytes;
      const r = byReason.get(c.reason) ?? { packets: 0, bytes: 0 };
      r.packets += c.packets;
      r.bytes += c.bytes;
      byReason.set(c.reason, r);
      byDirection.set(c.dir, (byDirection.get(c.dir) ?? 0) + c.packets);
      const source = endpointLabel(s.client);
      const destination = endpointLabel(s.server);
      const key = `${source}\u001f${destination}\u001f${c.reason}\u001f${c.dir}`;
      const p = pairs.get(key);
      if (p) {
        p.packets += c.packets;
        p.bytes += c.bytes;
      } else
        pairs.set(key, {
          source,
          destination,
          reason: c.reason,
          direction: c.dir,
          packets: c.packets,
          bytes: c.bytes,
        });
    }
  }
  return {
    start: win.start,
    end: win.end,
    packets,
    bytes,
    byReason: [...byReason.entries()]
      .map(([reason, v]) => ({ reason, ...v }))
      .sort((a, b) => b.packets - a.packets || (a.reason < b.reason ? -1 : 1)),
    byDirection: [...byDirection.entries()]
      .map(([direction, n]) => ({ direction, packets: n }))
      .sort((a, b) => b.packets - a.packets),
    topPairs: [...pairs.values()].sort((a, b) => b.packets - a.packets).slice(0, TOP_PAIRS),
  };
}
