import { type FlowRow, type IngestBatch, type PackedBatch, packBatch } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { EP, N1, N2 } from '../fixtures/labCluster.js';
import { MemoryShare } from '../memoryBudget.js';
import { FlowRing } from './flowRing.js';

/** A packed batch of `n` flows whose bytes number them (batch * 1000 + record). */
function batch(id: number, n: number): PackedBatch {
  const b: IngestBatch = {
    type: 'batch',
    seq: id,
    start: 0,
    end: 1000,
    flows: Array.from({ length: n }, (_, i) => ({
      ts: 1000,
      src: EP.api1,
      dst: EP.payments,
      sport: 40000,
      dport: 80,
      proto: 'tcp' as const,
      dir: 'egress' as const,
      bytes: id * 1000 + i,
      packets: 1,
      tcpFlags: 0x18,
    })),
    drops: [],
    tcp: [],
    tcpStats: [],
    dns: [],
    lost: 0,
  };
  return packBatch(b);
}

function dropRow(n: number): FlowRow {
  return {
    ts: 1000,
    node: N1,
    src: EP.api1,
    dst: EP.payments,
    sport: 40000,
    dport: 80,
    proto: 'tcp',
    dir: 'egress',
    verdict: 'dropped',
    reason: 'policy_drop',
    bytes: n,
    packets: 1,
    tcpFlags: 0,
  };
}

const newest = (ring: FlowRing) => {
  const rows: [number, string, string][] = [];
  ring.forEachNewest((r) => {
    rows.push([r.bytes, r.node, r.verdict]);
    return true;
  });
  return rows;
};

/** The batches and rows the ring still holds on to. */
const held = (ring: FlowRing) =>
  new Set((ring as unknown as { entries: unknown[] }).entries.filter((e) => e !== undefined));

describe('FlowRing', () => {
  it('reads back the newest rows first, like a list of the last `capacity` pushes', () => {
    let seed = 11;
    const rand = (n: number) => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed % n;
    };
    for (const capacity of [1, 2, 7, 50]) {
      const ring = new FlowRing(capacity);
      const model: { entry: PackedBatch | FlowRow; row: [number, string, string] }[] = [];
      for (let step = 0; step < 60; step++) {
        if (rand(4) === 0) {
          const row = dropRow(step);
          ring.push(row);
          model.push({ entry: row, row: [step, N1, 'dropped'] });
        } else {
          // Runs of one batch, sometimes longer than the ring, from either node.
          const b = batch(step, 1 + rand(capacity * 2));
          const node = rand(2) === 0 ? N1 : N2;
          for (let i = 0; i < b.flows.ts.length; i++) {
            ring.pushFlow(b, i, node);
            model.push({ entry: b, row: [step * 1000 + i, node, 'forwarded'] });
          }
        }
        const kept = model.slice(-capacity);
        expect(newest(ring)).toEqual(kept.map((m) => m.row).reverse());
        expect(ring.size).toBe(kept.length);
        // Exactly the batches and rows some kept slot names: the others can be collected.
        expect(held(ring)).toEqual(new Set(kept.map((m) => m.entry)));
      }
    }
  });

  it('stops early when the visitor says so', () => {
    const ring = new FlowRing(10);
    const b = batch(1, 5);
    for (let i = 0; i < 5; i++) ring.pushFlow(b, i, N1);
    const seen: number[] = [];
    ring.forEachNewest((r) => {
      seen.push(r.bytes);
      return seen.length < 2;
    });
    expect(seen).toEqual([1004, 1003]);
  });
});

describe('FlowRing seq', () => {
  it('names a row by its seq while newer rows push older ones out, copied or evicted', () => {
    const share = new MemoryShare('flows', 40_000);
    const ring = new FlowRing(64, share);
    const bytesAt = new Map<number, number>();
    for (let id = 1; id <= 40; id++) {
      const b = batch(id, 3);
      for (let i = 0; i < 3; i++) {
        ring.pushFlow(b, i, N1);
        bytesAt.set(ring.head, id * 1000 + i);
      }
      if (id % 5 === 0) ring.push({ ...dropRow(id), bytes: -id });
      if (id % 5 === 0) bytesAt.set(ring.head, -id);
      ring.settle();
      // Whatever is held reads the same by seq as by forEachNewest.
      const newest: number[] = [];
      ring.forEachNewest((r) => newest.push(r.bytes) > 0);
      const scanned: number[] = [];
      for (let seq = ring.head; seq >= ring.tail; seq--) scanned.push(seq);
      expect(scanned).toHaveLength(ring.size);
      expect(scanned.map((seq) => ring.rowAt(seq)!.bytes)).toEqual(newest);
      expect(scanned.map((seq) => bytesAt.get(seq))).toEqual(newest);
    }
    expect(ring.tail).toBeGreaterThan(0);
    expect(ring.rowAt(ring.tail - 1)).toBeUndefined();
    expect(ring.rowAt(ring.head + 1)).toBeUndefined();
  });
});

