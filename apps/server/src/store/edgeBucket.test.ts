import { describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH, OTHER_NAME } from './boundedName.js';
import { EdgeBucket, MAX_DROP_CELLS } from './edgeBucket.js';

describe('EdgeBucket drops', () => {
  it('keeps at most MAX_DROP_CELLS reasons, folds the rest into (other) and cuts long names', () => {
    const b = new EdgeBucket(0);
    for (let i = 0; i < 10_000; i++) b.addDrop(`reason-${i}-${'x'.repeat(5_000)}`, 'egress', 1, 10);
    expect(b.drops!.size).toBeLessThanOrEqual(MAX_DROP_CELLS + 1);
    let packets = 0;
    for (const c of b.drops!.values()) {
      expect(c.reason.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
      packets += c.packets;
    }
    expect(packets).toBe(10_000);
    expect(b.dropPackets).toBe(10_000);
    expect(b.dropsFor(OTHER_NAME)).toBe(10_000 - MAX_DROP_CELLS);
  });
});
