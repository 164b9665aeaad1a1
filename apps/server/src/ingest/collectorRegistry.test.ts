import { IngestCloseCode, type IngestHello, StatusResponse } from '@weft/protocol';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import {
  CollectorRegistry,
  INGEST_STALE_MS,
  MAX_DISCONNECTED_BYTES,
  MAX_KEPT_HOOK_CHARS,
  MAX_KEPT_HOOKS,
} from './collectorRegistry.js';

const hello = (node: string, boot = `${node}-boot`): IngestHello => ({
  type: 'hello',
  protocol: 2,
  node,
  boot,
  collectorVersion: 'test',
  hooks: [],
  simulated: false,
});

describe('CollectorRegistry.caughtUp', () => {
  it('is true only once every connected collector has delivered a batch ending at or after the time', () => {
    const r = new CollectorRegistry();
    let batches = 0;
    r.onBatch = () => batches++;
    r.connect(hello('a'), 0);
    r.connect(hello('b'), 0);
    expect(r.caughtUp(1_000)).toBe(false);
    r.batch('a', 1_003, 0, 1_010);
    expect(r.caughtUp(1_000)).toBe(false);
    r.batch('b', 999, 0, 1_020);
    expect(r.caughtUp(1_000)).toBe(false);
    r.batch('b', 1_001, 0, 1_030);
    expect(r.caughtUp(1_000)).toBe(true);
    expect(r.caughtUp(2_000)).toBe(false);
    expect(batches).toBe(3);
  });

  it('does not wait for a collector that disconnected, and a resent older batch does not move it back', () => {
    const r = new CollectorRegistry();
    r.connect(hello('a'), 0);
    r.connect(hello('b'), 0);
    r.batch('a', 2_000, 0, 2_010);
    r.batch('a', 1_000, 0, 2_020);
    expect(r.caughtUp(2_000)).toBe(false);
    r.disconnect('b', 'b-boot', 2_030);
    expect(r.caughtUp(2_000)).toBe(true);
  });

  it('leaves out, when asked, the collectors whose newest batch ends before a time (or that sent none)', () => {
    const r = new CollectorRegistry();
    r.connect(hello('a'), 0);
    r.connect(hello('b'), 0);
    r.connect(hello('c'), 0);
    r.batch('a', 5_004, 0, 5_010);
    r.batch('b', 2_009, 0, 2_010);
    expect(r.caughtUp(5_000)).toBe(false);
    expect(r.caughtUp(5_000, 3_000)).toBe(true);
    expect(r.caughtUp(5_000, 2_000)).toBe(false);
    expect(r.caughtUp(6_000, 3_000)).toBe(false);
  });
});

/** A connection as the registry sees it: what it was closed with, if it was. */
function conn() {
  const c = { closedWith: null as null | { code: number; reason: string } };
  return { ...c, close: (code: number, reason: string) => (c.closedWith = { code, reason }), c };
}

