import type { IngestHello } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { CollectorRegistry } from './collectorRegistry.js';

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
});
