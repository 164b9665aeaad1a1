/**
 * When the live hub sends its round of updates. Probes end their intervals on whole multiples of the
 * interval on the wall clock and collectors close a batch right after each drain, so the freshest round
 * is the one sent as soon as every connected collector has delivered the interval that just ended:
 * packets then reach the browser within about one interval. A collector that is behind or gone does
 * not hold the round up for longer than `graceMs` past the boundary, and with no data at all the
 * rounds still come once per interval.
 */
export interface LiveScheduleDeps {
  intervalMs: number;
  graceMs: number;
  /** Sends one round of updates. */
  tick(): void;
  /** True when every connected collector has delivered a batch ending at or after `boundary`. */
  caughtUp(boundary: number): boolean;
  now(): number;
  /** Returns a handle for clearTimer; unref'd where it has unref (a pending round keeps no process up). */
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(t: unknown): void;
}

export class LiveSchedule {
  /** The newest boundary a round was sent for. */
  private sentFor = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;

  constructor(private readonly deps: LiveScheduleDeps) {}

  start(): void {
    this.arm();
  }

  stop(): void {
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
  }

  /** A batch was stored: send the round now if it completed the interval that just ended. */
  batchArrived(): void {
    const b = this.boundary(this.deps.now());
    if (b > this.sentFor && this.deps.caughtUp(b)) this.send(b);
  }

  private boundary(t: number): number {
    return Math.floor(t / this.deps.intervalMs) * this.deps.intervalMs;
  }

  private send(boundary: number): void {
    this.sentFor = boundary;
    this.deps.tick();
  }

  /** The fallback round: `graceMs` after the next boundary, unless a batch brought it earlier. */
  private arm(): void {
    const now = this.deps.now();
    let at = this.boundary(now) + this.deps.graceMs;
    if (at <= now) at += this.deps.intervalMs;
    const t = this.deps.setTimer(() => {
      this.timer = null;
      const b = this.boundary(this.deps.now() - this.deps.graceMs);
      if (b > this.sentFor) this.send(b);
      this.arm();
    }, at - now);
    (t as { unref?(): void }).unref?.();
    this.timer = t;
  }
}
