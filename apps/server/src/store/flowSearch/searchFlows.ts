import {
  type Endpoint,
  encodeFlowCursor,
  type FilterState,
  type FlowRow,
  type FlowSearch,
  type FlowsResponse,
  L4_PROTOS,
  type PackedBatch,
  type TimeWindow,
} from '@weft/protocol';
import type { FlowRing, FlowRingEntry } from '../flowRing.js';
import { count } from '../saturate.js';
import { FlowMatcher } from './flowMatcher.js';
import { TopRows } from './topRows.js';

/**
 * Every row the ring holds in the window that matches, counted (`total`), and one page of them in the
 * search's order: by time (the record's), bytes or packets, newest or largest first, ties by seq. The
 * page starts after `cursor` (the previous page's last row), so paging stays exact while rows arrive:
 * a new row sorts by its key and its seq (larger than any held), never into a page already read unless
 * it belongs before it. `after` keeps only rows that arrived after that seq (following).
 *
 * One pass over the ring without making rows: a packed batch's columns are read in place, an endpoint's
 * tests are done once per endpoint table entry, and only the page's rows are made at the end.
 */
export function searchFlows(ring: FlowRing, f: FilterState, s: FlowSearch, win: TimeWindow): FlowsResponse {
  const m = new FlowMatcher(f, s);
  const top = new TopRows(s.limit);
  const cursor = s.cursor;
  const ck = cursor ? cursor.key : 0;
  const cs = cursor ? cursor.seq : 0;
  const sortBy = s.sort;
  let total = 0;
  let pastCursor = 0;

  // Per source: what the loop needs of its entry, worked out when the source changes.
  let last: FlowRingEntry | undefined;
  let batch: PackedBatch | undefined;
  let bits: Int32Array | undefined;
  const tableBits = new WeakMap<readonly Endpoint[], Int32Array>();
  const rowBits = new Map<Endpoint, number>();
  const bitsOf = (e: Endpoint): number => {
    let b = rowBits.get(e);
    if (b === undefined) {
      b = m.endpointBits(e);
      rowBits.set(e, b);
    }
    return b;
  };

  const visit = (entry: FlowRingEntry, node: string | undefined, i: number, seq: number): boolean => {
    let key: number;
    if (node !== undefined) {
      if (entry !== last) {
        last = entry;
        batch = entry as PackedBatch;
        if (!m.endpointFree) {
          bits = tableBits.get(batch.endpoints);
          if (bits === undefined || bits.length < batch.endpoints.length) {
            // Zero is "not worked out yet": bits are stored plus one.
            const grown = new Int32Array(batch.endpoints.length);
            if (bits) grown.set(bits);
            bits = grown;
            tableBits.set(batch.endpoints, bits);
          }
        }
      }
      const c = batch!.flows;
      const ts = c.ts[i]!;
      if (ts < win.start || ts >= win.end) return true;
      // A packed row is a forwarded one with no reason.
      if (m.verdict === 'dropped' || m.reason !== '') return true;
      if (m.protoCode >= 0 && c.proto[i] !== m.protoCode) return true;
      if (m.dirCode >= 0 && c.dir[i] !== m.dirCode) return true;
      if (m.flags !== 0 && (c.tcpFlags[i]! & m.flags) !== m.flags) return true;
      let a = 0;
      let b = 0;
      if (!m.endpointFree) {
        const si = c.src[i]!;
        const di = c.dst[i]!;
        a = bits![si]! - 1;
        if (a < 0) {
          a = m.endpointBits(batch!.endpoints[si]!);
          bits![si] = a + 1;
        }
        b = bits![di]! - 1;
        if (b < 0) {
          b = m.endpointBits(batch!.endpoints[di]!);
          bits![di] = b + 1;
        }
      }
      if (!m.rowMatches(a, b, c.sport[i]!, c.dport[i]!, node, L4_PROTOS[c.proto[i]!]!, 'forwarded', ''))
        return true;
      key = sortBy === 'time' ? ts : sortBy === 'bytes' ? count(c.bytes[i]!) : count(c.packets[i]!);
    } else {
      const r = Array.isArray(entry) ? entry[i]! : (entry as FlowRow);
      if (r.ts < win.start || r.ts >= win.end) return true;
      if (m.verdict && r.verdict !== m.verdict) return true;
      if (m.reason && r.reason !== m.reason) return true;
      if (m.proto && r.proto !== m.proto) return true;
      if (m.dir && r.dir !== m.dir) return true;
      if (m.flags !== 0 && (r.tcpFlags & m.flags) !== m.flags) return true;
      const a = m.endpointFree ? 0 : bitsOf(r.src);
      const b = m.endpointFree ? 0 : bitsOf(r.dst);
      if (!m.rowMatches(a, b, r.sport, r.dport, r.node, r.proto, r.verdict, r.reason)) return true;
      key = sortBy === 'time' ? r.ts : sortBy === 'bytes' ? r.bytes : r.packets;
    }
    total++;
    if (cursor && (key > ck || (key === ck && seq >= cs))) return true;
    pastCursor++;
    top.offer(key, seq);
    return true;
  };
  ring.scanNewest(ring.head, s.after === null ? ring.tail : s.after + 1, visit);

  const page = top.sorted();
  const flows: FlowRow[] = [];
  for (const { seq } of page) flows.push({ ...ring.rowAt(seq)!, seq });
  const lastRow = page[page.length - 1];
  return {
    flows,
    total,
    start: win.start,
    end: win.end,
    ...(pastCursor > page.length && lastRow
      ? { next: encodeFlowCursor({ sort: sortBy, key: lastRow.key, seq: lastRow.seq }) }
      : {}),
    head: ring.head,
  };
}
