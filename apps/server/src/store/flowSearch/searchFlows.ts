import {
  type Endpoint,
  encodeFlowCursor,
  type FilterState,
  type FlowRow,
  type FlowSearch,
  type FlowsResponse,
  flowDnsMatches,
  L4_PROTOS,
  type PackedBatch,
  type TimeWindow,
} from '@weft/protocol';
import type { FlowRing } from '../flowRing.js';
import { count } from '../saturate.js';
import { FlowMatcher } from './flowMatcher.js';
import { type ConnectionGroup, connectionGroups, mergedRow } from './mergeConnections.js';
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
  const ck = cursor ? cursor.key : Number.POSITIVE_INFINITY;
  const cs = cursor ? cursor.seq : 0;
  const sortBy = s.sort === 'time' ? 0 : s.sort === 'bytes' ? 1 : 2;
  const { start, end } = win;
  const free = m.endpointFree;
  // Free text in a protocol's name, by its column code (worked out once).
  const protoText = L4_PROTOS.map((p) => m.textIn(p));
  const forwardedText = m.textIn('forwarded');
  let total = 0;
  let pastCursor = 0;

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
  const protoCode = m.protoCode;
  const dirCode = m.dirCode;
  const flags = m.flags;
  const rowFree = m.rowFree;
  const port = m.port ?? -1;
  // Merging connections: the matches are gathered, then grouped and ordered (mergeConnections.ts).
  const matched: number[] | null = s.merge === 'connection' ? [] : null;

  const { source, index, names, entries, nodes } = ring.slots();
  // The DNS filter by name id, each name tested once (0: not yet, 1: no, 2: yes).
  const dns = s.dns;
  const dnsHit = new Uint8Array(dns ? ring.names.idLimit : 0);
  const named = (id: number): boolean => {
    if (id === 0) return false;
    let h = dnsHit[id]!;
    if (h === 0) {
      h = flowDnsMatches(ring.names.get(id)!.name, dns) ? 2 : 1;
      dnsHit[id] = h;
    }
    return h === 2;
  };
  // Free text in a row's DNS name, by name id, likewise.
  const textHit = new Uint8Array(m.hasText ? ring.names.idLimit : 0);
  const nameText = (id: number): boolean => {
    if (id === 0 || textHit.length === 0) return false;
    let h = textHit[id]!;
    if (h === 0) {
      h = m.textIn(ring.names.get(id)!.name) ? 2 : 1;
      textHit[id] = h;
    }
    return h === 2;
  };
  const cap = ring.capacity;
  const lo = s.after === null ? ring.tail : Math.max(ring.tail, s.after + 1);
  let seq = ring.head;
  // A run at a time: the slots of one source (consecutive), each read with that source's columns.
  while (seq >= lo) {
    const src = source[seq % cap]!;
    const entry = entries[src]!;
    const node = nodes[src];
    if (node !== undefined) {
      const batch = entry as PackedBatch;
      const c = batch.flows;
      // A packed row is a forwarded one with no reason.
      const skip = m.verdict === 'dropped' || m.reason !== '';
      const nodeText = forwardedText || m.textIn(node);
      let bits: Int32Array | undefined;
      if (!free && !skip) {
        bits = tableBits.get(batch.endpoints);
        if (bits === undefined || bits.length < batch.endpoints.length) {
          // Zero is "not worked out yet": bits are kept plus one.
          const grown = new Int32Array(batch.endpoints.length);
          if (bits) grown.set(bits);
          bits = grown;
          tableBits.set(batch.endpoints, bits);
        }
      }
      // The slot walks down with seq (no division per row).
      for (let at = seq % cap; seq >= lo; seq--, at = at === 0 ? cap - 1 : at - 1) {
        if (source[at] !== src) break;
        if (skip) continue;
        if (dns && !named(names[at]!)) continue;
        const i = index[at]!;
        const ts = c.ts[i]!;
        if (ts < start || ts >= end) continue;
        const proto = c.proto[i]!;
        if (protoCode >= 0 && proto !== protoCode) continue;
        if (dirCode >= 0 && c.dir[i] !== dirCode) continue;
        if (flags !== 0 && (c.tcpFlags[i]! & flags) !== flags) continue;
        // The port before the endpoints: a number against two table lookups.
        if (port >= 0 && c.sport[i] !== port && c.dport[i] !== port) continue;
        let a = 0;
        let b = 0;
        if (bits !== undefined) {
          const si = c.src[i]!;
          const di = c.dst[i]!;
          a = bits[si]! - 1;
          if (a < 0) {
            a = m.endpointBits(batch.endpoints[si]!);
            bits[si] = a + 1;
          }
          b = bits[di]! - 1;
          if (b < 0) {
            b = m.endpointBits(batch.endpoints[di]!);
            bits[di] = b + 1;
          }
        }
        if (
          !rowFree &&
          !m.rowMatches(
            a,
            b,
            c.sport[i]!,
            c.dport[i]!,
            node,
            nodeText || protoText[proto]! || nameText(names[at]!),
          )
        )
          continue;
        if (matched) {
          matched.push(seq);
          continue;
        }
        total++;
        const key = sortBy === 0 ? ts : sortBy === 1 ? count(c.bytes[i]!) : count(c.packets[i]!);
        // Past the cursor (before it in the order: a page already read), and then among the page's.
        if (key > ck || (key === ck && seq >= cs)) continue;
        pastCursor++;
        if (key > top.floorKey || (key === top.floorKey && seq > top.floorSeq)) top.offer(key, seq);
      }
    } else {
      for (let at = seq % cap; seq >= lo; seq--, at = at === 0 ? cap - 1 : at - 1) {
        if (source[at] !== src) break;
        const r = Array.isArray(entry) ? entry[index[at]!]! : (entry as FlowRow);
        if (r.ts < start || r.ts >= end) continue;
        if (dns && !named(names[at]!)) continue;
        if (m.verdict && r.verdict !== m.verdict) continue;
        if (m.reason && r.reason !== m.reason) continue;
        if (m.proto && r.proto !== m.proto) continue;
        if (m.dir && r.dir !== m.dir) continue;
        if (m.flags !== 0 && (r.tcpFlags & m.flags) !== m.flags) continue;
        const a = free ? 0 : bitsOf(r.src);
        const b = free ? 0 : bitsOf(r.dst);
        const text =
          m.textIn(r.verdict) ||
          m.textIn(r.reason) ||
          m.textIn(r.node) ||
          m.textIn(r.proto) ||
          nameText(names[at]!);
        if (!m.rowMatches(a, b, r.sport, r.dport, r.node, text)) continue;
        if (matched) {
          matched.push(seq);
          continue;
        }
        total++;
        const key = sortBy === 0 ? r.ts : sortBy === 1 ? r.bytes : r.packets;
        if (key > ck || (key === ck && seq >= cs)) continue;
        pastCursor++;
        if (key > top.floorKey || (key === top.floorKey && seq > top.floorSeq)) top.offer(key, seq);
      }
    }
  }

  // Merged: each group's figures order it; only the page's groups are made into rows.
  const groups = new Map<number, ConnectionGroup>();
  if (matched) {
    for (const g of connectionGroups(ring, matched)) {
      groups.set(g.seq, g);
      total++;
      const key = sortBy === 0 ? g.ts : sortBy === 1 ? g.bytes : g.packets;
      if (key > ck || (key === ck && g.seq >= cs)) continue;
      pastCursor++;
      if (key > top.floorKey || (key === top.floorKey && g.seq > top.floorSeq)) top.offer(key, g.seq);
    }
  }
  const page = top.sorted();
  const flows: FlowRow[] = [];
  for (const { seq } of page) {
    const g = groups.get(seq);
    flows.push(g ? mergedRow(ring, g) : { ...ring.rowAt(seq)!, seq });
  }
  const lastRow = page[page.length - 1];
  return {
    flows,
    total,
    start,
    end,
    ...(pastCursor > page.length && lastRow
      ? { next: encodeFlowCursor({ sort: s.sort, key: lastRow.key, seq: lastRow.seq }) }
      : {}),
    head: ring.head,
  };
}
