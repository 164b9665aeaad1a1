import { type FlowRow, type IngestBatch, type PackedBatch, packBatch } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { EP, N1, N2 } from '../fixtures/labCluster.js';
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