describe('FlowRing memory share', () => {
  /** A packed batch whose table has `endpoints` endpoints (long names) and whose one flow numbers it. */
  function wide(id: number, endpoints: number): PackedBatch {
    const b = batch(id, 1);
    const table = Array.from({ length: endpoints }, (_, i) => ({
      ...EP.api1,
      ip: `10.9.${i >> 8}.${i & 255}`,
      name: `pod-${id}-${i}-${'n'.repeat(200)}`,
    }));
    return { ...b, endpoints: [...b.endpoints, ...table] };
  }

  it('copies the one row out of a batch whose big endpoint table it pinned, and stays in its share', () => {
    const share = new MemoryShare('flows', 1024 * 1024);
    const ring = new FlowRing(1_000, share);
    for (let id = 1; id <= 30; id++) {
      ring.pushFlow(wide(id, 5_000), 0, N1);
      ring.settle();
      expect(share.used).toBeLessThanOrEqual(share.limit);
    }
    const rows: FlowRow[] = [];
    ring.forEachNewest((r) => rows.push(r) > 0);
    // Every batch's row is still there (none evicted), read from copies.
    expect(rows.map((r) => r.bytes)).toEqual(Array.from({ length: 30 }, (_, i) => (30 - i) * 1000));
    expect(share.evicted).toBe(0);
  });

  it('drops the oldest rows, counted, when rows alone are over the share', () => {
    const share = new MemoryShare('flows', 1_000_000);
    const ring = new FlowRing(5_000, share);
    expect(ring.capacity).toBe(5_000);
    for (let id = 1; id <= 20; id++) {
      const b = batch(id, 10);
      for (let i = 0; i < 10; i++) ring.pushFlow(b, i, N1);
      for (let k = 0; k < 140; k++) ring.push(dropRow(id * 1000 + k));
      ring.settle();
      expect(share.used).toBeLessThanOrEqual(share.limit);
    }
    expect(share.evicted).toBeGreaterThan(0);
    expect(ring.size + share.evicted).toBe(20 * 150);
    const rows: FlowRow[] = [];
    ring.forEachNewest((r) => rows.push(r) > 0);
    expect(rows.length).toBe(ring.size);
    // Newest first and whole: the last batch's drop rows from the last down, then its flows.
    expect(rows.slice(0, 2).map((r) => r.bytes)).toEqual([20_139, 20_138]);
    expect(rows.slice(140, 143).map((r) => r.bytes)).toEqual([20_009, 20_008, 20_007]);
    // The ring fills on after evicting and wraps as before.
    for (let id = 21; id <= 9_000; id++) {
      ring.push(dropRow(id));
      ring.settle();
    }
    const after: FlowRow[] = [];
    ring.forEachNewest((r) => after.push(r) > 0);
    expect(after[0]!.bytes).toBe(9_000);
    expect(after.length).toBe(ring.size);
    expect(share.used).toBeLessThanOrEqual(share.limit);
  });
});

describe('FlowRing settle', () => {
  it('looks at each source once in its life, not the whole ring after every batch', () => {
    const share = new MemoryShare('flows', 1_000_000);
    const ring = new FlowRing(5_000, share);
    let pushed = 0;
    // Rows alone over the share: every settle copies nothing and drops the oldest.
    for (let id = 0; id < 20_000; id++) {
      ring.push(dropRow(id));
      pushed++;
      ring.settle();
      expect(share.used).toBeLessThanOrEqual(share.limit);
    }
    expect(share.evicted).toBeGreaterThan(0);
    expect(ring.examined).toBeLessThanOrEqual(pushed);
    // Batches whose rows are copied out still are, once each.
    for (let id = 1; id <= 30; id++) {
      const b = batch(id, 3);
      for (let i = 0; i < 3; i++) ring.pushFlow(b, i, N1);
      pushed++;
      ring.settle();
    }
    expect(ring.examined).toBeLessThanOrEqual(pushed + 30 * 3);
    const rows: FlowRow[] = [];
    ring.forEachNewest((r) => rows.push(r) > 0);
    expect(rows[0]!.bytes).toBe(30_002);
    expect(share.used).toBeLessThanOrEqual(share.limit);
  });
});

describe('FlowRing capacity', () => {
  it('has no more slots than its share can hold rows for, whatever count it was given', () => {
    const share = new MemoryShare('flows', 1_000_000);
    const ring = new FlowRing(5_000_000, share);
    expect(ring.capacity).toBeLessThan(10_000);
    expect(share.used).toBeLessThan(share.limit);
    for (let id = 0; id < 20_000; id++) ring.push(dropRow(id));
    ring.settle();
    expect(ring.size).toBeGreaterThan(0);
    expect(share.used).toBeLessThanOrEqual(share.limit);
  });
});

describe('FlowRing names', () => {
  it('gives each row its name, holds a name while a slot names it, and lets it go when overwritten or evicted', () => {
    const ring = new FlowRing(4);
    const names = ring.names;
    const b = batch(1, 3);
    const api = names.hold({ name: 'api.example.com' });
    ring.pushFlow(b, 0, N1, api);
    ring.pushFlow(b, 1, N1, 0);
    ring.push(dropRow(7), api);
    ring.push({ ...dropRow(8), dns: { name: 'q.example.com', qtype: 'A', rcode: 'NOERROR' } });
    names.release(api); // the caller's own hold: the ring's two slots keep it
    const got: FlowRow[] = [];
    ring.forEachNewest((r) => got.push(r) > 0);
    expect(got.map((r) => r.dns)).toEqual([
      { name: 'q.example.com', qtype: 'A', rcode: 'NOERROR' },
      { name: 'api.example.com' },
      undefined,
      { name: 'api.example.com' },
    ]);
    expect(ring.rowAt(ring.head)?.dns?.name).toBe('q.example.com');
    expect(names.size).toBe(2);
    // four unnamed rows overwrite every slot: no name is held any more
    for (let i = 0; i < 4; i++) ring.pushFlow(b, 2, N2, 0);
    expect(names.size).toBe(0);
    // eviction past the share lets names go too
    const small = new FlowRing(100, new MemoryShare('flows', 100 * 36 + 2000));
    for (let i = 0; i < 100; i++) {
      const id = small.names.hold({ name: `n${i}.example` });
      small.push(dropRow(i), id);
      small.names.release(id);
    }
    expect(small.size).toBeLessThan(100);
    expect(small.names.size).toBe(small.size);
  });
});