describe('CollectorRegistry identity', () => {
  it('lets one live connection stream for a node, and replaces it only once it has gone silent', () => {
    const r = new CollectorRegistry();
    const first = conn();
    expect(r.connect(hello('a'), 0, first)).toEqual({ ok: true, lastSeq: -1 });
    // Another process, or the same boot again (boots are public in /api/v1/status): refused while live.
    for (const h of [hello('a', 'other-boot'), hello('a')])
      expect(r.connect(h, 1_000, conn())).toEqual({
        ok: false,
        code: IngestCloseCode.identityConflict,
        reason: 'node a streams from another live connection',
      });
    r.heard('a', INGEST_STALE_MS, first);
    expect(r.connect(hello('a'), INGEST_STALE_MS + 1_000, conn()).ok).toBe(false);
    expect(r.refused).toBe(3);
    expect(first.c.closedWith).toBeNull();
    // A half-open connection: nothing heard on it for INGEST_STALE_MS, the collector comes back.
    r.batch('a', 1_000, 0, 1_000, 7);
    const second = conn();
    expect(r.connect(hello('a'), 2 * INGEST_STALE_MS, second)).toEqual({ ok: true, lastSeq: 7 });
    expect(first.c.closedWith).toEqual({
      code: IngestCloseCode.replaced,
      reason: 'replaced by a new connection for this node',
    });
    expect(r.replaced).toBe(1);
    // The replaced connection closing does not disconnect the node.
    r.disconnect('a', 'a-boot', 2 * INGEST_STALE_MS, first);
    expect([...r.observedNodes()]).toEqual(['a']);
    r.disconnect('a', 'a-boot', 2 * INGEST_STALE_MS, second);
    expect([...r.observedNodes()]).toEqual([]);
  });

  it('keeps a node live only for what arrives on its own connection', () => {
    const r = new CollectorRegistry();
    const owner = conn();
    r.connect(hello('a'), 0, owner);
    r.heard('a', INGEST_STALE_MS - 1, conn());
    expect(r.connect(hello('a'), INGEST_STALE_MS, conn()).ok).toBe(true);
    expect(owner.c.closedWith?.code).toBe(IngestCloseCode.replaced);
    expect(r.owns('a', 'a-boot', owner)).toBe(false);
  });

  it("refuses a boot another node announced, connected or not, and a forged sequence number's jump", () => {
    const r = new CollectorRegistry();
    const a = conn();
    r.connect(hello('a'), 0, a);
    r.batch('a', 1_000, 0, 1_000, 41);
    expect(r.connect(hello('b', 'a-boot'), 1_000, conn())).toEqual({
      ok: false,
      code: IngestCloseCode.identityConflict,
      reason: 'boot a-boot was announced by another node',
    });
    r.disconnect('a', 'a-boot', 2_000, a);
    expect(r.connect(hello('b', 'a-boot'), 3_000, conn()).ok).toBe(false);
    // While a is away, a client holding the token says it is a, with a's boot, and sends 2^53-1.
    const forger = conn();
    expect(r.connect(hello('a'), 3_000, forger)).toEqual({ ok: true, lastSeq: 41 });
    expect(r.sequence('a', Number.MAX_SAFE_INTEGER, 2_000, 3_000)).toBe('implausible');
    expect(r.sequence('a', 42, 2_000, 3_000)).toBe('new');
    expect(r.sequence('a', 41, 1_000, 3_000)).toBe('duplicate');
    // A new boot of a node starts its own numbers.
    r.disconnect('a', 'a-boot', 4_000, forger);
    expect(r.connect(hello('a', 'a-boot-2'), 5_000)).toEqual({ ok: true, lastSeq: -1 });
    expect(r.connect(hello('c', 'a-boot'), 5_000).ok).toBe(true);
  });
});

describe('CollectorRegistry bounds', () => {
  const checkStatus = Compile(StatusResponse);
  const status = (r: CollectorRegistry) => ({
    version: 'v',
    uptimeS: 1,
    simulated: false,
    rateWindowS: 10,
    collectors: r.list(),
  });

  it('keeps the hooks of a collector and the disconnected collectors within bytes, and its status valid', () => {
    const r = new CollectorRegistry();
    const live = conn();
    r.connect(hello('live'), 0, live);
    const hooks = Array.from({ length: 4096 }, (_, i) => `tc:${'v'.repeat(120)}${i}`);
    for (let i = 0; i < 1_100; i++) {
      const h = { ...hello(`node-${i}`), hooks };
      const c = conn();
      expect(r.connect(h, i, c).ok).toBe(true);
      r.disconnect(h.node, h.boot, i, c);
    }
    const list = r.list();
    expect(r.disconnectedSize).toBeLessThanOrEqual(MAX_DISCONNECTED_BYTES);
    expect(r.evicted).toBe(1_100 - (list.length - 1));
    expect(list.length).toBeGreaterThan(10);
    // Forgotten oldest first; the connected one is never forgotten.
    expect(list.some((s) => s.node === 'live')).toBe(true);
    expect(list.some((s) => s.node === 'node-1099')).toBe(true);
    expect(list.some((s) => s.node === 'node-0')).toBe(false);
    for (const s of list.filter((s) => s.node !== 'live')) {
      expect(s.hooks.length).toBeLessThanOrEqual(MAX_KEPT_HOOKS);
      expect(s.hooks.join('').length).toBeLessThanOrEqual(MAX_KEPT_HOOK_CHARS);
      expect(s.hooksTotal).toBe(4096);
    }
    expect(JSON.stringify(status(r)).length).toBeLessThan(2 * MAX_DISCONNECTED_BYTES);
    expect(checkStatus.Check(status(r))).toBe(true);
    // A forgotten node's boot can be announced again, by it or another.
    expect(r.connect(hello('x', 'node-0-boot'), 2_000).ok).toBe(true);
  });

  it('keeps its counters integers whatever a batch reports lost', () => {
    const r = new CollectorRegistry();
    r.connect(hello('a'), 0);
    for (let i = 0; i < 3; i++) r.batch('a', 1_000, 1e308, 1_000, i);
    expect(r.list()[0]?.recordsLost).toBe(Number.MAX_SAFE_INTEGER);
    expect(checkStatus.Check(status(r))).toBe(true);
  });
});
