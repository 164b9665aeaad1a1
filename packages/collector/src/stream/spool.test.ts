import { type FlowRecord, packBatch, worldEndpoint } from '@weft/protocol/core';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';
import { batchParts } from './batchParts.js';
import { Spool } from './spool.js';

const content = { start: 0, end: 1, flows: [], drops: [], tcp: [], tcpStats: [], dns: [], lost: 0 };
const entry = (seq: number, createdAt: number, records = 10, bytes = 100) => ({
  seq,
  content,
  records,
  bytes,
  createdAt,
});

describe('Spool', () => {
  it('keeps batches until acknowledged, in order', () => {
    const s = new Spool({ maxAgeMs: 60_000, maxBytes: 1e9 });
    for (let i = 0; i < 5; i++) s.push(entry(i, 1000));
    expect(s.after(-1)?.seq).toBe(0);
    expect(s.ack(2)).toBe(true);
    expect(s.ack(2)).toBe(false);
    expect(s.after(1)?.seq).toBe(3);
    expect(s.ackThrough(3)).toBe(3);
    expect(s.size).toBe(1);
    expect(s.after(-1)?.seq).toBe(4);
    expect(s.bytes).toBe(100);
  });

  it('gives up batches older than the age bound and counts their records', () => {
    const s = new Spool({ maxAgeMs: 60_000, maxBytes: 1e9 });
    s.push(entry(0, 0, 7));
    s.push(entry(1, 30_000, 5));
    expect(s.push(entry(2, 60_001, 1))).toBe(7);
    expect(s.expire(90_001)).toBe(5);
    expect(s.size).toBe(1);
  });

  it('gives up the oldest batches beyond the byte bound, but never the newest', () => {
    const s = new Spool({ maxAgeMs: 60_000, maxBytes: 250 });
    s.push(entry(0, 0, 1));
    s.push(entry(1, 0, 2));
    expect(s.push(entry(2, 0, 3))).toBe(1);
    expect(s.push(entry(3, 0, 4, 1000))).toBe(5);
    expect(s.size).toBe(1);
    expect(s.remove(3)).toBe(4);
    expect(s.bytes).toBe(0);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with jitter', () => {
    const o = { initialMs: 100, maxMs: 5000 };
    expect(backoffDelay(0, o, () => 0.999)).toBeLessThanOrEqual(100);
    expect(backoffDelay(3, o, () => 0.999)).toBe(799);
    expect(backoffDelay(20, o, () => 0.999)).toBe(4995);
    expect(backoffDelay(20, o, () => 0)).toBe(50);
  });
});

describe('batchParts', () => {
  it('splits an interval too large for one frame into consecutive sequence numbers', () => {
    let seq = 10;
    // Each record its own endpoints, so a half's endpoint table grows with it.
    const flows: FlowRecord[] = Array.from({ length: 100 }, (_, i) => ({
      ts: 2,
      src: worldEndpoint(`198.51.100.${i}`),
      dst: worldEndpoint(`203.0.113.${i}`),
      sport: 40_000 + i,
      dport: 443,
      proto: 'tcp',
      dir: 'egress',
      bytes: i,
      packets: 1,
      tcpFlags: 0,
    }));
    const parts = batchParts(
      { start: 1, end: 2, flows, drops: [], tcp: [], tcpStats: [], dns: [], lost: 3 },
      () => seq++,
      3000,
    );
    expect(parts.length).toBeGreaterThan(4);
    expect(parts.map((p) => p.seq)).toEqual(parts.map((_, i) => 10 + i));
    expect(parts.reduce((a, p) => a + p.records, 0)).toBe(100);
    expect(parts.reduce((a, p) => a + p.content.lost, 0)).toBe(3);
    expect(parts.flatMap((p) => p.content.flows)).toEqual(flows);
    for (const p of parts) {
      expect(p.bytes).toBeLessThanOrEqual(3000);
      // The size is the part's own, packed on its own, in bytes.
      expect(p.bytes).toBe(
        Buffer.byteLength(JSON.stringify(packBatch({ type: 'batch', seq: 0, ...p.content }))),
      );
    }
  });
});
