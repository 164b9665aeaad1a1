import { describe, expect, it } from 'vitest';
import { BYTES, EdgeTier } from './edgeTier.js';
import { TierArena } from './tierArena.js';

describe('TierArena', () => {
  it('hands out zeroed regions of one chunk next to each other, and reuses freed ones zeroed', () => {
    const arena = new TierArena();
    const a = arena.alloc(12);
    const chunk = arena.chunk;
    const b = arena.alloc(12);
    expect(arena.chunk).toBe(chunk);
    expect(b).toBe(a + 12);
    chunk.fill(7, a, a + 12);
    arena.free(chunk, a, 12);
    expect(arena.alloc(12)).toBe(a);
    expect([...chunk.subarray(a, a + 12)]).toEqual(new Array(12).fill(0));
  });

  it('gives a chunk back once all its regions are freed', () => {
    const arena = new TierArena();
    const first = Array.from({ length: 16 }, () => arena.alloc(100));
    const chunk = arena.chunk;
    const second = arena.alloc(100);
    expect(arena.chunk).not.toBe(chunk);
    expect(arena.usage().chunks).toBe(2);
    for (const base of first) arena.free(chunk, base, 100);
    expect(arena.usage().chunks).toBe(1);
    // The freed regions of the released chunk are not handed out again.
    const third = arena.alloc(100);
    expect(arena.chunk).not.toBe(chunk);
    expect(third).toBe(second + 100);
  });

  it('gives a region too large to share a chunk its own, released when freed', () => {
    const arena = new TierArena();
    const base = arena.alloc(1 << 16);
    expect(base).toBe(0);
    expect(arena.usage()).toEqual({ chunks: 1, numbers: 1 << 16 });
    arena.free(arena.chunk, base, 1 << 16);
    expect(arena.usage().chunks).toBe(0);
  });

  it('keeps tiers that share it apart through growth, pruning and release', () => {
    const arena = new TierArena();
    const tiers = Array.from({ length: 40 }, () => new EdgeTier(arena));
    for (let s = 0; s < 100; s++)
      for (let k = 0; k < tiers.length; k++) tiers[k]!.add(tiers[k]!.slot(s * 1000), BYTES, k + 1);
    for (const [k, t] of tiers.entries()) {
      expect(t.length).toBe(100);
      expect(t.value(99, BYTES)).toBe(k + 1);
    }
    for (const t of tiers) t.pruneBefore(90_000);
    for (const [k, t] of tiers.entries()) expect(t.value(9, BYTES)).toBe(k + 1);
    for (const t of tiers) t.release();
    expect(arena.usage().chunks).toBe(0);
  });
});
