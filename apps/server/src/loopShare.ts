/**
 * The event loop's time one ingest connection (or the live rounds) may use: `msPerSecond` of handling time a second, with
 * at most `burstMs` saved up. A connection over it has its socket paused (no more of its frames are
 * read: TCP backpressure reaches the sender) for as long as its share takes to pay the excess back.
 * A collector holding the token can then keep the server busy, but not alone: the other connections,
 * the live rounds and /readyz get the rest of each second.
 */
export class LoopShare {
  private balance: number;
  private at: number;

  constructor(
    private readonly msPerSecond: number,
    private readonly burstMs: number,
    now: number,
  ) {
    this.balance = burstMs;
    this.at = now;
  }

  /** `ms` of handling was spent at `now`: how long to stop reading the connection (0: go on). */
  spent(ms: number, now: number): number {
    this.balance = Math.min(
      this.burstMs,
      this.balance + (Math.max(0, now - this.at) * this.msPerSecond) / 1000,
    );
    this.at = now;
    this.balance -= ms;
    return this.balance >= 0 ? 0 : Math.ceil((-this.balance * 1000) / this.msPerSecond);
  }
}

/**
 * Each ingest connection's share: a quarter of each second. A collector's batch is one a second and
 * takes milliseconds (bench/server/RESULTS.md: 800k records/s per core), so a real one never reaches it;
 * a flood of new series (~200 ms a batch of 2,000 new pods) or of malformed frames does.
 */
export const INGEST_LOOP_MS_PER_SECOND = 250;
export const INGEST_LOOP_BURST_MS = 500;

/**
 * The live rounds' share: a fifth of each second for all subscribers' graphs together. In the soak
 * (20 subscribers, 11 filters, a store at its series bound) the rounds took 20-28 s of 125 s of loop.
 */
export const LIVE_LOOP_MS_PER_SECOND = 200;
export const LIVE_LOOP_BURST_MS = 400;
