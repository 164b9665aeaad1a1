/**
 * A small seeded generator (mulberry32) for the fuzz suite: the same seed gives the same cases on any
 * machine, so CI runs a fixed set and a failure is replayed with WEFT_FUZZ_SEED=<seed>.
 */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

/**
 * The seed for one fuzz file: WEFT_FUZZ_SEED when set (to replay a failure, or to explore with a new
 * one), else the file's fixed seed, so CI is deterministic.
 */
export function fuzzSeed(fixed: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WEFT_FUZZ_SEED?.trim();
  if (!raw) return fixed;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new Error(`WEFT_FUZZ_SEED=${JSON.stringify(raw)}: must be an integer from 0 to 4294967295`);
  return n;
}
